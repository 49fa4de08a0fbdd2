using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.StageGates;
using ValueBot.Domain.UseCases;
using ValueBot.Domain.Warnings;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Demo;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.Tests.Demo;

public sealed class DemoPortfolioTests
{
    private static readonly Dictionary<string, string?> LocalDemo = new()
    {
        ["Bot:LocalMode"] = "true",
        ["Bot:AppId"] = "",
        ["Bot:TenantId"] = "",
        ["Bot:Credential:Type"] = "None",
        ["Demo:Seed"] = "true",
    };

    [Fact]
    public async Task Local_mode_with_Demo_Seed_creates_twelve_use_cases_across_the_five_value_models()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, LocalDemo);

        var all = await host.WithScopeAsync(s => s.GetRequiredService<UseCaseRegistry>().AllAsync(CancellationToken.None));

        Assert.Equal(12, all.Count);
        Assert.Equal(DemoPortfolio.Ids.Order(), all.Select(u => u.UseCase.Id).Order());
        Assert.Equal(Enum.GetValues<ValueModel>().Order(), all.Select(u => u.UseCase.ValueModel).Distinct().Order());
        Assert.True(all.Select(u => u.UseCase.Stage).Distinct().Count() >= 3);
        Assert.Contains(all, u => u.UseCase.Owner?.AadObjectId == DemoOptions.PlaygroundUserAadObjectId);
        Assert.All(all, u => Assert.Empty(u.UseCase.Validate()));
    }

    [Fact]
    public async Task The_demo_portfolio_evaluates_to_a_redesign_a_healthy_kill_and_positive_net_value()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, LocalDemo);

        var evaluations = await host.WithScopeAsync(async s =>
        {
            var registry = s.GetRequiredService<UseCaseRegistry>();
            var result = new Dictionary<Guid, Domain.Evaluation.UseCaseEvaluation>();
            foreach (var id in DemoPortfolio.Ids)
            {
                result[id] = (await registry.EvaluateAsync(id, null, CancellationToken.None))!;
            }

            return result;
        });

        var stall = evaluations[DemoPortfolio.SalesEmails];
        Assert.Equal(Recommendation.Redesign, stall.Recommendation.Recommendation);
        Assert.Contains(stall.Recommendation.Reasons, r => r.RuleId == StageGate.RedesignBreachStreakId);
        Assert.Equal(0.55m, stall.LatestMetrics!.Adoption);
        Assert.Contains(stall.Warnings, w => w.RuleId == EarlyWarnings.StopLossBreachId);

        var rework = evaluations[DemoPortfolio.ContractReview];
        Assert.Equal(Recommendation.Redesign, rework.Recommendation.Recommendation);
        Assert.True(rework.LatestMetrics!.ReworkRate > 0.15m);

        var kill = evaluations[DemoPortfolio.ClaimsHandling];
        Assert.Equal(Recommendation.Stop, kill.Recommendation.Recommendation);
        Assert.True(kill.Rolling.NetValue!.Value.IsNegative);

        Assert.Equal(Recommendation.Hold, evaluations[DemoPortfolio.ProductRecommendations].Recommendation.Recommendation);
        Assert.True(evaluations[DemoPortfolio.ProductRecommendations].Compliance.Rate < 1m);
        Assert.Contains(evaluations[DemoPortfolio.IncidentTriage].Warnings, w => w.RuleId == EarlyWarnings.CostDriftId);
        Assert.Contains(evaluations.Values, e => e.Recommendation.Recommendation == Recommendation.Scale);
        Assert.True(evaluations.Values.Count(e => e.Rolling.NetValue is { Amount: > 0m }) >= 6);

        // Answers end last ISO week: the current week has no data yet.
        var lastWeek = await host.WithScopeAsync(s => Task.FromResult(s.GetRequiredService<UseCaseRegistry>().CurrentWeek.Previous()));
        Assert.All(evaluations.Values.Where(e => e.UseCaseId != DemoPortfolio.ProductRecommendations),
            e => Assert.Equal(lastWeek, e.Latest!.Week));
    }

    [Fact]
    public async Task Starting_twice_on_the_same_database_seeds_nothing_new()
    {
        await using var database = TestDatabase.CreateSqlite();
        (int UseCases, int CheckIns, int Audit, int People) first, second;
        await using (var host = await ValueBotTestHost.StartAsync(database.ConnectionString, LocalDemo))
        {
            first = await CountsAsync(host);
        }

        await using (var host = await ValueBotTestHost.StartAsync(database.ConnectionString, LocalDemo))
        {
            second = await CountsAsync(host);
        }

        Assert.Equal(12, first.UseCases);
        Assert.True(first.CheckIns >= 100);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Outside_local_mode_Demo_Seed_is_ignored()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["Demo:Seed"] = "true" });

        var counts = await CountsAsync(host);

        Assert.Equal(0, counts.UseCases);
        Assert.Equal(0, counts.CheckIns);
    }

    [Fact]
    public async Task Local_mode_without_Demo_Seed_seeds_nothing()
    {
        await using var database = TestDatabase.CreateSqlite();
        var settings = new Dictionary<string, string?>(LocalDemo) { ["Demo:Seed"] = "false" };
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, settings);

        Assert.Equal(0, (await CountsAsync(host)).UseCases);
    }

    private static Task<(int UseCases, int CheckIns, int Audit, int People)> CountsAsync(ValueBotTestHost host) =>
        host.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<ValueBotDbContext>();
            return (
                await db.Set<UseCaseRecord>().CountAsync(),
                await db.Set<CheckIn>().CountAsync(),
                await db.Set<AuditEntry>().CountAsync(),
                await db.Set<Person>().CountAsync());
        });
}
