using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;
using static ValueBot.Web.Tests.Admin.AdminClient;

namespace ValueBot.Web.Tests.Admin;

/// <summary>Organisation defaults from <c>Policy:*</c> and each use case's own thresholds and rule parameters.</summary>
public sealed class PolicyOverridesApiTests
{
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AUseCasesOwnValuesAreStoredShownMergedWithTheOrganisationsAndAudited(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Policy:MinAdoption"] = "0.5",
            ["Policy:StaleWindow"] = "5",
        });
        var body = ValidUseCase();
        body["stopLoss"] = new JsonObject { ["maxReworkRate"] = 0.12 };
        body["rules"] = new JsonObject { ["costDriftFactor"] = 1.5, ["redesignBreachWeeks"] = 3 };

        var created = await SendAsync(host, HttpMethod.Post, "/api/admin/use-cases", Serialize(body));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await JsonAsync(created))["id"]!.GetValue<string>();
        var read = await JsonAsync(await SendAsync(host, HttpMethod.Get, $"/api/admin/use-cases/{id}"));
        Assert.Equal(0.12m, read["stopLoss"]!["maxReworkRate"]!.GetValue<decimal>());
        Assert.Null(read["stopLoss"]!["minAdoption"]);
        Assert.Equal(1.5m, read["rules"]!["costDriftFactor"]!.GetValue<decimal>());
        Assert.Equal(3, read["rules"]!["redesignBreachWeeks"]!.GetValue<int>());
        Assert.Null(read["rules"]!["staleWindow"]);
        var effective = read["effectivePolicy"]!;
        Assert.Equal(0.12m, effective["stopLoss"]!["maxReworkRate"]!.GetValue<decimal>());
        Assert.Equal(0.5m, effective["stopLoss"]!["minAdoption"]!.GetValue<decimal>());
        Assert.Equal(1.5m, effective["rules"]!["costDriftFactor"]!.GetValue<decimal>());
        Assert.Equal(5, effective["rules"]!["staleWindow"]!.GetValue<int>());
        Assert.Equal(12, effective["rules"]!["scaleWindowWeeks"]!.GetValue<int>());

        // Replace: cost drift back to the organisation's, a stale window of its own.
        body["rules"] = new JsonObject { ["redesignBreachWeeks"] = 3, ["staleWindow"] = 2 };
        body["rowVersion"] = 0;
        var updated = await SendAsync(host, HttpMethod.Put, $"/api/admin/use-cases/{id}", Serialize(body));
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var after = await JsonAsync(updated);
        Assert.Null(after["rules"]!["costDriftFactor"]);
        Assert.Equal(1.2m, after["effectivePolicy"]!["rules"]!["costDriftFactor"]!.GetValue<decimal>());

        var audit = (await JsonAsync(await SendAsync(host, HttpMethod.Get, $"/api/admin/use-cases/{id}/audit"))).AsArray();
        var drift = Assert.Single(audit, a => a!["field"]!.GetValue<string>() == "rules.costDriftFactor");
        Assert.Equal("1.5", drift!["oldValue"]!.GetValue<string>());
        Assert.Null(drift["newValue"]);
        var stale = Assert.Single(audit, a => a!["field"]!.GetValue<string>() == "rules.staleWindow");
        Assert.Null(stale!["oldValue"]);
        Assert.Equal("2", stale["newValue"]!.GetValue<string>());
        Assert.DoesNotContain(audit, a => a!["field"]!.GetValue<string>() is "rules.redesignBreachWeeks" or "stopLoss.maxReworkRate");
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AnInvalidOverrideOnUpdateIsA400NamingTheFieldAndChangesNothing(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);
        var body = ValidUseCase();
        body["rules"] = new JsonObject { ["costDriftFactor"] = 1.5 };
        var id = (await JsonAsync(await SendAsync(host, HttpMethod.Post, "/api/admin/use-cases", Serialize(body))))["id"]!.GetValue<string>();

        body["name"] = "Renamed";
        body["rules"] = new JsonObject { ["costDriftFactor"] = 0.5, ["scaleMinAnsweredWeeks"] = 20 };
        var response = await SendAsync(host, HttpMethod.Put, $"/api/admin/use-cases/{id}", Serialize(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await JsonAsync(response))["errors"]!.AsObject();
        Assert.Contains("between 1 and 100", errors["rules.costDriftFactor"]![0]!.GetValue<string>());
        Assert.Contains("scale window", errors["rules.scaleMinAnsweredWeeks"]![0]!.GetValue<string>());
        var read = await JsonAsync(await SendAsync(host, HttpMethod.Get, $"/api/admin/use-cases/{id}"));
        Assert.Equal("Invoice triage", read["name"]!.GetValue<string>());
        Assert.Equal(1.5m, read["rules"]!["costDriftFactor"]!.GetValue<decimal>());
        Assert.Equal(0, read["rowVersion"]!.GetValue<int>());
        var audit = (await JsonAsync(await SendAsync(host, HttpMethod.Get, $"/api/admin/use-cases/{id}/audit"))).AsArray();
        Assert.Single(audit);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task TheEvaluationUsesTheOrganisationsDefaultsWithEachUseCasesOverrides(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        // The organisation tolerates 50 % adoption; adoption is 55 % two weeks running.
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString,
            new Dictionary<string, string?> { ["Policy:MinAdoption"] = "0.5" });
        var organisational = await CreateAsync(host, ValidUseCase("Follows the organisation"));
        var strict = ValidUseCase("Own minimum adoption");
        strict["stopLoss"] = new JsonObject { ["minAdoption"] = 0.6 };
        var strictId = await CreateAsync(host, strict);
        var patient = ValidUseCase("Own minimum adoption, slower redesign");
        patient["stopLoss"] = new JsonObject { ["minAdoption"] = 0.6 };
        patient["rules"] = new JsonObject { ["redesignBreachWeeks"] = 3 };
        var patientId = await CreateAsync(host, patient);
        foreach (var id in new[] { organisational, strictId, patientId })
        {
            await SeedAnswerAsync(host, id, "2026-W09", activeUsers: 55);
            await SeedAnswerAsync(host, id, "2026-W10", activeUsers: 55);
        }

        var first = await EvaluateAsync(host, organisational);
        var second = await EvaluateAsync(host, strictId);
        var third = await EvaluateAsync(host, patientId);

        Assert.DoesNotContain(first["warnings"]!.AsArray(), w => w!["ruleId"]!.GetValue<string>() == "stop-loss-breach");
        Assert.Equal("hold", first["recommendation"]!["recommendation"]!.GetValue<string>());
        Assert.Contains(second["warnings"]!.AsArray(), w => w!["ruleId"]!.GetValue<string>() == "stop-loss-breach");
        Assert.Equal("redesign", second["recommendation"]!["recommendation"]!.GetValue<string>());
        Assert.Contains(third["warnings"]!.AsArray(), w => w!["ruleId"]!.GetValue<string>() == "stop-loss-breach");
        Assert.Equal("hold", third["recommendation"]!["recommendation"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheOrganisationsPolicyIsReadFromConfiguration()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Policy:MaxReworkRate"] = "0.2",
            ["Policy:maxExceptionRate"] = "0.1",
            ["Policy:CostDriftFactor"] = "1.35",
            ["Policy:ScaleWindowWeeks"] = "10",
            ["Policy:ScaleMinAnsweredWeeks"] = "6",
            ["Policy:ScaleMinPositiveNetWeeks"] = "6",
        });

        var policy = host.Services.GetRequiredService<IOptions<OrganisationPolicyOptions>>().Value.Policy;
        var served = await JsonAsync(await SendAsync(host, HttpMethod.Get, "/api/admin/policy"));
        Assert.Equal(0.2m, served["stopLoss"]!["maxReworkRate"]!.GetValue<decimal>());
        Assert.Equal(0.1m, served["stopLoss"]!["maxExceptionRate"]!.GetValue<decimal>());
        Assert.Equal(1.35m, served["rules"]!["costDriftFactor"]!.GetValue<decimal>());
        Assert.Equal(3, served["rules"]!["staleWindow"]!.GetValue<int>());

        Assert.Equal(new Domain.UseCases.StopLossThresholds(0.2m, 0.6m, 0.1m), policy.StopLoss);
        Assert.Equal(1.35m, policy.CostDriftFactor);
        Assert.Equal((10, 6, 6), (policy.ScaleWindowWeeks, policy.ScaleMinAnsweredWeeks, policy.ScaleMinPositiveNetWeeks));
        Assert.Equal(13, policy.RollingWindowWeeks);
    }

    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "Policy:CostDriftFactor", "0.9", "Policy:CostDriftFactor" },
        { "Policy:MinAdoption", "60%", "Policy:MinAdoption" },
        { "Policy:StaleWindow", "0", "Policy:StaleWindow" },
        { "Policy:CostDrift", "1.5", "Policy:CostDrift is not a policy setting" },
        { "Policy:ScaleMinAnsweredWeeks", "13", "Policy:ScaleMinAnsweredWeeks" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task ABadPolicySettingStopsTheStartNamingTheKey(string key, string value, string expected)
    {
        await using var database = TestDatabase.CreateSqlite();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(expected, error.Message);
    }

    private static async Task<string> CreateAsync(ValueBotTestHost host, JsonObject body)
    {
        var response = await SendAsync(host, HttpMethod.Post, "/api/admin/use-cases", Serialize(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await JsonAsync(response))["id"]!.GetValue<string>();
    }

    private static async Task<JsonNode> EvaluateAsync(ValueBotTestHost host, string id) =>
        await JsonAsync(await SendAsync(host, HttpMethod.Get, $"/api/admin/use-cases/{id}/evaluation?week=2026-W10"));
}
