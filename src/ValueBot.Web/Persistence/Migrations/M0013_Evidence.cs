namespace ValueBot.Web.Persistence.Migrations;

/// <summary>
/// Evidence behind the figures (DOMAIN.md "Evidence"): a use case's link to Microsoft 365 Copilot (its target group, an
/// Entra group id), the active users Graph's Copilot usage report measured for it per ISO week, and the managers'
/// monthly confirmations or disputes of adoption figures.
/// </summary>
internal sealed class M0013_Evidence : Migration
{
    public override int Version => 13;

    public override string Name => "evidence";

    public override IEnumerable<string> Up(DatabaseEngine engine)
    {
        var ts = Timestamp(engine);
        var boolean = Bool(engine);
        yield return $"""
            CREATE TABLE copilot_links (
                use_case_id TEXT NOT NULL PRIMARY KEY REFERENCES use_cases (id),
                group_id TEXT NOT NULL,
                linked_by TEXT NOT NULL,
                linked_at {ts} NOT NULL
            )
            """;
        // active_member_ids: the union over the week's readings (the report keeps only each user's latest activity);
        // null with names_concealed, when no member can be matched.
        yield return $"""
            CREATE TABLE measured_usage (
                use_case_id TEXT NOT NULL REFERENCES use_cases (id),
                week TEXT NOT NULL,
                group_id TEXT NOT NULL,
                active_users INTEGER NULL,
                active_member_ids TEXT NULL,
                group_members INTEGER NOT NULL,
                names_concealed {boolean} NOT NULL,
                tenant_active_users INTEGER NOT NULL,
                report_refresh_date TEXT NULL,
                measured_at {ts} NOT NULL,
                PRIMARY KEY (use_case_id, week)
            )
            """;
        yield return "CREATE INDEX ix_measured_usage_week ON measured_usage (week)";
        // answered_at: the answer the verdict was about; a later answer of the week lifts a dispute.
        yield return $"""
            CREATE TABLE adoption_reviews (
                use_case_id TEXT NOT NULL REFERENCES use_cases (id),
                week TEXT NOT NULL,
                verdict TEXT NOT NULL,
                active_users INTEGER NOT NULL,
                answered_at {ts} NULL,
                manager_aad_object_id TEXT NOT NULL,
                manager_name TEXT NOT NULL,
                reviewed_at {ts} NOT NULL,
                PRIMARY KEY (use_case_id, week)
            )
            """;
        yield return "CREATE INDEX ix_adoption_reviews_week ON adoption_reviews (week)";
    }
}
