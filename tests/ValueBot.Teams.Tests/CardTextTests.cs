using System.Net;
using Markdig;
using ValueBot.Teams.Cards;

namespace ValueBot.Teams.Tests;

/// <summary>
/// <see cref="CardText"/> checked against a real Markdown renderer (Markdig, CommonMark with strikethrough and pipe
/// tables): whatever a person typed, the escaped text renders as one plain paragraph that reads as they typed it —
/// no link, no emphasis, no list, no heading, no tag.
/// </summary>
public sealed class CardTextTests
{
    private static readonly MarkdownPipeline Renderer = new MarkdownPipelineBuilder().UseEmphasisExtras().UsePipeTables().Build();

    public static TheoryData<string> Hostile() =>
    [
        "[click](https://evil)",
        "Read [the report](https://evil.example/x \"title\") now",
        "![pixel](https://evil/track.png)",
        "**x**",
        "*x* and _y_ and __z__ and ***w***",
        "~~struck~~",
        "`code` and ``more``",
        "- item one\n- item two",
        "* star item\n+ plus item",
        "1. first\n2) second",
        "# Heading",
        "### Heading three",
        "Title\n===",
        "Title\n---",
        "    indented code",
        "> quoted",
        "***",
        "<at>Boss</at>",
        "<b>bold</b><script>alert(1)</script>",
        "<https://evil>",
        "<!-- comment -->",
        "&lt;at&gt;Boss&lt;/at&gt; &amp; &#60;",
        "a \\*not\\* escape \\",
        "{{DATE(2017-02-14T06:08:39Z, SHORT)}}",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "[link]: https://evil\n[link]",
        "x < 5 and y > 3 -> fine",
    ];

    [Theory]
    [MemberData(nameof(Hostile))]
    public void EscapedTextRendersAsOnePlainParagraphThatReadsAsTyped(string typed)
    {
        var html = Markdown.ToHtml(CardText.Escape(typed), Renderer).TrimEnd('\n');

        Assert.StartsWith("<p>", html, StringComparison.Ordinal);
        Assert.EndsWith("</p>", html, StringComparison.Ordinal);
        var inner = html["<p>".Length..^"</p>".Length];
        Assert.DoesNotContain('<', inner); // no <a>, <strong>, <em>, <del>, <code>, <li>, <h1>, <img>, raw HTML…
        Assert.Equal(Visible(typed), WebUtility.HtmlDecode(inner));
    }

    [Fact]
    public void AtTagsCannotFormAMentionOrATag()
    {
        var escaped = CardText.Escape("Ask <at>Boss</at> or </at><at>CEO");

        Assert.DoesNotContain("<at>", escaped, StringComparison.Ordinal);
        Assert.DoesNotContain("</at>", escaped, StringComparison.Ordinal);
        Assert.DoesNotContain("<", escaped.Replace("\\<", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\u202Egnp.exe", "gnp.exe")]
    [InlineData("Invoice \u202Atriage\u202C", "Invoice triage")]
    [InlineData("\u2066net\u2069 \u2067value\u2068", "net value")]
    [InlineData("a\u200Eb\u200Fc\u061Cd\u202Be\u202Df", "abcdef")]
    public void BidirectionalControlsAreRemoved(string typed, string expected)
    {
        Assert.Equal(expected, CardText.Clean(typed));
        Assert.Equal(expected, CardText.Escape(typed).Replace("\\", "", StringComparison.Ordinal));
        Assert.DoesNotContain(CardText.Escape(typed), CardText.IsBidiControl);
    }

    [Theory]
    [InlineData("Invoice triage")]
    [InlineData("Tomás O'Neill")]
    [InlineData("Claims intake 2026, phase two: 30 % less effort")]
    [InlineData("مرحبا")]
    public void OrdinaryTextIsUnchanged(string typed)
    {
        Assert.Equal(typed, CardText.Escape(typed));
        Assert.Equal(typed, CardText.Clean(typed));
    }

    [Fact]
    public void NullAndEmptyBecomeEmpty()
    {
        Assert.Equal("", CardText.Escape(null));
        Assert.Equal("", CardText.Escape(""));
        Assert.Equal("", CardText.Clean(null));
    }

    [Fact]
    public void AMentionOfAHostileNameStaysOneMentionWhoseEntityMatchesTheText()
    {
        var mention = new Mention("00000000-0000-0000-0000-000000000001", "</at>**Boss**\u202E<at>");

        Assert.StartsWith("<at>", mention.Text, StringComparison.Ordinal);
        Assert.EndsWith("</at>", mention.Text, StringComparison.Ordinal);
        Assert.Equal(1, Count(mention.Text, "<at>"));
        Assert.Equal(1, Count(mention.Text, "</at>"));
        var entity = mention.ToEntity();
        Assert.Equal(mention.Text, entity.Text);
        Assert.Equal("</at>**Boss**<at>", entity.Mentioned!.Name);
    }

    /// <summary>What a reader should see: the text without bidi controls and per-line indentation, tags shown with ‹.</summary>
    private static string Visible(string typed)
    {
        var lines = CardText.Clean(typed).Split('\n').Select(l => l.TrimStart(' ', '\t'));
        var text = string.Join('\n', lines);
        var chars = text.ToCharArray();
        for (var i = 0; i + 1 < chars.Length; i++)
        {
            if (chars[i] == '<' && (char.IsAsciiLetter(chars[i + 1]) || chars[i + 1] is '/' or '!' or '?'))
            {
                chars[i] = '\u2039';
            }
        }

        return new string(chars);
    }

    private static int Count(string text, string part) => text.Split(part).Length - 1;
}
