using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.Periods;
using ValueBot.Testing;
using ValueBot.Web.Evidence;
using ValueBot.Web.Tests.Support;
using static ValueBot.Web.Tests.Admin.AdminClient;

namespace ValueBot.Web.Tests.Evidence;

/// <summary>
/// Measured beside reported (DOMAIN.md "Evidence"): a use case linked to Microsoft 365 Copilot gets the active users of its
/// target group from the loopback Graph's Copilot usage report, shown beside the owner's figure; a gap of more than 15
/// points of adoption warns; concealed names are said, never guessed.
/// </summary>
public sealed class MeasuredBesideReportedTests
{
    private const string Group = "6a1e0c52-7d3b-4f0e-9a51-3c2b1d0e9f11";
    private const string OtherGroup = "0b7f9e3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
    private static readonly IsoWeek Week = IsoWeek.Create(2026, 11); // Monday 2026-03-09 to Sunday 2026-03-15

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task ALinkedUseCaseShowsMeasuredBesideReportedAndWarnsOnlyBeyond15Points(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var graph = await StartGraphAsync();
        await using var host = await StartHostAsync(database, graph, "json");
        var overclaimed = await CreateAsync(host, "Copilot for finance");
        var close = await CreateAsync(host, "Copilot for sales");
        var unlinked = await CreateAsync(host, "Contract review");
        Assert.Equal(HttpStatusCode.OK, (await LinkAsync(host, overclaimed, Group)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await LinkAsync(host, close, Group)).StatusCode);
        await SeedAnswerAsync(host, overclaimed, Week.ToString(), activeUsers: 50); // 50 % reported, 30 % measured: 20 points
        await SeedAnswerAsync(host, close, Week.ToString(), activeUsers: 40);       // 40 % reported, 30 % measured: 10 points
        await SeedAnswerAsync(host, unlinked, Week.ToString(), activeUsers: 90);
        // Graph throttles the first request for the report once; the retry handler waits Retry-After and asks again.
        graph.Enqueue(FakeGraph.Throttled(1), r => r.Route.Count == 3 && r.Route[0] == "copilot");

        var report = await host.WithScopeAsync(sp => sp.GetRequiredService<CopilotUsageMeasurement>().MeasureAsync(Week, CancellationToken.None));

        Assert.Empty(report.Problems);
        Assert.False(report.NamesConcealed);
        Assert.Equal(2, graph.Requests.Count(r => r.Route.Count == 3 && r.Route[0] == "copilot" && !r.Query.Contains("skiptoken", StringComparison.Ordinal)));
        Assert.True(graph.Requests.Count(r => r.Route.Count > 0 && r.Route[0] == "groups") >= 3 * 2, "members are read page by page, per linked use case");
        var gap = await EvaluationAsync(host, overclaimed);
        Assert.Equal(50, gap["measured"]!["reportedActiveUsers"]!.GetValue<int>());
        Assert.Equal(30, gap["measured"]!["measuredActiveUsers"]!.GetValue<int>());
        Assert.Equal(40, gap["measured"]!["groupMembers"]!.GetValue<int>());
        Assert.Equal(40, gap["measured"]!["tenantActiveUsers"]!.GetValue<int>());
        var warning = Assert.Single(gap["warnings"]!.AsArray(), w => w!["ruleId"]!.GetValue<string>() == "reported-not-measured");
        Assert.Contains("reported 50 active users", warning!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("shows 30", warning["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        var near = await EvaluationAsync(host, close);
        Assert.Equal(30, near["measured"]!["measuredActiveUsers"]!.GetValue<int>());
        Assert.DoesNotContain(near["warnings"]!.AsArray(), w => w!["ruleId"]!.GetValue<string>() == "reported-not-measured");
        var plain = await EvaluationAsync(host, unlinked);
        Assert.Null(plain["measured"]);
        Assert.DoesNotContain(plain["warnings"]!.AsArray(), w => w!["ruleId"]!.GetValue<string>() == "reported-not-measured");

        // Per week: the week before counts the five whose last activity fell in it.
        var weeks = (await JsonAsync(await SendAsync(host, HttpMethod.Get, $"/api/admin/use-cases/{overclaimed}/measured-usage"))).AsArray();
        Assert.Equal(["2026-W10", "2026-W11"], weeks.Select(w => w!["week"]!.GetValue<string>()));
        Assert.Equal(5, weeks[0]!["measuredActiveUsers"]!.GetValue<int>());
        Assert.Null(weeks[0]!["reportedActiveUsers"]);
        Assert.Equal(50, weeks[1]!["reportedActiveUsers"]!.GetValue<int>());
        var audit = (await JsonAsync(await SendAsync(host, HttpMethod.Get, $"/api/admin/use-cases/{overclaimed}/audit"))).AsArray();
        Assert.Contains(audit, a => a!["field"]!.GetValue<string>() == "copilotGroupId" && a["newValue"]!.GetValue<string>() == Group);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task TheCsvDownloadTheReportRedirectsToGivesTheSameCountsAndTheOwnerClosingTheGapClearsTheWarning(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var graph = await StartGraphAsync();
        await using var host = await StartHostAsync(database, graph, "csv");
        var id = await CreateAsync(host, "Copilot for finance");
        await LinkAsync(host, id, Group);
        await SeedAnswerAsync(host, id, Week.ToString(), activeUsers: 10); // 10 % reported, 30 % measured: 20 points under

        await host.WithScopeAsync(sp => sp.GetRequiredService<CopilotUsageMeasurement>().MeasureAsync(Week, CancellationToken.None));

        Assert.Contains(graph.Requests, r => r.Path.StartsWith("/reports-download/", StringComparison.Ordinal));
        var evaluation = await EvaluationAsync(host, id);
        Assert.Equal(30, evaluation["measured"]!["measuredActiveUsers"]!.GetValue<int>());
        Assert.Single(evaluation["warnings"]!.AsArray(), w => w!["ruleId"]!.GetValue<string>() == "reported-not-measured");

        // A second reading after three of them were active again the next week still counts them for this week.
        foreach (var i in new[] { 1, 2, 3 })
        {
            graph.SetCopilotUsage(new CopilotUsageEntry(Upn(i), $"User {i}", Week.Next().Start));
        }

        await host.WithScopeAsync(sp => sp.GetRequiredService<CopilotUsageMeasurement>().MeasureAsync(Week, CancellationToken.None));
        Assert.Equal(30, (await EvaluationAsync(host, id))["measured"]!["measuredActiveUsers"]!.GetValue<int>());

        await host.WithScopeAsync(async sp =>
            await sp.GetRequiredService<ValueBot.Web.Persistence.ValueBotDbContext>().Database.ExecuteSqlRawAsync("DELETE FROM check_ins"));
        await SeedAnswerAsync(host, id, Week.ToString(), activeUsers: 28);
        Assert.DoesNotContain((await EvaluationAsync(host, id))["warnings"]!.AsArray(), w => w!["ruleId"]!.GetValue<string>() == "reported-not-measured");
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task ConcealedNamesAreSaidAndOnlyTheTenantCountIsShownNeverAGuess(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var graph = await StartGraphAsync();
        graph.ConcealNames = true;
        await using var host = await StartHostAsync(database, graph, "json");
        var id = await CreateAsync(host, "Copilot for finance");
        await LinkAsync(host, id, Group);
        await SeedAnswerAsync(host, id, Week.ToString(), activeUsers: 90);

        var report = await host.WithScopeAsync(sp => sp.GetRequiredService<CopilotUsageMeasurement>().MeasureAsync(Week, CancellationToken.None));

        Assert.True(report.NamesConcealed);
        var measured = (await EvaluationAsync(host, id))["measured"]!;
        Assert.Null(measured["measuredActiveUsers"]);
        Assert.True(measured["namesConcealed"]!.GetValue<bool>());
        Assert.Equal(40, measured["tenantActiveUsers"]!.GetValue<int>());
        Assert.Contains("conceals user names", measured["note"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain((await EvaluationAsync(host, id))["warnings"]!.AsArray(), w => w!["ruleId"]!.GetValue<string>() == "reported-not-measured");

        // Without ReportSettings.Read.All the settings answer 403: the hashed names in the report tell instead.
        graph.ReportSettingsForbidden = true;
        var again = await host.WithScopeAsync(sp => sp.GetRequiredService<CopilotUsageMeasurement>().MeasureAsync(Week, CancellationToken.None));
        Assert.True(again.NamesConcealed);
        Assert.Contains(graph.Requests, r => r.Route.Count == 2 && r.Route[1] == "reportSettings");
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task BadLinksAreRefusedAndChangeNothing(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var graph = await StartGraphAsync();
        await using var host = await StartHostAsync(database, graph, "json");
        var id = await CreateAsync(host, "Copilot for finance");

        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(host, HttpMethod.Put, $"/api/admin/use-cases/{id}/copilot-link", "{\"groupId\":\"finance\"}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(host, HttpMethod.Put, $"/api/admin/use-cases/{id}/copilot-link", "{}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await LinkAsync(host, Guid.NewGuid().ToString(), Group)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await LinkAsync(host, "not-a-guid", Group)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(host, HttpMethod.Get, $"/api/admin/use-cases/{id}/copilot-link")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(host, HttpMethod.Put, $"/api/admin/use-cases/{id}/copilot-link", $"{{\"groupId\":\"{Group}\"}}", token: null)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await LinkAsync(host, id, OtherGroup)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await LinkAsync(host, id, Group)).StatusCode);
        var link = await JsonAsync(await SendAsync(host, HttpMethod.Get, $"/api/admin/use-cases/{id}/copilot-link"));
        Assert.Equal(Group, link["groupId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(host, HttpMethod.Delete, $"/api/admin/use-cases/{id}/copilot-link")).StatusCode);
        var audit = (await JsonAsync(await SendAsync(host, HttpMethod.Get, $"/api/admin/use-cases/{id}/audit"))).AsArray()
            .Where(a => a!["field"]!.GetValue<string>() == "copilotGroupId").Select(a => (a!["oldValue"]?.GetValue<string>(), a["newValue"]?.GetValue<string>()));
        Assert.Equal([(null, OtherGroup), (OtherGroup, Group), (Group, null)], audit);

        // An unknown group is a problem reported by the measurement, not a crash.
        await LinkAsync(host, id, OtherGroup);
        var report = await host.WithScopeAsync(sp => sp.GetRequiredService<CopilotUsageMeasurement>().MeasureAsync(Week, CancellationToken.None));
        Assert.Contains("404", Assert.Single(report.Problems), StringComparison.Ordinal);
        Assert.Empty(report.Measured);
    }

    private static string Upn(int i) => $"user{i:00}@contoso.example";

    /// <summary>
    /// A group of 40 (35 direct, 5 through a nested group; paged 15 at a time): 30 active in the week (Tuesday or
    /// Sunday), 5 whose last activity was the week before, 5 never; and 10 users outside the group active in the week.
    /// The report pages 7 rows.
    /// </summary>
    private static async Task<FakeGraph> StartGraphAsync()
    {
        var graph = await FakeGraph.StartAsync();
        graph.MembersPageSize = 15;
        graph.ReportPageSize = 7;
        graph.ReportRefreshDate = Week.End;
        const string nested = "2c4e6a8b-0d1f-4a3c-8e5b-7d9f1b3c5e7a";
        graph.AddGroupMember(Group, nested);
        for (var i = 1; i <= 50; i++)
        {
            var id = $"00000000-0000-0000-0000-{i:000000000000}";
            graph.AddUser(new GraphUser(id, Upn(i), $"User {i}"));
            if (i <= 35)
            {
                graph.AddGroupMember(Group, id);
            }
            else if (i <= 40)
            {
                graph.AddGroupMember(nested, id);
            }

            DateOnly? last = i switch
            {
                <= 28 => Week.Day(DayOfWeek.Tuesday),
                <= 30 => Week.End,
                <= 35 => Week.Previous().Day(DayOfWeek.Thursday),
                <= 40 => null,
                _ => Week.Start,
            };
            // The report may write a name in other capitals than the directory does; it still matches.
            graph.SetCopilotUsage(new CopilotUsageEntry(i <= 2 ? Upn(i).ToUpperInvariant() : Upn(i), $"User {i}", last));
        }

        return graph;
    }

    private static Task<ValueBotTestHost> StartHostAsync(TestDatabase database, FakeGraph graph, string format) =>
        ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Graph:Enabled"] = "true",
            ["Graph:BaseUrl"] = graph.BaseUrl,
            ["Graph:TeamsAppExternalId"] = "5f0c6e2a-8d4b-4a57-9d1e-7c3b2a1f0e9d",
            ["Graph:MaxRetries"] = "2",
            ["CopilotUsage:Format"] = format,
        });

    private static async Task<string> CreateAsync(ValueBotTestHost host, string name)
    {
        var response = await SendAsync(host, HttpMethod.Post, "/api/admin/use-cases", Serialize(ValidUseCase(name)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await JsonAsync(response))["id"]!.GetValue<string>();
    }

    private static Task<HttpResponseMessage> LinkAsync(ValueBotTestHost host, string id, string group) =>
        SendAsync(host, HttpMethod.Put, $"/api/admin/use-cases/{id}/copilot-link", $"{{\"groupId\":\"{group}\"}}");

    private static async Task<JsonNode> EvaluationAsync(ValueBotTestHost host, string id)
    {
        var response = await SendAsync(host, HttpMethod.Get, $"/api/admin/use-cases/{id}/evaluation?week={Week}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await JsonAsync(response);
    }
}
