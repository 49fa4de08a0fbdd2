using System.Data.Common;
using Microsoft.Extensions.Logging.Abstractions;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;

namespace ValueBot.Web.Tests.Persistence;

public sealed class SchemaMigratorTests
{
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task MigratesAnEmptyDatabaseToTheLatestVersion(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var migrator = Migrator(database);

        var version = await migrator.MigrateAsync();

        Assert.Equal(SchemaMigrator.LatestVersion, version);
        Assert.Equal(SchemaMigrator.All.Count, await ScalarAsync(database, "SELECT COUNT(*) FROM schema_migrations"));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task RunningTwiceChangesNothing(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await Migrator(database).MigrateAsync();

        await Migrator(database).MigrateAsync();

        Assert.Equal(SchemaMigrator.All.Count, await ScalarAsync(database, "SELECT COUNT(*) FROM schema_migrations"));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task UpgradesADatabaseCreatedByAnEarlierMigrationWithoutLosingData(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        Assert.Equal(1, await Migrator(database).MigrateAsync(targetVersion: 1));
        var now = engine == "postgres" ? "now()" : "'2026-11-22 10:00:00'";
        await ExecuteAsync(database, $"""
            INSERT INTO installations (conversation_id, scope, service_url, tenant_id, user_id, aad_object_id, user_name, installed_at, updated_at)
            VALUES ('a:kept', 'personal', 'https://smba.trafficmanager.net/teams/', 't1', '29:kept', 'aad-kept', 'Kept Person', {now}, {now})
            """);

        var version = await Migrator(database).MigrateAsync();

        Assert.Equal(SchemaMigrator.LatestVersion, version);
        Assert.Equal(1, await ScalarAsync(database, "SELECT COUNT(*) FROM installations WHERE conversation_id = 'a:kept' AND user_name = 'Kept Person'"));
        Assert.Equal(0, await ScalarAsync(database, "SELECT COUNT(*) FROM use_cases"));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task RefusesADatabaseNewerThanThisBuild(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await Migrator(database).MigrateAsync();
        await ExecuteAsync(database, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'from the future', 'x')");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Migrator(database).MigrateAsync());

        Assert.Contains("9999", error.Message);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task ACheckInCannotBeStoredTwiceForTheSameWeek(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await Migrator(database).MigrateAsync();
        var now = engine == "postgres" ? "now()" : "'2026-11-22 10:00:00'";
        await ExecuteAsync(database, $"""
            INSERT INTO use_cases (id, name, value_model, stage, pnl_line, target_users, currency, baseline_minutes_per_task, baseline_tasks_per_week,
                hourly_cost, minutes_per_exception, planned_run_cost_per_month, check_in_day, check_in_time, created_at, updated_at)
            VALUES ('uc1', 'Invoice triage', 'ProcessReengineering', 'Pilot', 'Cost', 40, 'EUR', 12, 500, 60, 20, 1000, 'Monday', '09:00', {now}, {now})
            """);
        var insert = $"INSERT INTO check_ins (use_case_id, week, status, created_at, updated_at) VALUES ('uc1', '2026-W47', 'Sent', {now}, {now})";
        await ExecuteAsync(database, insert);

        await Assert.ThrowsAnyAsync<DbException>(() => ExecuteAsync(database, insert));
        Assert.Equal(1, await ScalarAsync(database, "SELECT COUNT(*) FROM check_ins"));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AnswersStoredBeforeRevisionsBecomeRevisionOneSoCardsSentBeforeThemAreOutOfDate(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        Assert.Equal(10, await Migrator(database).MigrateAsync(targetVersion: 10));
        var now = engine == "postgres" ? "now()" : "'2026-11-22 10:00:00'";
        await ExecuteAsync(database, $"""
            INSERT INTO use_cases (id, name, value_model, stage, pnl_line, target_users, currency, baseline_minutes_per_task, baseline_tasks_per_week,
                hourly_cost, minutes_per_exception, planned_run_cost_per_month, check_in_day, check_in_time, created_at, updated_at)
            VALUES ('uc1', 'Invoice triage', 'ProcessReengineering', 'Pilot', 'Cost', 40, 'EUR', 12, 500, 60, 20, 1000, 'Monday', '09:00', {now}, {now})
            """);
        await ExecuteAsync(database, $"""
            INSERT INTO check_ins (use_case_id, week, status, answer_json, created_at, updated_at)
            VALUES ('uc1', '2026-W46', 'answered', '{"{}"}', {now}, {now}), ('uc1', '2026-W47', 'sent', NULL, {now}, {now})
            """);

        await Migrator(database).MigrateAsync();

        Assert.Equal(1, await ScalarAsync(database, "SELECT answer_revision FROM check_ins WHERE week = '2026-W46'"));
        Assert.Equal(0, await ScalarAsync(database, "SELECT answer_revision FROM check_ins WHERE week = '2026-W47'"));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task FoldsStopLossColumnsIntoPolicyOverridesKeepingOnlyValuesThatDifferFromTheDefaults(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        Assert.Equal(2, await Migrator(database).MigrateAsync(targetVersion: 2));
        var now = engine == "postgres" ? "now()" : "'2026-11-22 10:00:00'";
        // Written as EF Core wrote them before: on SQLite decimals are TEXT.
        string D(string value) => engine == "postgres" ? value : $"'{value}'";
        foreach (var (id, rework, adoption, exceptions) in new[]
        {
            ("uc-default", D("0.15"), D("0.6"), "NULL"),
            ("uc-own", D("0.12"), D("0.6"), D("0.25")),
            ("uc-adoption", D("0.15"), D("0.45"), "NULL"),
        })
        {
            await ExecuteAsync(database, $"""
                INSERT INTO use_cases (id, name, value_model, stage, pnl_line, target_users, currency, baseline_minutes_per_task, baseline_tasks_per_week,
                    hourly_cost, minutes_per_exception, planned_run_cost_per_month, max_rework_rate, min_adoption, max_exception_rate, check_in_day, check_in_time, created_at, updated_at)
                VALUES ('{id}', 'Invoice triage', 'ProcessReengineering', 'Pilot', 'Cost', 40, 'EUR', 12, 500, 60, 20, 1000, {rework}, {adoption}, {exceptions}, 'Monday', '09:00', {now}, {now})
                """);
        }

        await Migrator(database).MigrateAsync();

        Assert.Null(await OverridesAsync(database, "uc-default"));
        Assert.Equal(new ValueBot.Domain.Policies.EvaluationPolicyOverrides { MaxReworkRate = 0.12m, MaxExceptionRate = 0.25m }, await OverridesAsync(database, "uc-own"));
        Assert.Equal(new ValueBot.Domain.Policies.EvaluationPolicyOverrides { MinAdoption = 0.45m }, await OverridesAsync(database, "uc-adoption"));
        await Assert.ThrowsAnyAsync<DbException>(() => ScalarAsync(database, "SELECT COUNT(max_rework_rate) FROM use_cases"));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task ADatabaseThatAlreadyHasTheOutboxStillGetsThePolicyOverrides(string engine)
    {
        // M0003 was released after M0004 (its number was kept free), so a database may have 1, 2 and 4 but not 3.
        await using var database = await TestDatabase.CreateAsync(engine);
        await Migrator(database).MigrateAsync(targetVersion: 2);
        var engineKind = database.IsPostgres ? DatabaseEngine.Postgres : DatabaseEngine.Sqlite;
        foreach (var statement in new ValueBot.Web.Persistence.Migrations.M0004_Outbox().Up(engineKind))
        {
            await ExecuteAsync(database, statement);
        }

        await ExecuteAsync(database, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (4, 'outbox', 'x')");

        Assert.Equal(SchemaMigrator.LatestVersion, await Migrator(database).MigrateAsync());

        Assert.Equal(SchemaMigrator.All.Count, await ScalarAsync(database, "SELECT COUNT(*) FROM schema_migrations"));
        Assert.Equal(0, await ScalarAsync(database, "SELECT COUNT(policy_overrides) FROM use_cases"));
    }

    private static async Task<ValueBot.Domain.Policies.EvaluationPolicyOverrides?> OverridesAsync(TestDatabase database, string id)
    {
        await using var connection = Open(database);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT policy_overrides FROM use_cases WHERE id = '{id}'";
        var text = await command.ExecuteScalarAsync() as string;
        return ValueBot.Web.UseCases.PolicyOverridesJson.Read(text);
    }

    private static SchemaMigrator Migrator(TestDatabase database) =>
        new(new DatabaseOptions
        {
            Engine = database.IsPostgres ? DatabaseEngine.Postgres : DatabaseEngine.Sqlite,
            ConnectionString = database.ConnectionString,
        }, NullLogger<SchemaMigrator>.Instance);

    private static DbConnection Open(TestDatabase database) => database.Connect();

    private static Task ExecuteAsync(TestDatabase database, string sql) => database.ExecuteAsync(sql);

    private static Task<long> ScalarAsync(TestDatabase database, string sql) => database.ScalarAsync(sql);
}
