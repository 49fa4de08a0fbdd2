namespace ValueBot.Web.Persistence.Migrations;

/// <summary>
/// The tab's freshness check reads indexes only: the check-ins of its 13-week window by week with their status and
/// last change, and the use cases' last change and version, so it no longer visits every row of the window (about
/// 130,000 at 10,000 use cases).
/// </summary>
internal sealed class M0014_PortfolioFingerprint : Migration
{
    public override int Version => 14;

    public override string Name => "portfolio fingerprint indexes";

    public override IEnumerable<string> Up(DatabaseEngine engine)
    {
        yield return "CREATE INDEX ix_check_ins_week_status_updated ON check_ins (week, status, updated_at)";
        yield return "CREATE INDEX ix_use_cases_updated_version ON use_cases (updated_at, row_version)";
    }
}
