namespace ValueBot.Web.Persistence.Migrations;

/// <summary>The durable outbox of proactive messages (see <c>Delivery/Outbox.cs</c>).</summary>
internal sealed class M0004_Outbox : Migration
{
    public override int Version => 4;

    public override string Name => "outbox";

    public override IEnumerable<string> Up(DatabaseEngine engine)
    {
        yield return $"""
            CREATE TABLE outbox_messages (
                id {AutoId(engine)},
                dedupe_key TEXT NOT NULL,
                kind TEXT NOT NULL,
                tenant_id TEXT NULL,
                service_url TEXT NOT NULL,
                conversation_id TEXT NOT NULL,
                activity_json TEXT NOT NULL,
                update_activity_id TEXT NULL,
                state TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                next_attempt_at {Timestamp(engine)} NOT NULL,
                lease_owner TEXT NULL,
                lease_until {Timestamp(engine)} NULL,
                sent_activity_id TEXT NULL,
                last_error TEXT NULL,
                created_at {Timestamp(engine)} NOT NULL,
                updated_at {Timestamp(engine)} NOT NULL
            )
            """;
        yield return "CREATE UNIQUE INDEX ux_outbox_messages_dedupe_key ON outbox_messages (dedupe_key)";
        yield return "CREATE INDEX ix_outbox_messages_due ON outbox_messages (state, next_attempt_at)";
    }
}
