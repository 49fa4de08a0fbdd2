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
    public async Task AScheduleThatCouldNeverBeAnsweredIsA400AndNothingIsStoredOrChanged(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);
        var late = ValidUseCase();
        late["checkInSchedule"] = new JsonObject { ["day"] = "saturday", ["localTime"] = "09:00" };

        var refused = await SendAsync(host, HttpMethod.Post, "/api/admin/use-cases", Serialize(late));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await JsonAsync(refused);
        Assert.Equal(400, problem["status"]!.GetValue<int>());
        Assert.Equal(
            "A check-in sent on Saturday at 09:00 would arrive after its week closes (Friday 12:00, when an unanswered check-in becomes missed), "
            + "so it could never be answered. Pick a day and time before Friday 12:00.",
            problem["errors"]!["checkInSchedule"]![0]!.GetValue<string>());
        Assert.Equal(0, (await JsonAsync(await SendAsync(host, HttpMethod.Get, "/api/admin/use-cases")))["total"]!.GetValue<int>());

        var created = await JsonAsync(await SendAsync(host, HttpMethod.Post, "/api/admin/use-cases", Serialize(ValidUseCase())));
        var id = created["id"]!.GetValue<string>();
        late["rowVersion"] = 0;
        late["checkInSchedule"] = new JsonObject { ["day"] = "friday", ["localTime"] = "12:00" };
        var update = await SendAsync(host, HttpMethod.Put, $"/api/admin/use-cases/{id}", Serialize(late));
        Assert.Equal(HttpStatusCode.BadRequest, update.StatusCode);
        Assert.True((await JsonAsync(update))["errors"]!.AsObject().ContainsKey("checkInSchedule"));
        var stored = await JsonAsync(await SendAsync(host, HttpMethod.Get, $"/api/admin/use-cases/{id}"));
        Assert.Equal(("monday", "09:00", 0), (stored["checkInSchedule"]!["day"]!.GetValue<string>(), stored["checkInSchedule"]!["localTime"]!.GetValue<string>(), stored["rowVersion"]!.GetValue<int>()));

        late["checkInSchedule"] = new JsonObject { ["day"] = "friday", ["localTime"] = "11:30" };
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(host, HttpMethod.Put, $"/api/admin/use-cases/{id}", Serialize(late))).StatusCode);
    }

    [Fact]
    public async Task TheCsvImportRefusesAScheduleThatCouldNeverBeAnswered()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);
        await SendAsync(host, HttpMethod.Post, "/api/admin/use-cases", Serialize(ValidUseCase()));
        var export = await (await SendAsync(host, HttpMethod.Get, "/api/admin/use-cases/export")).Content.ReadAsStringAsync();
        var lines = export.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var row = lines[1].Split(',');
        row[Array.IndexOf(header, "id")] = "";
        row[Array.IndexOf(header, "name")] = "Late one";
        row[Array.IndexOf(header, "checkInDay")] = "sunday";

        var response = await SendAsync(host, HttpMethod.Post, "/api/admin/use-cases/import", lines[0] + "\r\n" + string.Join(',', row) + "\r\n", contentType: "text/csv");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await JsonAsync(response);
        var error = Assert.Single(problem["errors"]!.AsArray())!;
        Assert.Equal((2, "checkInDay"), (error["line"]!.GetValue<int>(), error["field"]!.GetValue<string>()));
        Assert.StartsWith("A check-in sent on Sunday at 09:00 would arrive after its week closes", error["message"]!.GetValue<string>());
        Assert.Equal(1, (await JsonAsync(await SendAsync(host, HttpMethod.Get, "/api/admin/use-cases")))["total"]!.GetValue<int>());
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
