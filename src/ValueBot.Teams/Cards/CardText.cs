using System.Text;

namespace ValueBot.Teams.Cards;

/// <summary>
/// Text that people wrote (use-case names, wins, blockers, notes, reasons, display names, team names) made safe to
/// place in a card. Teams renders a TextBlock's text and a fact's title and value as a subset of Markdown (links,
/// emphasis, lists, headings) and resolves <c>&lt;at&gt;…&lt;/at&gt;</c> against the card's mention entities, so a win
/// reading <c>[click](https://evil)</c> would otherwise become a link in ValueBot's own voice, and <c>&lt;at&gt;Boss&lt;/at&gt;</c>
/// a mention. Mentions come only from entities ValueBot builds (<see cref="Mention"/>).
/// </summary>
public static class CardText
{
    /// <summary>
    /// For text Teams renders as Markdown (TextBlock text, fact titles and values): bidirectional controls removed,
    /// every Markdown delimiter backslash-escaped (CommonMark's escape), and the <c>&lt;</c> of anything tag-like
    /// replaced by <c>‹</c> so that no client, whether it honours escapes or not, sees a tag. Escaping <c>(</c> too
    /// keeps <c>](</c> and <c>{{DATE(</c> from forming even where a client ignores the backslashes. Leading
    /// indentation is dropped (four spaces would make a code block).
    /// </summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var clean = Clean(text).Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        var builder = new StringBuilder(clean.Length + 16);
        var lineStart = true;
        for (var i = 0; i < clean.Length; i++)
        {
            var c = clean[i];
            if (c == '\n')
            {
                builder.Append(c);
                lineStart = true;
                continue;
            }

            if (lineStart)
            {
                if (c is ' ' or '\t')
                {
                    continue;
                }

                lineStart = false;
                if (c is '#' or '-' or '+' or '=' or '>')
                {
                    builder.Append('\\').Append(c);
                    continue;
                }

                if (char.IsAsciiDigit(c))
                {
                    // "1." or "1)" at the start of a line opens a numbered list.
                    var end = i;
                    while (end < clean.Length && char.IsAsciiDigit(clean[end]))
                    {
                        end++;
                    }

                    builder.Append(clean, i, end - i);
                    if (end < clean.Length && clean[end] == '.')
                    {
                        builder.Append("\\.");
                        end++;
                    }

                    i = end - 1;
                    continue;
                }
            }

            switch (c)
            {
                case '<' when IsTagLike(clean, i):
                    builder.Append('\u2039');
                    break;
                case '\\' or '`' or '*' or '_' or '[' or ']' or '(' or ')' or '~' or '|' or '&' or '<':
                    builder.Append('\\').Append(c);
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// For text Teams shows as it is (fallback text, input labels, choice titles): only the bidirectional controls
    /// removed (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C), which could make a name or figure read
    /// differently from what it is.
    /// </summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        if (!text.AsSpan().ContainsAny(BidiControls))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!IsBidiControl(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>True for the bidirectional formatting characters <see cref="Clean"/> removes.</summary>
    public static bool IsBidiControl(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C';

    private static readonly System.Buffers.SearchValues<char> BidiControls = System.Buffers.SearchValues.Create(
        "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C");

    /// <summary>A <c>&lt;</c> that starts a tag, a closing tag, a comment or declaration, or an autolink.</summary>
    private static bool IsTagLike(string text, int index) =>
        index + 1 < text.Length && (char.IsAsciiLetter(text[index + 1]) || text[index + 1] is '/' or '!' or '?');
}
