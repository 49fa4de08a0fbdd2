using System.Net;
using ValueBot.Web.Tests.Support;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.Delivery;

/// <summary>Welcome cards during an install burst, against a connector that throttles as Teams does.</summary>
public sealed class InstallBurstTests
{
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task EveryWelcomeOfAThousandInstallsArrivesOnceUnderTeamsLimits(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(db.ConnectionString, new Dictionary<string, string?>
        {
            ["Delivery:PollInterval"] = "00:00:00.050",
            ["Delivery:BackoffBase"] = "00:00:00.100",
            ["Delivery:ThrottleDelay"] = "00:00:01",
        });
        host.Connector.EnforceTeamsLimits = true;
        const int count = 1000;
        var users = Enumerable.Range(0, count).Select(i => new User($"29:burst-{i}", $"aad-burst-{i}", $"Owner {i}", $"a:personal-burst-{i}")).ToList();

        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (user, _) =>
        {
            var response = await host.SendFromTeamsAsync(PersonalInstall(user));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        });

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (Welcomes(host).Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        await Task.Delay(500);
        var welcomes = Welcomes(host);
        Assert.Equal(count, welcomes.Select(w => w.Route[1]).Distinct().Count());
        Assert.All(welcomes.GroupBy(w => w.Route[1]), g => Assert.Single(g));
    }

    private static List<ValueBot.Testing.RecordedRequest> Welcomes(ValueBotTestHost host) =>
        host.Connector.Stored.Where(r => r.Route.Count == 3 && r.Body.Contains("Welcome to ValueBot")).ToList();
}
