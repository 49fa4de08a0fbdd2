using System.Net;
using System.Text.Json.Nodes;
using ValueBot.Web.Tests.Support;
using static ValueBot.Web.Tests.Admin.AdminClient;

namespace ValueBot.Web.Tests.Admin;

/// <summary>The use-case endpoints of the admin API through the real host, on both engines.</summary>
public sealed class UseCaseApiTests
{
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task CreateReadUpdateRetireKeepsAnAuditTrail(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);

        var created = await SendAsync(host, HttpMethod.Post, "/api/admin/use-cases", Serialize(ValidUseCase()));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await JsonAsync(created);
        var id = body["id"]!.GetValue<string>();
        Assert.Equal($"/api/admin/use-cases/{id}", created.Headers.Location?.OriginalString);

        var read = await JsonAsync(await SendAsync(host, HttpMethod.Get, $"/api/admin/use-cases/{id}"));
        Assert.Equal("Invoice triage", read["name"]!.GetValue<string>());
        Assert.Equal("processReengineering", read["valueModel"]!.GetValue<string>());
        Assert.Equal("Ada Lovelace", read["owner"]!["displayName"]!.GetValue<string>());
        Assert.Null(read["stopLoss"]!["maxReworkRate"]); // not set: the organisation's
        Assert.Equal(0.15m, read["effectivePolicy"]!["stopLoss"]!["maxReworkRate"]!.GetValue<decimal>());
        Assert.Equal(0, read["rowVersion"]!.GetValue<int>());

        var change = ValidUseCase("Invoice triage v2");
        change["targetUsers"] = 120;
        change["rowVersion"] = 0;
        var updated = await SendAsync(host, HttpMethod.Put, $"/api/admin/use-cases/{id}", Serialize(change));
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(1, (await JsonAsync(updated))["rowVersion"]!.GetValue<int>());

        var stale = await SendAsync(host, HttpMethod.Put, $"/api/admin/use-cases/{id}", Serialize(change));
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);

        var retired = await SendAsync(host, HttpMethod.Delete, $"/api/admin/use-cases/{id}");
        Assert.Equal(HttpStatusCode.OK, retired.StatusCode);
        Assert.True((await JsonAsync(retired))["retired"]!.GetValue<bool>());

        var list = await JsonAsync(await SendAsync(host, HttpMethod.Get, "/api/admin/use-cases"));
        Assert.Equal(0, list["total"]!.GetValue<int>());
        var withRetired = await JsonAsync(await SendAsync(host, HttpMethod.Get, "/api/admin/use-cases?includeRetired=true"));
        Assert.Equal(1, withRetired["total"]!.GetValue<int>());

        var audit = (await JsonAsync(await SendAsync(host, HttpMethod.Get, $"/api/admin/use-cases/{id}/audit"))).AsArray();
        Assert.Contains(audit, a => a!["field"]!.GetValue<string>() == "created");
        var name = Assert.Single(audit, a => a!["field"]!.GetValue<string>() == "name");
        Assert.Equal("Invoice triage", name!["oldValue"]!.GetValue<string>());
        Assert.Equal("Invoice triage v2", name["newValue"]!.GetValue<string>());
        Assert.Equal("admin@contoso.example", name["changedBy"]!.GetValue<string>());
        var users = Assert.Single(audit, a => a!["field"]!.GetValue<string>() == "targetUsers");
        Assert.Equal("100", users!["oldValue"]!.GetValue<string>());
        Assert.Equal("120", users["newValue"]!.GetValue<string>());
        var retiredEntry = Assert.Single(audit, a => a!["field"]!.GetValue<string>() == "retired");
        Assert.Equal("true", retiredEntry!["newValue"]!.GetValue<string>());
    }

    public static TheoryData<string, string, string> InvalidFields => new()
    {
        { "name", "\"\"", "name" },
        { "valueModel", "\"magic\"", "valueModel" },
        { "stage", "\"someday\"", "stage" },
        { "pnlLine", "\"vibes\"", "pnlLine" },
        { "targetUsers", "0", "targetUsers" },
        { "currency", "\"euro\"", "currency" },
        { "declaredPilotBenefit", "1.5", "declaredPilotBenefit" },
        { "plannedRunCostPerMonth", "-1", "plannedRunCostPerMonth" },
        { "launchDate", "\"05/01/2026\"", "launchDate" },
        { "baseline", "{\"minutesPerTask\":-3,\"hourlyCost\":60}", "baseline.minutesPerTask" },
        { "stopLoss", "{\"minAdoption\":2}", "stopLoss.minAdoption" },
        { "stopLoss", "{\"maxExceptionRate\":-0.1}", "stopLoss.maxExceptionRate" },
        { "rules", "{\"costDriftFactor\":0.8}", "rules.costDriftFactor" },
        { "rules", "{\"staleWindow\":2.5}", "rules.staleWindow" },
        { "rules", "{\"scaleWindowWeeks\":6}", "rules.scaleWindowWeeks" },
        { "rules", "{\"costDrift\":2}", "rules.costDrift" },
        { "rules", "{\"minAdoption\":0.5}", "rules.minAdoption" },
        { "rules", "{\"staleWindow\":\"three\"}", "rules.staleWindow" },
        { "checkInSchedule", "{\"day\":\"funday\"}", "checkInSchedule.day" },
        { "owner", "{\"aadObjectId\":\"aad-x\"}", "owner.displayName" },
        { "targetUsers", "\"many\"", "targetUsers" },
    };

    [Theory]
    [MemberData(nameof(InvalidFields))]
    public async Task EveryInvalidFieldIsA400NamingIt(string field, string json, string expectedKey)
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);
        var body = ValidUseCase();
        body[field] = JsonNode.Parse(json);

        var response = await SendAsync(host, HttpMethod.Post, "/api/admin/use-cases", Serialize(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await JsonAsync(response);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(expectedKey), $"errors should name {expectedKey}: {problem}");
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task ReturnsNotFoundGivenUnknownIdAndBadRequestGivenMalformedJson(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);
        var unknown = Guid.NewGuid();

        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(host, HttpMethod.Get, $"/api/admin/use-cases/{unknown}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(host, HttpMethod.Put, $"/api/admin/use-cases/{unknown}", Serialize(ValidUseCase()))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(host, HttpMethod.Delete, $"/api/admin/use-cases/{unknown}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(host, HttpMethod.Get, $"/api/admin/use-cases/{unknown}/evaluation")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(host, HttpMethod.Post, $"/api/admin/use-cases/{unknown}/decisions",
            "{\"decision\":\"hold\",\"reason\":\"x\"}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(host, HttpMethod.Get, "/api/admin/use-cases/not-a-guid")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(host, HttpMethod.Post, "/api/admin/use-cases", "{\"name\": ")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(host, HttpMethod.Post, "/api/admin/use-cases", "[1,2]")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(host, HttpMethod.Post, "/api/admin/use-cases", "null")).StatusCode);
    }
}
