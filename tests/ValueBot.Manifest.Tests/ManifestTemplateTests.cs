using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ValueBot.Testing;

namespace ValueBot.Manifest.Tests;

public sealed class ManifestTemplateTests
{
    private const string BotId = "6f1c2e0a-8d3b-4a57-9c1e-2b7d4f8a9e10";
    private const string Domain = "valuebot-web.azurewebsites.net";

    // Limits from teams-manifest-1.29.schema.json (bots[].commandLists[].commands[]).
    private const int MaxCommandsPerList = 12;
    private const int MaxCommandTitleLength = 128;
    private const int MaxCommandDescriptionLength = 4000;

    [Fact]
    public void TemplateValidatesAgainstTheTeams129Schema()
    {
        SchemaValidator.AssertValid(RepositoryPaths.TeamsManifestSchema, File.ReadAllText(ManifestFiles.Template));
    }

    [Fact]
    public void FilledManifestValidatesAgainstTheTeams129Schema()
    {
        SchemaValidator.AssertValid(RepositoryPaths.TeamsManifestSchema, ManifestFiles.Fill(BotId, Domain));
    }

    [Fact]
    public void PinsSchemaVersion129()
    {
        var manifest = ManifestFiles.ReadTemplate();
        Assert.Equal("1.29", (string?)manifest["manifestVersion"]);
        Assert.Equal(
            "https://developer.microsoft.com/json-schemas/teams/v1.29/MicrosoftTeams.schema.json",
            (string?)manifest["$schema"]);
    }

    [Fact]
    public void AppIdIsAFixedRealGuid()
    {
        var id = (string?)ManifestFiles.ReadTemplate()["id"];
        Assert.True(Guid.TryParse(id, out var guid), $"id '{id}' is not a GUID");
        Assert.NotEqual(Guid.Empty, guid);
    }

    [Fact]
    public void FillingPutsTheBotIdAndDomainEverywhereTheyBelong()
    {
        var manifest = JsonNode.Parse(ManifestFiles.Fill(BotId, Domain))!;
        var bot = manifest["bots"]![0]!;
        Assert.Equal(BotId, (string?)bot["botId"]);
        Assert.Equal(BotId, (string?)manifest["webApplicationInfo"]!["id"]);
        Assert.Equal($"api://{Domain}/{BotId}", (string?)manifest["webApplicationInfo"]!["resource"]);
        Assert.Contains(Domain, manifest["validDomains"]!.AsArray().Select(d => (string?)d));
        Assert.DoesNotContain("{{", manifest.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void BotIsInPersonalAndTeamScopes()
    {
        var bot = ManifestFiles.ReadTemplate()["bots"]!.AsArray().Single()!;
        Assert.Equal(["personal", "team"], bot["scopes"]!.AsArray().Select(s => (string)s!).Order().ToArray());
    }

    [Fact]
    public void CommandTitlesAreUniqueAndWithinTheSchemaLimits()
    {
        foreach (var list in CommandLists())
        {
            var scope = string.Join(",", list["scopes"]!.AsArray().Select(s => (string?)s));
            var commands = list["commands"]!.AsArray().Select(c => c!.AsObject()).ToList();
            Assert.InRange(commands.Count, 1, MaxCommandsPerList);

            var titles = commands.Select(c => (string)c["title"]!).ToList();
            Assert.True(
                titles.Distinct(StringComparer.OrdinalIgnoreCase).Count() == titles.Count,
                $"duplicate command titles in {scope}: {string.Join(", ", titles)}");
            foreach (var command in commands)
            {
                var title = (string)command["title"]!;
                var description = (string?)command["description"];
                Assert.InRange(title.Length, 1, MaxCommandTitleLength);
                Assert.Equal(title.Trim(), title);
                Assert.False(string.IsNullOrWhiteSpace(description), $"command '{title}' in {scope} has no description");
                Assert.InRange(description!.Length, 1, MaxCommandDescriptionLength);
            }
        }
    }

    [Fact]
    public void EachScopeHasExactlyOneCommandList()
    {
        var scopes = CommandLists().SelectMany(l => l["scopes"]!.AsArray().Select(s => (string)s!)).ToList();
        Assert.Equal(scopes.Distinct().Count(), scopes.Count);
    }

    [Fact]
    public void OnlyKnownPlaceholdersAppearInTheTemplate()
    {
        var placeholders = Regex.Matches(File.ReadAllText(ManifestFiles.Template), @"\{\{([^}]*)\}\}")
            .Select(m => m.Groups[1].Value)
            .Distinct()
            .Order()
            .ToArray();
        Assert.Equal(["BOT_DOMAIN", "BOT_ID"], placeholders);
    }

    [Fact]
    public void IconsNamedInTheManifestExist()
    {
        var icons = ManifestFiles.ReadTemplate()["icons"]!;
        Assert.True(File.Exists(Path.Combine(ManifestFiles.Folder, (string)icons["color"]!)));
        Assert.True(File.Exists(Path.Combine(ManifestFiles.Folder, (string)icons["outline"]!)));
    }

    private static IEnumerable<JsonObject> CommandLists() =>
        ManifestFiles.ReadTemplate()["bots"]![0]!["commandLists"]!.AsArray().Select(l => l!.AsObject());

    private static string[] CommandTitles(string scope) =>
        CommandLists()
            .Single(l => l["scopes"]!.AsArray().Any(s => (string?)s == scope))["commands"]!.AsArray()
            .Select(c => (string)c!["title"]!)
            .ToArray();
}
