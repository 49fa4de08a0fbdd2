using System.IO.Compression;
using System.Text.Json.Nodes;
using ValueBot.Testing;

namespace ValueBot.Manifest.Tests;

public sealed class PackageScriptTests : IDisposable
{
    private const string BotId = "3b9d2c41-7e5f-4a08-b6c2-91d0e4f7a352";
    private const string Domain = "valuebot-test.azurewebsites.net";

    private readonly string _scratch = Directory.CreateTempSubdirectory("valuebot-package-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void WritesThePackageToManifestBuildFromEnvironmentVariables()
    {
        var run = ManifestFiles.RunPackageScript(new Dictionary<string, string> { ["BOT_ID"] = BotId, ["BOT_DOMAIN"] = Domain });

        Assert.True(run.ExitCode == 0, run.StdErr);
        var zip = Path.Combine(ManifestFiles.Folder, "build", "valuebot.zip");
        Assert.True(File.Exists(zip));
        AssertPackage(zip, BotId, Domain);
    }

    [Fact]
    public void TakesBotIdDomainAndOutputAsArguments()
    {
        var zip = Path.Combine(_scratch, "out", "app.zip");
        var run = ManifestFiles.RunPackageScript(new Dictionary<string, string>(), BotId, Domain, zip);

        Assert.True(run.ExitCode == 0, run.StdErr);
        AssertPackage(zip, BotId, Domain);
    }

    [Fact]
    public void PackagedManifestValidatesAgainstTheTeams129Schema()
    {
        var zip = Path.Combine(_scratch, "app.zip");
        var run = ManifestFiles.RunPackageScript(new Dictionary<string, string>(), BotId, Domain, zip);
        Assert.True(run.ExitCode == 0, run.StdErr);

        SchemaValidator.AssertValid(RepositoryPaths.TeamsManifestSchema, ReadEntry(zip, "manifest.json"));
    }

    [Fact]
    public void FailsClearlyWithoutBotId()
    {
        var zip = Path.Combine(_scratch, "app.zip");
        var run = ManifestFiles.RunPackageScript(new Dictionary<string, string> { ["BOT_DOMAIN"] = Domain, ["OUT"] = zip });

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("BOT_ID is required", run.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(zip));
    }

    [Fact]
    public void FailsClearlyWithoutBotDomain()
    {
        var zip = Path.Combine(_scratch, "app.zip");
        var run = ManifestFiles.RunPackageScript(new Dictionary<string, string> { ["BOT_ID"] = BotId, ["OUT"] = zip });

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("BOT_DOMAIN is required", run.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(zip));
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData(ManifestFiles.PlaceholderGuid)]
    public void RefusesABotIdThatIsNotARealGuid(string botId)
    {
        var zip = Path.Combine(_scratch, "app.zip");
        var run = ManifestFiles.RunPackageScript(new Dictionary<string, string>(), botId, Domain, zip);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("BOT_ID", run.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(zip));
    }

    [Fact]
    public void RefusesADomainWithASchemeOrPath()
    {
        var zip = Path.Combine(_scratch, "app.zip");
        var run = ManifestFiles.RunPackageScript(new Dictionary<string, string>(), BotId, "https://" + Domain + "/api", zip);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("BOT_DOMAIN", run.StdErr, StringComparison.Ordinal);
    }

    private static void AssertPackage(string zipPath, string botId, string domain)
    {
        using (var archive = ZipFile.OpenRead(zipPath))
        {
            Assert.Equal(
                ["color.png", "manifest.json", "outline.png"],
                archive.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal).ToArray());
        }

        var text = ReadEntry(zipPath, "manifest.json");
        Assert.DoesNotContain("{{", text, StringComparison.Ordinal);
        Assert.DoesNotContain(ManifestFiles.PlaceholderGuid, text, StringComparison.Ordinal);

        var manifest = JsonNode.Parse(text)!;
        Assert.Equal(botId, (string?)manifest["bots"]![0]!["botId"]);
        Assert.Equal(botId, (string?)manifest["webApplicationInfo"]!["id"]);
        Assert.Equal($"api://{domain}/{botId}", (string?)manifest["webApplicationInfo"]!["resource"]);
        Assert.Equal(new[] { domain }, manifest["validDomains"]!.AsArray().Select(d => (string)d!).ToArray());
        Assert.Equal((string?)ManifestFiles.ReadTemplate()["id"], (string?)manifest["id"]);

        // The icons are packaged byte for byte.
        Assert.Equal(File.ReadAllBytes(Path.Combine(ManifestFiles.Folder, "color.png")), ReadBytes(zipPath, "color.png"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(ManifestFiles.Folder, "outline.png")), ReadBytes(zipPath, "outline.png"));
    }

    private static string ReadEntry(string zipPath, string name)
    {
        using var archive = ZipFile.OpenRead(zipPath);
        using var reader = new StreamReader(archive.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    private static byte[] ReadBytes(string zipPath, string name)
    {
        using var archive = ZipFile.OpenRead(zipPath);
        using var stream = archive.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
