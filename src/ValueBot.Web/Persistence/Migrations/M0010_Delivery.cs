namespace ValueBot.Web.Persistence.Migrations;

/// <summary>
/// Delivery that survives the real world: an outbox message may carry the time after which retrying is pointless
/// (a check-in's deadline) and the error code Teams gave; a check-in remembers when its card went in doubt and when the
/// admins were told of its delivery trouble; an installation keeps the time zone learnt before its user was
/// registered; live senders note themselves, so each takes its share of the send rate.
/// </summary>
internal sealed class M0010_Delivery : Migration
{
    public override int Version => 10;

    public override string Name => "delivery";

    public override IEnumerable<string> Up(DatabaseEngine engine)
    {
        var ts = Timestamp(engine);
        yield return $"ALTER TABLE outbox_messages ADD COLUMN expires_at {ts} NULL";
        yield return "ALTER TABLE outbox_messages ADD COLUMN error_code TEXT NULL";
        yield return $"ALTER TABLE check_ins ADD COLUMN in_doubt_at {ts} NULL";
        yield return $"ALTER TABLE check_ins ADD COLUMN delivery_reported_at {ts} NULL";
        yield return "ALTER TABLE installations ADD COLUMN time_zone TEXT NULL";
        yield return $"""
            CREATE TABLE outbox_senders (
                sender TEXT NOT NULL PRIMARY KEY,
                seen_at {ts} NOT NULL
            )
            """;
    }
}
