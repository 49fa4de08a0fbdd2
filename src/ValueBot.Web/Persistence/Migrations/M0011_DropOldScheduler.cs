namespace ValueBot.Web.Persistence.Migrations;

/// <summary>
/// The schedule moved to Hangfire (its own tables: schema <c>hangfire</c> on PostgreSQL, a sibling file on SQLite), so
/// the tables the former scheduler provisioned for itself go. <c>IF EXISTS</c>: a database that never ran the old
/// scheduler has none of them.
/// </summary>
internal sealed class M0011_DropOldScheduler : Migration
{
    /// <summary>Dependent tables first, for SQLite (no CASCADE there).</summary>
    private static readonly string[] Tables =
    [
        "qrtz_fired_triggers", "qrtz_paused_trigger_grps", "qrtz_scheduler_state", "qrtz_locks",
        "qrtz_simple_triggers", "qrtz_simprop_triggers", "qrtz_cron_triggers", "qrtz_blob_triggers",
        "qrtz_triggers", "qrtz_job_details", "qrtz_calendars",
    ];

    public override int Version => 11;

    public override string Name => "drop-old-scheduler";

    public override IEnumerable<string> Up(DatabaseEngine engine) =>
        Tables.Select(t => engine == DatabaseEngine.Postgres ? $"DROP TABLE IF EXISTS {t} CASCADE" : $"DROP TABLE IF EXISTS {t}");
}
