namespace ValueBot.Web.Persistence.Migrations;

/// <summary>
/// The weekly loop: each check-in remembers the zone and deadline it was scheduled with, when it was escalated and
/// why it could not be delivered; the outbox marks when a send went on the wire (so a crash mid-send is known to be
/// in doubt); <c>schedule_runs</c> records the once-a-period runs (digests, reviews) already done.
/// The scheduler of that time provisioned its own tables; M0011 drops them.
/// </summary>
internal sealed class M0006_Schedule : Migration
{
    public override int Version => 6;

    public override string Name => "schedule";

    public override IEnumerable<string> Up(DatabaseEngine engine)
    {
        var ts = Timestamp(engine);
        yield return "ALTER TABLE check_ins ADD COLUMN time_zone TEXT NULL";
        yield return $"ALTER TABLE check_ins ADD COLUMN deadline_at {ts} NULL";
        yield return $"ALTER TABLE check_ins ADD COLUMN escalated_at {ts} NULL";
        yield return "ALTER TABLE check_ins ADD COLUMN undeliverable_reason TEXT NULL";
        yield return $"ALTER TABLE outbox_messages ADD COLUMN on_wire_at {ts} NULL";
        yield return $"""
            CREATE TABLE schedule_runs (
                run_key TEXT NOT NULL PRIMARY KEY,
                ran_at {ts} NOT NULL
            )
            """;
    }
}
