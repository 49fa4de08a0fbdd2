using System.Text.Json.Nodes;
using ValueBot.Teams.Routing;
using ValueBot.Testing;
using ValueBot.Web.Tests.Support;

namespace ValueBot.Web.Tests.Installations;

/// <summary>The Teams app manifest offers exactly the menu commands the running bot answers (admin tools such as the
/// previews are listed by help only: the manifest allows 10 commands per scope).</summary>
public sealed class ManifestCommandTests
{
    [Fact]
    public async Task ManifestCommandsAreExactlyTheCommandsTheBotAnswers()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);
        var router = host.Services.GetRequiredService<BotRouter>();
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "manifest", "manifest.json")))!;
        var titles = manifest["bots"]!.AsArray().Single()!["commandLists"]!.AsArray()
            .SelectMany(list => list!["commands"]!.AsArray().Select(c => (string)c!["title"]!))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();

        Assert.All(titles, title => Assert.Equal(title, router.MatchCommand(title)?.Command.Name, ignoreCase: true));
        Assert.Equal(
            router.Commands.Where(c => c.InMenu).Select(c => c.Name.ToLowerInvariant()).Order(),
            titles.Select(t => t.ToLowerInvariant()).Order());
    }
}
