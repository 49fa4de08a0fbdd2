namespace ValueBot.Web.Persistence.Migrations;

/// <summary>Where ValueBot is installed: the conversation references it needs to write proactively.</summary>
internal sealed class M0001_Installations : Migration
{
    public override int Version => 1;

    public override string Name => "installations";

    public override IEnumerable<string> Up(DatabaseEngine engine)
    {
        yield return $"""
            CREATE TABLE installations (
                id {AutoId(engine)},
                conversation_id TEXT NOT NULL,
                scope TEXT NOT NULL,
                service_url TEXT NOT NULL,
                tenant_id TEXT NULL,
                user_id TEXT NULL,
                aad_object_id TEXT NULL,
                user_name TEXT NULL,
                team_id TEXT NULL,
                team_name TEXT NULL,
                channel_id TEXT NULL,
                installed_at {Timestamp(engine)} NOT NULL,
                updated_at {Timestamp(engine)} NOT NULL,
                removed_at {Timestamp(engine)} NULL
            )
            """;
        yield return "CREATE UNIQUE INDEX ux_installations_conversation ON installations (conversation_id)";
        yield return "CREATE INDEX ix_installations_aad_object_id ON installations (aad_object_id)";
        yield return "CREATE INDEX ix_installations_team_id ON installations (team_id)";
    }
}
