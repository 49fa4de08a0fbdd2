namespace ValueBot.Web.Persistence.Migrations;

/// <summary>
/// The check-in agenda: per use case, the next instant the check-in cycle has something to look at (send, remind,
/// close), so each tick reads only what is due instead of the whole registry. Triggers put a use case back on the
/// agenda ("look now", the epoch) whenever something its timing depends on changes, whichever code path wrote it: the
/// use case's owner, stage, retirement or schedule; the owner's time zone or leaving; the owner's 1:1 chat; a check-in
/// queued again. Each wake-up increments <c>version</c>, so a cycle run that read the entry before cannot overwrite
/// it with a plan made from older facts. Every existing use case starts on the agenda.
/// </summary>
internal sealed class M0015_CheckInAgenda : Migration
{
    /// <summary>"Look at it on the next tick": earlier than any real instant, and the same text on both engines.</summary>
    public const string Now = "1970-01-01 00:00:00";

    public override int Version => 15;

    public override string Name => "check-in agenda";

    public override IEnumerable<string> Up(DatabaseEngine engine)
    {
        var ts = Timestamp(engine);
        var now = engine == DatabaseEngine.Postgres ? $"TIMESTAMPTZ '{Now}+00'" : $"'{Now}'";
        yield return $"""
            CREATE TABLE check_in_agenda (
                use_case_id TEXT NOT NULL PRIMARY KEY REFERENCES use_cases (id) ON DELETE CASCADE,
                due_at {ts} NULL,
                version BIGINT NOT NULL DEFAULT 0
            )
            """;
        yield return "CREATE INDEX ix_check_in_agenda_due ON check_in_agenda (due_at)";
        yield return "CREATE INDEX ix_use_cases_owner_lower ON use_cases (lower(owner_aad_object_id))";
        // The admins' delivery report looks for these every tick: kept small by partial indexes.
        yield return "CREATE INDEX ix_check_ins_unreported_undeliverable ON check_ins (week) WHERE delivery_reported_at IS NULL AND status = 'undeliverable'";
        yield return "CREATE INDEX ix_check_ins_unreported_in_doubt ON check_ins (week) WHERE delivery_reported_at IS NULL AND in_doubt_at IS NOT NULL";
        yield return $"INSERT INTO check_in_agenda (use_case_id, due_at) SELECT id, {now} FROM use_cases";

        const string useCaseChanged = """
            OLD.owner_aad_object_id {0} NEW.owner_aad_object_id OR OLD.stage {0} NEW.stage OR OLD.retired_at {0} NEW.retired_at
            OR OLD.check_in_day {0} NEW.check_in_day OR OLD.check_in_time {0} NEW.check_in_time
            """;
        const string personChanged = "OLD.time_zone {0} NEW.time_zone OR OLD.has_left {0} NEW.has_left OR OLD.aad_object_id {0} NEW.aad_object_id";
        const string chatChanged = """
            (OLD.scope = 'personal' OR NEW.scope = 'personal')
            AND (OLD.removed_at {0} NEW.removed_at OR OLD.time_zone {0} NEW.time_zone OR OLD.aad_object_id {0} NEW.aad_object_id OR OLD.scope {0} NEW.scope)
            """;
        const string requeued = "NEW.status = 'scheduled' AND OLD.status <> 'scheduled'";
        if (engine == DatabaseEngine.Postgres)
        {
            var distinct = "IS DISTINCT FROM";
            yield return $"""
                CREATE FUNCTION check_in_agenda_wake_use_case() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO check_in_agenda (use_case_id, due_at) VALUES (NEW.id, {now})
                    ON CONFLICT (use_case_id) DO UPDATE SET due_at = EXCLUDED.due_at, version = check_in_agenda.version + 1;
                    RETURN NULL;
                END $$
                """;
            yield return $"""
                CREATE FUNCTION check_in_agenda_wake_owner() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE check_in_agenda SET due_at = {now}, version = version + 1
                    WHERE use_case_id IN (SELECT id FROM use_cases WHERE lower(owner_aad_object_id) = lower(NEW.aad_object_id));
                    IF TG_OP = 'UPDATE' AND OLD.aad_object_id IS DISTINCT FROM NEW.aad_object_id THEN
                        UPDATE check_in_agenda SET due_at = {now}, version = version + 1
                        WHERE use_case_id IN (SELECT id FROM use_cases WHERE lower(owner_aad_object_id) = lower(OLD.aad_object_id));
                    END IF;
                    RETURN NULL;
                END $$
                """;
            yield return $"""
                CREATE FUNCTION check_in_agenda_wake_check_in() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE check_in_agenda SET due_at = {now}, version = version + 1 WHERE use_case_id = NEW.use_case_id;
                    RETURN NULL;
                END $$
                """;
            yield return "CREATE TRIGGER tr_use_cases_agenda_insert AFTER INSERT ON use_cases FOR EACH ROW EXECUTE FUNCTION check_in_agenda_wake_use_case()";
            yield return $"CREATE TRIGGER tr_use_cases_agenda_update AFTER UPDATE ON use_cases FOR EACH ROW WHEN ({string.Format(null, useCaseChanged, distinct)}) EXECUTE FUNCTION check_in_agenda_wake_use_case()";
            yield return "CREATE TRIGGER tr_people_agenda_insert AFTER INSERT ON people FOR EACH ROW EXECUTE FUNCTION check_in_agenda_wake_owner()";
            yield return $"CREATE TRIGGER tr_people_agenda_update AFTER UPDATE ON people FOR EACH ROW WHEN ({string.Format(null, personChanged, distinct)}) EXECUTE FUNCTION check_in_agenda_wake_owner()";
            yield return "CREATE TRIGGER tr_installations_agenda_insert AFTER INSERT ON installations FOR EACH ROW WHEN (NEW.scope = 'personal') EXECUTE FUNCTION check_in_agenda_wake_owner()";
            yield return $"CREATE TRIGGER tr_installations_agenda_update AFTER UPDATE ON installations FOR EACH ROW WHEN ({string.Format(null, chatChanged, distinct)}) EXECUTE FUNCTION check_in_agenda_wake_owner()";
            yield return $"CREATE TRIGGER tr_check_ins_agenda_requeued AFTER UPDATE ON check_ins FOR EACH ROW WHEN ({requeued}) EXECUTE FUNCTION check_in_agenda_wake_check_in()";
            yield break;
        }

        var isNot = "IS NOT";
        var wakeOwner = $"""
            UPDATE check_in_agenda SET due_at = {now}, version = version + 1
            WHERE use_case_id IN (SELECT id FROM use_cases WHERE lower(owner_aad_object_id) = lower(NEW.aad_object_id));
            """;
        var wakeOldOwner = $"""
            UPDATE check_in_agenda SET due_at = {now}, version = version + 1
            WHERE OLD.aad_object_id IS NOT NEW.aad_object_id
              AND use_case_id IN (SELECT id FROM use_cases WHERE lower(owner_aad_object_id) = lower(OLD.aad_object_id));
            """;
        yield return $"""
            CREATE TRIGGER tr_use_cases_agenda_insert AFTER INSERT ON use_cases BEGIN
                INSERT INTO check_in_agenda (use_case_id, due_at) VALUES (NEW.id, {now}) ON CONFLICT (use_case_id) DO NOTHING;
            END
            """;
        yield return $"""
            CREATE TRIGGER tr_use_cases_agenda_update AFTER UPDATE ON use_cases WHEN {string.Format(null, useCaseChanged, isNot)} BEGIN
                UPDATE check_in_agenda SET due_at = {now}, version = version + 1 WHERE use_case_id = NEW.id;
            END
            """;
        yield return $"CREATE TRIGGER tr_people_agenda_insert AFTER INSERT ON people BEGIN {wakeOwner} END";
        yield return $"CREATE TRIGGER tr_people_agenda_update AFTER UPDATE ON people WHEN {string.Format(null, personChanged, isNot)} BEGIN {wakeOwner} {wakeOldOwner} END";
        yield return $"CREATE TRIGGER tr_installations_agenda_insert AFTER INSERT ON installations WHEN NEW.scope = 'personal' BEGIN {wakeOwner} END";
        yield return $"CREATE TRIGGER tr_installations_agenda_update AFTER UPDATE ON installations WHEN {string.Format(null, chatChanged, isNot)} BEGIN {wakeOwner} {wakeOldOwner} END";
        yield return $"""
            CREATE TRIGGER tr_check_ins_agenda_requeued AFTER UPDATE ON check_ins WHEN {requeued} BEGIN
                UPDATE check_in_agenda SET due_at = {now}, version = version + 1 WHERE use_case_id = NEW.use_case_id;
            END
            """;
    }
}
