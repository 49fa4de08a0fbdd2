using System.Text.RegularExpressions;
using ValueBot.Testing;

namespace ValueBot.Manifest.Tests;

/// <summary>The pages in <c>docs/</c> name files that exist, and the code's protocol citations name sections that exist.</summary>
public sealed partial class DocsPathTests
{
    private static readonly string Docs = Path.Combine(RepositoryPaths.Root, "docs");

    public static TheoryData<string> Pages() => [.. Directory.GetFiles(Docs, "*.md").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Pages))]
    public void EveryRepositoryPathAPageNamesExists(string page)
    {
        var text = File.ReadAllText(Path.Combine(Docs, page));
        var named = RepositoryPath().Matches(text).Select(m => (Path: m.Groups["path"].Value, From: RepositoryPaths.Root))
            .Concat(RelativeLink().Matches(text).Select(m => (Path: m.Groups["path"].Value, From: Docs)))
            .Distinct()
            .ToList();

        var missing = named.Where(p => !Exists(Path.GetFullPath(Path.Combine(p.From, p.Path)))).Select(p => p.Path).ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void TheArchitecturePageNamesTheFilesOfBothPaths()
    {
        var text = File.ReadAllText(Path.Combine(Docs, "architecture.md"));

        Assert.True(RepositoryPath().Matches(text).Count >= 30, "architecture.md should name the files of the activity and check-in paths");
    }

    [Fact]
    public void EveryProtocolCitationInTheCodeNamesASectionOfProtocolMd()
    {
        var headings = Heading().Matches(File.ReadAllText(Path.Combine(Docs, "protocol.md"))).Select(m => m.Groups["n"].Value).ToHashSet(StringComparer.Ordinal);
        var sources = new[] { "src", "tests", "benchmarks" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, folder), "*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".md", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains("node_modules", StringComparison.Ordinal));

        var citations = sources.SelectMany(file => Citation().Matches(File.ReadAllText(file))
                .SelectMany(m => m.Groups["n"].Captures.Select(c => (File: Path.GetRelativePath(RepositoryPaths.Root, file), Section: c.Value))))
            .ToList();

        Assert.NotEmpty(citations);
        Assert.Empty(citations.Where(c => !headings.Contains(c.Section)).Select(c => $"{c.File}: §{c.Section}"));
        // The page that lived outside the repository, named in two parts so this file does not cite it.
        const string OldPage = "PROTOCOL" + ".md";
        Assert.Empty(sources.Where(f => File.ReadAllText(f).Contains(OldPage, StringComparison.Ordinal)).Select(f => Path.GetRelativePath(RepositoryPaths.Root, f)));
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    // `src/…`, `tests/…` and the like inside backticks: paths from the repository's root.
    [GeneratedRegex(@"`(?<path>(?:src|tests|benchmarks|docs|infra|manifest|scripts|\.ci)/[^`\s{}*<>]*)`")]
    private static partial Regex RepositoryPath();

    // Markdown links to files beside or above docs/ (not web addresses, not anchors).
    [GeneratedRegex(@"\]\((?<path>(?!https?:|#|mailto:)[^)\s#]+)(?:#[^)]*)?\)")]
    private static partial Regex RelativeLink();

    // "## 3. Connector REST API" and "### 3.3 Opening a 1:1 chat".
    [GeneratedRegex(@"^#{2,3} (?<n>\d+(?:\.\d+)?)\.? ", RegexOptions.Multiline)]
    private static partial Regex Heading();

    // "docs/protocol.md §1.2", "§1.2, §1.3", "§1.2 and §1.3".
    [GeneratedRegex(@"docs/protocol\.md (?:§(?<n>\d+(?:\.\d+)?)(?:,? (?:and )?(?=§))?)+")]
    private static partial Regex Citation();
}
