namespace ValueBot.Web.Persistence.Migrations;

/// <summary>
/// The answers stored for reading: <c>weekly_figures</c> holds each answered week's numbers, evidence and texts in typed
/// columns, so the digests, reviews, the tab and the API read rows instead of parsing JSON. The answer as given stays in
/// <c>check_ins.answer_json</c> (the one source, kept for audit); triggers write its figures in the same statement,
/// hence the same transaction, whichever code path stores or replaces an answer, and remove them when it is cleared.
/// Existing answers are copied over here. Text that is not a JSON answer gets no figures (it reads as no data).
/// </summary>
internal sealed class M0016_WeeklyFigures : Migration
{
    public override int Version => 16;

    public override string Name => "weekly figures";

    /// <summary>Column, JSON path in the answer, kind (i = integer, d = decimal, b = boolean, t = text, j = JSON).</summary>
    internal static readonly (string Column, string Path, char Kind)[] Columns =
    [
        ("active_users", "activeUsers", 'i'),
        ("tasks", "tasks", 'i'),
        ("minutes_saved_per_task", "minutesSavedPerTask", 'd'),
        ("rework_share", "reworkShare", 'd'),
        ("minutes_per_correction", "minutesPerCorrection", 'd'),
        ("exceptions", "exceptions", 'i'),
        ("quality_incidents", "qualityIncidents", 'i'),
        ("quality_incident_note", "qualityIncidentNote", 't'),
        ("model_changed", "modelChanged", 'b'),
        ("model_change_note", "modelChangeNote", 't'),
        ("run_cost_licences", "runCost.licencesAndTokens.amount", 'd'),
        ("run_cost_support", "runCost.support.amount", 'd'),
        ("run_cost_integration", "runCost.integrationAndMaintenance.amount", 'd'),
        ("currency", "runCost.licencesAndTokens.currency", 't'),
        ("backlog_shrinking", "backlogShrinking", 't'),
        ("win", "win", 't'),
        ("share_win", "shareWinWithLeadership", 'b'),
        ("blocker", "blocker", 't'),
        ("owners_call", "ownersCall", 't'),
        ("proposes_stopping", "proposesStopping", 'b'),
        ("minutes_saved_source", "minutesSavedEvidence.source", 't'),
        ("minutes_saved_confidence", "minutesSavedEvidence.confidence", 't'),
        ("active_users_source", "activeUsersEvidence.source", 't'),
        ("active_users_confidence", "activeUsersEvidence.confidence", 't'),
        ("freed_time", "freedTime", 't'),
        ("outliers", "outliers", 'j'),
        ("model_answers", "modelAnswers", 'j'),
    ];

