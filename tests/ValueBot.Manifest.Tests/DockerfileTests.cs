using System.Text.RegularExpressions;
using System.Xml.Linq;
using ValueBot.Testing;

namespace ValueBot.Manifest.Tests;

/// <summary>
/// There is no Docker engine here, so the image is never built in CI. These checks catch the usual way a
/// Dockerfile rots: a new project reference or build file that the restore layer does not copy.
/// </summary>
public sealed class DockerfileTests
{
    private const string WebProject = "src/ValueBot.Web/ValueBot.Web.csproj";

    private static readonly string Dockerfile = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Dockerfile"));

    [Fact]
    public void PublishesTheWebProject()
    {
        Assert.Contains($"dotnet publish {WebProject} -c Release -o /app", Dockerfile, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, WebProject)));
    }

    [Fact]
    public void RestoreLayerCopiesEveryProjectTheWebProjectNeeds()
    {
        var copied = Regex.Matches(Dockerfile, @"^COPY\s+(src/\S+\.csproj)\s", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value)
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(ProjectClosure(WebProject).Order(StringComparer.Ordinal).ToArray(), copied);
    }

    [Fact]
    public void RestoreLayerCopiesTheSharedBuildFiles()
    {
        var buildFiles = new[] { "global.json", "Directory.Build.props", "Directory.Packages.props", "NuGet.config", "nuget.config" }
            .Where(f => File.Exists(Path.Combine(RepositoryPaths.Root, f)));
        var copyLine = Regex.Match(Dockerfile, @"^COPY (?!src/|--from)(.*) \./$", RegexOptions.Multiline).Groups[1].Value.Split(' ');

        Assert.All(buildFiles, f => Assert.Contains(f, copyLine));
    }

    [Fact]
    public void RunsAsNonRootOnPort8080()
    {
        Assert.Contains("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:10.0", Dockerfile, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^USER \$APP_UID$", Dockerfile);
        Assert.Contains("ASPNETCORE_URLS=http://+:8080", Dockerfile, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^EXPOSE 8080$", Dockerfile);
    }

    [Fact]
    public void DockerIgnoreKeepsBuildOutputAndDatabasesOut()
    {
        var ignore = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, ".dockerignore"));
        foreach (var pattern in new[] { "**/bin/", "**/obj/", "**/node_modules/", ".git/", "*.db" })
        {
            Assert.Contains(pattern, ignore);
        }
    }

    /// <summary>The project and every project it references, transitively, as repository-relative paths.</summary>
    private static HashSet<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current))
            {
                continue;
            }

            var full = Path.Combine(RepositoryPaths.Root, current);
            foreach (var reference in XDocument.Load(full).Descendants("ProjectReference"))
            {
                var include = reference.Attribute("Include")!.Value.Replace('\\', '/');
                var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(full)!, include));
                pending.Push(Path.GetRelativePath(RepositoryPaths.Root, resolved).Replace('\\', '/'));
            }
        }

        return seen;
    }
}
