using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ValueBot.Web.Admin;

/// <summary>
/// RFC 4180 CSV as every export and import of ValueBot writes and reads it: comma-separated, fields with commas,
/// quotes or line breaks quoted, quotes doubled, CRLF between records, UTF-8 with a byte-order mark (so that Excel
/// reads "Tomás" as UTF-8 rather than the machine's code page), and every cell that a spreadsheet would run as a
/// formula written as text (<see cref="Cell"/>).
/// Written here rather than with CsvHelper: the version served here (34) is a new API built around typed records
/// and UTF-8 spans, and a format this small is clearer on its own; its formula protection (by .NET type) is the rule
/// <see cref="Cell"/> applies by content.
/// </summary>
public static class CsvText
{
    /// <summary>The media type of every CSV download.</summary>
    public const string ContentType = "text/csv; charset=utf-8";

    /// <summary>
    /// A cell as written: text that starts like a formula (<c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab, CR — also
    /// after apostrophes, so that reading it back is exact) gets an apostrophe in front, which spreadsheets show as
    /// text. A plain number (<c>-12.5</c>, as the exports format them) is not a formula and stays a number.
    /// </summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value) || IsPlainNumber(value))
        {
            return value ?? "";
        }

        var first = value.AsSpan().TrimStart('\'');
        return first.Length > 0 && IsFormulaStart(first[0]) ? "'" + value : value;
    }

    /// <summary>The reverse of <see cref="Cell"/>, for import: one apostrophe before a formula start is dropped.</summary>
    public static string Uncell(string value)
    {
        var first = value.AsSpan().TrimStart('\'');
        return value.Length > first.Length && first.Length > 0 && IsFormulaStart(first[0]) ? value[1..] : value;
    }

    /// <summary>The file to download: a UTF-8 byte-order mark, then <paramref name="csv"/>.</summary>
    public static FileContentHttpResult File(string csv, string fileName)
    {
        var preamble = Encoding.UTF8.Preamble;
        var bytes = new byte[preamble.Length + Encoding.UTF8.GetByteCount(csv)];
        preamble.CopyTo(bytes);
        Encoding.UTF8.GetBytes(csv, bytes.AsSpan(preamble.Length));
        return TypedResults.File(bytes, ContentType, fileName);
    }

    private static bool IsFormulaStart(char c) => c is '=' or '+' or '-' or '@' or '\t' or '\r';

    /// <summary>An optional minus, digits and an optional fraction: how the exports write numbers (invariant culture).</summary>
    private static bool IsPlainNumber(string value)
    {
        var digits = value.AsSpan(value[0] == '-' ? 1 : 0);
        var point = digits.IndexOf('.');
        var whole = point < 0 ? digits : digits[..point];
        var fraction = point < 0 ? "" : digits[(point + 1)..];
        return whole.Length > 0 && !whole.ContainsAnyExceptInRange('0', '9')
            && (point < 0 || (fraction.Length > 0 && !fraction.ContainsAnyExceptInRange('0', '9')));
    }

    /// <summary>Appends one record: each field through <see cref="Cell"/>, quoted where RFC 4180 needs it, then CRLF.</summary>
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
            var value = Cell(field);
            if (value.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                output.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                output.Append(value);
            }
        }

        output.Append("\r\n");
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
