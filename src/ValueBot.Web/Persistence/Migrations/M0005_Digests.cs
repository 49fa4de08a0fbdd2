namespace ValueBot.Web.Persistence.Migrations;

/// <summary>Where the leadership digest and shared wins are posted (see <c>Digests/DigestChannel.cs</c>).</summary>
internal sealed class M0005_Digests : Migration
{
    public override int Version => 5;

    public override string Name => "digests";

    public override IEnumerable<string> Up(DatabaseEngine engine)
    {
        yield return $"""
            CREATE TABLE digest_channels (
                purpose TEXT NOT NULL PRIMARY KEY,
                tenant_id TEXT NULL,
                team_id TEXT NOT NULL,
                team_name TEXT NULL,
                channel_id TEXT NOT NULL,
                service_url TEXT NOT NULL,
                set_by TEXT NOT NULL,
                set_at {Timestamp(engine)} NOT NULL
            )
            """;
    }
}