    public override IEnumerable<string> Up(DatabaseEngine engine)
    {
        var pg = engine == DatabaseEngine.Postgres;
        string Type(char kind) => kind switch
        {
            'i' => "BIGINT",
            'd' => pg ? "NUMERIC" : "TEXT", // as given: no fixed scale, so 6.25 reads back as 6.25
            'b' => Bool(engine),
            _ => "TEXT",
        };
        var columns = string.Join(",\n    ", Columns.Select(c => $"{c.Column} {Type(c.Kind)} NULL"));
        yield return $"""
            CREATE TABLE weekly_figures (
                use_case_id TEXT NOT NULL,
                week TEXT NOT NULL,
                {columns},
                PRIMARY KEY (use_case_id, week),
                FOREIGN KEY (use_case_id, week) REFERENCES check_ins (use_case_id, week) ON DELETE CASCADE
            )
            """;
        // The window reads of the digests are a range on the week across all use cases.
        yield return "CREATE INDEX ix_weekly_figures_week ON weekly_figures (week)";
        var names = string.Join(", ", Columns.Select(c => c.Column));
        if (pg)
        {
            string Pg(string path, char kind)
            {
                var parts = path.Split('.');
                var node = "a" + string.Concat(parts[..^1].Select(p => $" -> '{p}'")) + $" ->> '{parts[^1]}'";
                return kind switch
                {
                    'i' => $"({node})::bigint",
                    'd' => $"({node})::numeric",
                    'b' => $"({node})::boolean",
                    'j' => $"(answer::json -> '{path}')::text", // json, not jsonb: keys stay in the order given
                    _ => $"({node})",
                };
            }

            var values = string.Join(", ", Columns.Select(c => Pg(c.Path, c.Kind)));
            var updates = string.Join(", ", Columns.Select(c => $"{c.Column} = EXCLUDED.{c.Column}"));
            // Unreadable text gets no figures instead of failing the write, as the readers treat it as no data.
            yield return $$"""
                CREATE FUNCTION weekly_figures_of(use_case TEXT, answer_week TEXT, answer TEXT) RETURNS void LANGUAGE plpgsql AS $$
                DECLARE a jsonb;
                BEGIN
                    DELETE FROM weekly_figures WHERE use_case_id = use_case AND week = answer_week;
                    IF answer IS NULL THEN RETURN; END IF;
                    BEGIN
                        a := answer::jsonb;
                        INSERT INTO weekly_figures (use_case_id, week, {{names}}) VALUES (use_case, answer_week, {{values}})
                        ON CONFLICT (use_case_id, week) DO UPDATE SET {{updates}};
                    EXCEPTION WHEN others THEN
                        RETURN;
                    END;
                END $$
                """;
            yield return """
                CREATE FUNCTION weekly_figures_write() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM weekly_figures_of(NEW.use_case_id, NEW.week, NEW.answer_json);
                    RETURN NULL;
                END $$
                """;
            yield return "CREATE TRIGGER tr_check_ins_figures_insert AFTER INSERT ON check_ins FOR EACH ROW WHEN (NEW.answer_json IS NOT NULL) EXECUTE FUNCTION weekly_figures_write()";
            yield return "CREATE TRIGGER tr_check_ins_figures_update AFTER UPDATE ON check_ins FOR EACH ROW WHEN (OLD.answer_json IS DISTINCT FROM NEW.answer_json) EXECUTE FUNCTION weekly_figures_write()";
            yield return "SELECT weekly_figures_of(use_case_id, week, answer_json) FROM check_ins WHERE answer_json IS NOT NULL";
            yield break;
        }

        // SQLite keeps a JSON number's text: "->" gives it back exactly (decimals are stored as text here).
        string Sqlite(string source, string path, char kind) => kind switch
        {
            'd' => $"NULLIF({source} -> '$.{path}', 'null')",
            'j' => $"json_extract({source}, '$.{path}')",
            _ => $"json_extract({source}, '$.{path}')",
        };
        string Insert(string source, string useCase, string week) => $"""
            INSERT OR REPLACE INTO weekly_figures (use_case_id, week, {names})
            SELECT {useCase}, {week}, {string.Join(", ", Columns.Select(c => Sqlite(source, c.Path, c.Kind)))}
            """;
        yield return $"""
            CREATE TRIGGER tr_check_ins_figures_insert AFTER INSERT ON check_ins WHEN NEW.answer_json IS NOT NULL AND json_valid(NEW.answer_json) BEGIN
                {Insert("NEW.answer_json", "NEW.use_case_id", "NEW.week")};
            END
            """;
        yield return $"""
            CREATE TRIGGER tr_check_ins_figures_update AFTER UPDATE OF answer_json ON check_ins WHEN OLD.answer_json IS NOT NEW.answer_json BEGIN
                DELETE FROM weekly_figures WHERE use_case_id = NEW.use_case_id AND week = NEW.week;
                {Insert("NEW.answer_json", "NEW.use_case_id", "NEW.week")} WHERE NEW.answer_json IS NOT NULL AND json_valid(NEW.answer_json);
            END
            """;
        yield return $"{Insert("answer_json", "use_case_id", "week")} FROM check_ins WHERE answer_json IS NOT NULL AND json_valid(answer_json)";
    }
}
