using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.Digests;
using ValueBot.Domain.Periods;
using ValueBot.Web.Digests;
using ValueBot.Web.Persistence;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.Tab;

/// <summary>The evaluated portfolio of one week, as the digests compute it, shared by every tab request until the data changes.</summary>
public sealed record EvaluatedPortfolio(
    IsoWeek Week,
    PortfolioSnapshot Snapshot,
    IReadOnlyList<DigestLine> Lines,
    IReadOnlySet<Guid> StoppedThisWeek,
    DateTimeOffset ComputedAt)
{
    /// <summary>The organisation's policy the lines were evaluated with (its evidence factors price the wins too).</summary>
    public ValueBot.Domain.Policies.EvaluationPolicy Policy { get; init; } = ValueBot.Domain.Policies.EvaluationPolicy.OrganisationDefault;
}

/// <summary>
/// One source of figures: the tab reads the portfolio through the digests' own <see cref="DigestStore"/> and
/// <see cref="DigestComposer.Lines"/>, with the organisation's policy. Evaluating 10,000 use cases takes seconds, so
/// the result is kept and reused while a cheap fingerprint of the tables it was read from (row counts and latest
/// change of check-ins in the window, how many are answered; use cases with their versions;
/// people; decisions) stays the same: a new answer, edit or decision
/// shows on the next request.
/// </summary>
public sealed class PortfolioReader(IServiceScopeFactory scopes, TimeProvider time, Microsoft.Extensions.Options.IOptions<TabOptions> options)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (IsoWeek Week, Fingerprint Print, EvaluatedPortfolio Portfolio)? _cached;
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;

    public async Task<EvaluatedPortfolio> ReadAsync(IsoWeek week, CancellationToken cancellationToken)
    {
        // The fingerprint scans the window's check-ins; within Tab:FreshnessInterval of the last check the kept portfolio is used as it is.
        var now = time.GetUtcNow();
        if (_cached is { } recent && recent.Week == week && now - _checkedAt < options.Value.FreshnessInterval)
        {
            return recent.Portfolio;
        }

        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var print = await FingerprintAsync(services.GetRequiredService<ValueBotDbContext>(), week, cancellationToken);
        _checkedAt = now;
        if (_cached is { } hit && hit.Week == week && hit.Print == print)
        {
            return hit.Portfolio;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } again && again.Week == week && again.Print == print)
            {
                return again.Portfolio;
            }

            var store = services.GetRequiredService<DigestStore>();
            var registry = services.GetRequiredService<UseCaseRegistry>();
            var snapshot = await store.LoadAsync(week, cancellationToken);
            var lines = DigestComposer.Lines(snapshot.UseCases, week, registry.OrganisationPolicy);
            var stopped = await store.StoppedDuringAsync(week, cancellationToken);
            var portfolio = new EvaluatedPortfolio(week, snapshot, lines, stopped, time.GetUtcNow()) { Policy = registry.OrganisationPolicy };
            _cached = (week, print, portfolio);
            return portfolio;
        }
        finally
        {
            _gate.Release();
        }
    }

    private (EvaluatedPortfolio Portfolio, bool IsAdmin, PortfolioView View)? _wholeView;

    /// <summary>
    /// The viewer's <see cref="PortfolioView"/>. Admins and leaders all see the whole portfolio (wins differ only between
    /// admins and the rest), so their view is built once per evaluated portfolio and reused with the viewer's name.
    /// </summary>
    public PortfolioView ViewFor(TabViewer viewer, EvaluatedPortfolio portfolio)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        if (!viewer.SeesWholePortfolio)
        {
            return PortfolioView.For(viewer, portfolio);
        }

        if (_wholeView is { } kept && ReferenceEquals(kept.Portfolio, portfolio) && kept.IsAdmin == viewer.IsAdmin)
        {
            return kept.View with { Viewer = viewer };
        }

        var view = PortfolioView.For(viewer, portfolio);
        _wholeView = (portfolio, viewer.IsAdmin, view);
        return view;
    }

    private static async Task<Fingerprint> FingerprintAsync(ValueBotDbContext db, IsoWeek week, CancellationToken cancellationToken)
    {
        var from = week.AddWeeks(-(DigestStore.HistoryWeeks - 1)).ToString();
        var to = week.ToString();
        // One pass over each table's index (M0014): the window's check-ins by (week, status, updated_at), the use cases
        // by (updated_at, row_version); no row of either table is read.
        var rows = await db.Database.SqlQuery<Fingerprint>($"""
            SELECT c.n AS check_ins, c.changed AS check_ins_changed, c.answered AS answered,
                   u.n AS use_cases, u.changed AS use_cases_changed, u.versions AS use_case_versions,
                   p.n AS people, p.changed AS people_changed, d.n AS decisions, r.changed AS adoption_reviewed
            FROM (SELECT COUNT(*) AS n, MAX(updated_at) AS changed, COALESCE(SUM(CASE WHEN status = 'answered' THEN 1 ELSE 0 END), 0) AS answered
                  FROM check_ins WHERE week >= {from} AND week <= {to}) c,
                 (SELECT COUNT(*) AS n, MAX(updated_at) AS changed, COALESCE(SUM(row_version), 0) AS versions FROM use_cases) u,
                 (SELECT COUNT(*) AS n, MAX(updated_at) AS changed FROM people) p,
                 (SELECT COUNT(*) AS n FROM decisions) d,
                 (SELECT MAX(reviewed_at) AS changed FROM adoption_reviews) r
            """).ToListAsync(cancellationToken);
        return rows.Single();
    }

    /// <summary>What the cached portfolio was computed from.</summary>
    internal sealed record Fingerprint
    {
        public long CheckIns { get; init; }

        public DateTime? CheckInsChanged { get; init; }

        public long Answered { get; init; }

        public long UseCases { get; init; }

        public long UseCaseVersions { get; init; }

        public DateTime? UseCasesChanged { get; init; }

        public long People { get; init; }

        public DateTime? PeopleChanged { get; init; }

        public long Decisions { get; init; }

        /// <summary>A manager's confirmation or dispute of an adoption figure shows on the next request.</summary>
        public DateTime? AdoptionReviewed { get; init; }
    }
}
