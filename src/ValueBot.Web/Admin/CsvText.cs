using System.Text;

namespace ValueBot.Web.Admin;

/// <summary>
/// RFC 4180 CSV: comma-separated, fields with commas, quotes or line breaks quoted, quotes doubled.
/// Written here rather than with CsvHelper: version 34 replaced the whole API (CsvConfiguration and
/// the CsvReader(TextReader, …) constructor are gone), and a format this small is clearer on its own.
/// </summary>
public static class CsvText
{
    /// <summary>Free text for a cell: text starting like a formula is prefixed with ' so a spreadsheet shows it instead of running it.</summary>
    public static string? Text(string? text) =>
        text is { Length: > 0 } && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;

    public static void WriteRow(StringBuilder output, IEnumerable<string?> fields)
    {
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                output.Append(',');
            }

            first = false;
            var value = field ?? "";
            if (value.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                output.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                output.Append(value);
            }
        }

        output.Append('\n');
    }

    /// <summary>The records of a file with the line each starts on (1-based); blank lines are skipped.</summary>
    /// <exception cref="FormatException">A quoted field is not closed, or a quote stands inside an unquoted field.</exception>
    public static IEnumerable<(int Line, string[] Fields)> Read(string text)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var i = 0;
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            i = 1;
        }

        var atFieldStart = true;
        var anyContent = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (atFieldStart && c == '"')
            {
                var startLine = line;
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new FormatException($"Line {startLine}: a quoted field is never closed.");
                    }

                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    if (text[i] == '\n')
                    {
                        line++;
                    }

                    field.Append(text[i++]);
                }

                anyContent = true;
                atFieldStart = false;
                if (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                {
                    throw new FormatException($"Line {line}: text after a closing quote.");
                }

                continue;
            }

            switch (c)
            {
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    atFieldStart = true;
                    anyContent = true;
                    i++;
                    break;
                case '\r' or '\n':
                    if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                    {
                        i++;
                    }

                    i++;
                    if (anyContent || field.Length > 0)
                    {
                        fields.Add(field.ToString());
                        yield return (recordLine, fields.ToArray());
                    }

                    fields.Clear();
                    field.Clear();
                    atFieldStart = true;
                    anyContent = false;
                    line++;
                    recordLine = line;
                    break;
                case '"':
                    throw new FormatException($"Line {line}: a quote inside an unquoted field.");
                default:
                    field.Append(c);
                    atFieldStart = false;
                    anyContent = true;
                    i++;
                    break;
            }
        }

        if (anyContent || field.Length > 0)
        {
            fields.Add(field.ToString());
            yield return (recordLine, fields.ToArray());
        }
    }
}
