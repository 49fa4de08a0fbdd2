namespace ValueBot.Web.Persistence.Migrations;

/// <summary>The registry and the measurement loop: people, use cases, weekly check-ins, stage-gate decisions, audit trail.</summary>
internal sealed class M0002_Registry : Migration
{
    public override int Version => 2;

    public override string Name => "registry";

    public override IEnumerable<string> Up(DatabaseEngine engine)
    {
        var ts = Timestamp(engine);
        var money = Money(engine);
        var dec = Decimal(engine);
        var boolean = Bool(engine);
        yield return $"""
            CREATE TABLE people (
                aad_object_id TEXT NOT NULL PRIMARY KEY,
                user_principal_name TEXT NULL,
                display_name TEXT NOT NULL,
                mail TEXT NULL,
                time_zone TEXT NULL,
                manager_aad_object_id TEXT NULL,
                has_left {boolean} NOT NULL DEFAULT {(engine == DatabaseEngine.Postgres ? "FALSE" : "0")},
                updated_at {ts} NOT NULL
            )
            """;
        yield return "CREATE INDEX ix_people_upn ON people (user_principal_name)";
        yield return "CREATE INDEX ix_people_manager ON people (manager_aad_object_id)";
        yield return $"""
            CREATE TABLE use_cases (
                id TEXT NOT NULL PRIMARY KEY,
                name TEXT NOT NULL,
                description TEXT NULL,
                value_model TEXT NOT NULL,
                stage TEXT NOT NULL,
                owner_aad_object_id TEXT NULL,
                delegate_aad_object_id TEXT NULL,
                sponsor_aad_object_id TEXT NULL,
                org_unit TEXT NULL,
                workflow TEXT NULL,
                pnl_line TEXT NOT NULL,
                success_criteria TEXT NULL,
                launch_date TEXT NULL,
                target_users INTEGER NOT NULL,
                currency TEXT NOT NULL,
                baseline_minutes_per_task {dec} NOT NULL,
                baseline_tasks_per_week {dec} NOT NULL,
                hourly_cost {money} NOT NULL,
                baseline_rework_rate {dec} NULL,
                minutes_per_exception {dec} NOT NULL,
                declared_benefit {dec} NULL,
                planned_run_cost_per_month {money} NOT NULL,
                max_rework_rate {dec} NOT NULL,
                min_adoption {dec} NOT NULL,
                max_exception_rate {dec} NULL,
                check_in_day TEXT NOT NULL,
                check_in_time TEXT NOT NULL,
                retired_at {ts} NULL,
                created_at {ts} NOT NULL,
                updated_at {ts} NOT NULL,
                row_version INTEGER NOT NULL DEFAULT 0
            )
            """;
        yield return "CREATE INDEX ix_use_cases_owner ON use_cases (owner_aad_object_id)";
        yield return $"""
            CREATE TABLE check_ins (
                id {AutoId(engine)},
                use_case_id TEXT NOT NULL REFERENCES use_cases (id),
                week TEXT NOT NULL,
                status TEXT NOT NULL,
                answer_json TEXT NULL,
                answered_by TEXT NULL,
                answered_at {ts} NULL,
                conversation_id TEXT NULL,
                activity_id TEXT NULL,
                sent_at {ts} NULL,
                reminded_at {ts} NULL,
                created_at {ts} NOT NULL,
                updated_at {ts} NOT NULL
            )
            """;
        // One check-in per use case per ISO week: the database itself refuses a duplicate.
        yield return "CREATE UNIQUE INDEX ux_check_ins_use_case_week ON check_ins (use_case_id, week)";
        yield return "CREATE INDEX ix_check_ins_week_status ON check_ins (week, status)";
        yield return $"""
            CREATE TABLE decisions (
                id {AutoId(engine)},
                use_case_id TEXT NOT NULL REFERENCES use_cases (id),
                decision TEXT NOT NULL,
                recommendation TEXT NULL,
                reason TEXT NOT NULL,
                decided_by TEXT NOT NULL,
                decided_at {ts} NOT NULL
            )
            """;
        yield return "CREATE INDEX ix_decisions_use_case ON decisions (use_case_id, decided_at)";
        yield return $"""
            CREATE TABLE audit_entries (
                id {AutoId(engine)},
                entity TEXT NOT NULL,
                entity_id TEXT NOT NULL,
                field TEXT NOT NULL,
                old_value TEXT NULL,
                new_value TEXT NULL,
                changed_by TEXT NOT NULL,
                changed_at {ts} NOT NULL
            )
            """;
        yield return "CREATE INDEX ix_audit_entries_entity ON audit_entries (entity, entity_id, changed_at)";
    }
}
