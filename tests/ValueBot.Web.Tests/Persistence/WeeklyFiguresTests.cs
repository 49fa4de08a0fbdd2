using Microsoft.Extensions.Logging.Abstractions;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.Evidence;
using ValueBot.Domain.Periods;
using ValueBot.Domain.UseCases;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.Tests.Persistence;

/// <summary>
/// Answers stored for reading: each answered week's figures sit in typed columns of <c>weekly_figures</c>, written with
/// the answer whatever wrote it, copied over for existing databases, and read back as the very answer that was given.
/// </summary>
public sealed class WeeklyFiguresTests
{
    private static readonly IsoWeek W47 = IsoWeek.Parse("2026-W47");

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AnAnswerReadFromItsFiguresIsTheAnswerAsGivenAndFollowsAReplacement(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 17, 10, 0, 0, TimeSpan.Zero));
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, time: clock);
        var useCase = new UseCase
        {
            Id = Guid.NewGuid(),
            Name = "Invoice triage",
            ValueModel = ValueModel.ProcessReengineering,
            TargetUsers = 100,
            Baseline = new Baseline(10m, 500m, new Money(60m, "EUR"), 0.1m, 20m),
            PlannedRunCostPerMonth = new Money(1300m, "EUR"),
        };
        await host.WithScopeAsync(sp => sp.GetRequiredService<UseCaseRegistry>().CreateAsync(useCase, "test", CancellationToken.None));

        foreach (var tasks in new[] { 120, 180 })
        {
            var given = EveryFieldAnswer.With(tasks);
            await host.WithScopeAsync(sp => sp.GetRequiredService<CheckInStore>().RecordAnswerAsync(useCase.Id, W47, given, "aad-ada", CancellationToken.None));
            var read = await host.WithScopeAsync(sp => sp.GetRequiredService<ValueBot.Web.CheckIns.CheckInHistory>().WeekHistoryAsync(useCase.Id, CancellationToken.None));
            Assert.Equal(AnswerJson.Serialize(given), AnswerJson.Serialize(Assert.Single(read).Answer!));
            Assert.Equal(tasks, await ScalarAsync(database, $"SELECT tasks FROM weekly_figures WHERE use_case_id = '{useCase.Id:D}' AND week = '2026-W47'"));
        }
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task ExistingAnswersGetTheirFiguresAndLaterWritesKeepThemInStep(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        Assert.Equal(15, await Migrator(database).MigrateAsync(targetVersion: 15));
        var now = engine == "postgres" ? "now()" : "'2026-11-22 10:00:00'";
        await ExecuteAsync(database, $"""
            INSERT INTO use_cases (id, name, value_model, stage, pnl_line, target_users, currency, baseline_minutes_per_task, baseline_tasks_per_week,
                hourly_cost, minutes_per_exception, planned_run_cost_per_month, check_in_day, check_in_time, created_at, updated_at)
            VALUES ('uc1', 'Invoice triage', 'ProcessReengineering', 'Pilot', 'Cost', 40, 'EUR', 12, 500, 60, 20, 1000, 'Monday', '09:00', {now}, {now})
            """);
        var answer = AnswerJson.Serialize(EveryFieldAnswer.With(120)).Replace("'", "''", StringComparison.Ordinal);
        await ExecuteAsync(database, $"""
            INSERT INTO check_ins (use_case_id, week, status, answer_json, created_at, updated_at) VALUES
            ('uc1', '2026-W46', 'answered', '{answer}', {now}, {now}),
            ('uc1', '2026-W47', 'answered', 'not an answer', {now}, {now}),
            ('uc1', '2026-W48', 'sent', NULL, {now}, {now})
            """);

        await Migrator(database).MigrateAsync();

        Assert.Equal(1, await ScalarAsync(database, "SELECT COUNT(*) FROM weekly_figures"));
        Assert.Equal(120, await ScalarAsync(database, "SELECT tasks FROM weekly_figures WHERE week = '2026-W46'"));
        Assert.Equal(1, await ScalarAsync(database, "SELECT COUNT(*) FROM weekly_figures WHERE week = '2026-W46' AND win = 'Month-end closed a day early' AND owners_call = 'atRisk'"));

        // Raw writes, as any code path might do them: the figures follow in the same statement.
        await ExecuteAsync(database, $"UPDATE check_ins SET answer_json = '{answer.Replace("\"tasks\":120", "\"tasks\":95", StringComparison.Ordinal)}', status = 'answered' WHERE week = '2026-W48'");
        Assert.Equal(95, await ScalarAsync(database, "SELECT tasks FROM weekly_figures WHERE week = '2026-W48'"));
        await ExecuteAsync(database, "UPDATE check_ins SET answer_json = NULL WHERE week = '2026-W46'");
        Assert.Equal(0, await ScalarAsync(database, "SELECT COUNT(*) FROM weekly_figures WHERE week = '2026-W46'"));
        await ExecuteAsync(database, "DELETE FROM check_ins WHERE week = '2026-W48'");
        Assert.Equal(0, await ScalarAsync(database, "SELECT COUNT(*) FROM weekly_figures"));
    }

    private static SchemaMigrator Migrator(TestDatabase database) =>
        new(new DatabaseOptions
        {
            Engine = database.IsPostgres ? DatabaseEngine.Postgres : DatabaseEngine.Sqlite,
            ConnectionString = database.ConnectionString,
        }, NullLogger<SchemaMigrator>.Instance);

    private static Task ExecuteAsync(TestDatabase database, string sql) => database.ExecuteAsync(sql, foreignKeys: true);

    private static Task<long> ScalarAsync(TestDatabase database, string sql) => database.ScalarAsync(sql, foreignKeys: true);
}
