using System.Net;
using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;
using static ValueBot.Web.Tests.Admin.AdminClient;

namespace ValueBot.Web.Tests.UseCases;

/// <summary>The evaluation and decision endpoints over answers stored in check_ins.</summary>
public sealed class EvaluationApiTests
{
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AdoptionAt55PercentTwoWeeksRunningRecommendsRedesign(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);
        var created = await JsonAsync(await SendAsync(host, HttpMethod.Post, "/api/admin/use-cases", Serialize(ValidUseCase())));
        var id = created["id"]!.GetValue<string>();
        await SeedAnswerAsync(host, id, "2026-W09", activeUsers: 55);
        await SeedAnswerAsync(host, id, "2026-W10", activeUsers: 55);

        var response = await SendAsync(host, HttpMethod.Get, $"/api/admin/use-cases/{id}/evaluation?week=2026-W10");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var evaluation = await JsonAsync(response);
        Assert.Equal(0.55m, evaluation["latest"]!["adoption"]!.GetValue<decimal>());
        Assert.Equal("redesign", evaluation["recommendation"]!["recommendation"]!.GetValue<string>());
        var rule = Assert.Single(evaluation["recommendation"]!["rules"]!.AsArray());
        Assert.Equal("redesign.stop-loss-breach-streak", rule!["ruleId"]!.GetValue<string>());
        Assert.Contains("60 %", rule["text"]!.GetValue<string>());
        var warning = Assert.Single(evaluation["warnings"]!.AsArray(), w => w!["ruleId"]!.GetValue<string>() == "stop-loss-breach");
        Assert.Contains("55 %", warning!["reason"]!.GetValue<string>());
        Assert.Equal(2, evaluation["rolling"]!["answeredWeeks"]!.GetValue<int>());

        var decision = await SendAsync(host, HttpMethod.Post, $"/api/admin/use-cases/{id}/decisions",
            "{\"decision\":\"redesign\",\"reason\":\"Adoption stalled; rework the onboarding\"}");
        Assert.Equal(HttpStatusCode.Created, decision.StatusCode);
        Assert.Equal("redesign", (await JsonAsync(decision))["decision"]!.GetValue<string>());
        var bad = await SendAsync(host, HttpMethod.Post, $"/api/admin/use-cases/{id}/decisions", "{\"decision\":\"maybe\"}");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await JsonAsync(bad))["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("decision") && errors.ContainsKey("reason"));

        var metrics = await (await SendAsync(host, HttpMethod.Get, "/api/admin/metrics/export")).Content.ReadAsStringAsync();
        Assert.Equal(3, metrics.TrimEnd('\n').Split('\n').Length);
        Assert.Contains($"{id},Invoice triage,2026-W10,EUR,0.55,", metrics);
        var answers = await (await SendAsync(host, HttpMethod.Get, "/api/admin/answers/export")).Content.ReadAsStringAsync();
        Assert.Contains($"{id},Invoice triage,2026-W09,answered,", answers);
    }
}
