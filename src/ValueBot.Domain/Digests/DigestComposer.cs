using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.Evaluation;
using ValueBot.Domain.Evidence;
using ValueBot.Domain.Metrics;
using ValueBot.Domain.Periods;
using ValueBot.Domain.Policies;
using ValueBot.Domain.StageGates;
using ValueBot.Domain.UseCases;
using ValueBot.Domain.Warnings;

namespace ValueBot.Domain.Digests;

/// <summary>
/// What goes into each digest, as pure functions over already-loaded use cases and weeks. Each use case is evaluated
/// once (<see cref="Lines"/>); the digests are then selections, rankings and sums of those lines.
/// </summary>
public static class DigestComposer
{
    /// <summary>Evaluates every use case as of <paramref name="week"/> (retired ones are left out).</summary>
    public static IReadOnlyList<DigestLine> Lines(IEnumerable<PortfolioUseCase> portfolio, IsoWeek week, EvaluationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        var lines = new List<DigestLine>();
        foreach (var entry in portfolio)
        {
            if (!entry.UseCase.Retired)
            {
                lines.Add(Line(entry, week, policy));
            }
        }

        return lines;
    }

    public static DigestLine Line(PortfolioUseCase entry, IsoWeek week, EvaluationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var useCase = entry.UseCase;
        var evaluation = UseCaseEvaluator.Evaluate(useCase, entry.History, week, policy);
        var effective = policy.For(useCase);
        var windowWeeks = effective.RollingWindowWeeks;
        var from = week.AddWeeks(-(windowWeeks - 1));
        var trend = new Money?[windowWeeks];
        var adjustedTrend = new Money?[windowWeeks];
        WeekRecord? thisWeek = null;
        WeeklyMetrics? thisMetrics = null, lastMetrics = null;
        foreach (var record in entry.History)
        {
            if (record.Week < from || record.Week > week)
            {
                continue;
            }

            if (record.Week == week)
            {
                thisWeek = record;
            }

            if (!record.HasData)
            {
                continue;
            }

            var metrics = WeeklyMetrics.Compute(useCase, record.Week, record.Answer!, effective.Evidence);
            trend[record.Week.WeeksSince(from)] = metrics.NetValue;
            adjustedTrend[record.Week.WeeksSince(from)] = metrics.AdjustedNetValue;
            if (record.Week == week)
            {
                thisMetrics = metrics;
            }
            else if (record.Week == week.Previous())
            {
                lastMetrics = metrics;
            }
        }

        var breached = evaluation.Warnings.Any(w => w.RuleId == EarlyWarnings.StopLossBreachId) && evaluation.LatestMetrics is not null;
        var answer = thisWeek is { HasData: true } answered ? answered.Answer : null;
        return new DigestLine
        {
            UseCase = useCase,
            Evaluation = evaluation,
            Report = ReportOf(thisWeek),
            ThisWeekStatus = thisWeek?.Status,
            OwnerReachable = entry.OwnerReachable && useCase.Owner is { HasLeftOrganisation: false },
            ThisWeek = thisMetrics,
            LastWeek = lastMetrics,
            BreachReasons = breached ? StopLoss.Reasons(evaluation.LatestMetrics!, effective.StopLoss) : [],
            OtherWarnings = evaluation.Warnings.Where(w => w.RuleId != EarlyWarnings.StopLossBreachId).ToList(),
            Win = answer is { Win: { Length: > 0 } story } && thisMetrics is not null
                ? new DigestWin(useCase, week, story.Trim(), answer.ShareWinWithLeadership, thisMetrics)
                : null,
            NetValueTrend = trend,
            AdjustedNetValueTrend = adjustedTrend,
        };
    }

    /// <summary>Missed, undeliverable, scheduled, sent or no row: not reported. Skipped is neither.</summary>
    public static WeekReport ReportOf(WeekRecord? record) => record switch
    {
        { HasData: true } => WeekReport.Reported,
        { Status: CheckInStatus.Skipped } => WeekReport.Skipped,
        _ => WeekReport.NotReported,
    };

    /// <summary>The digest of one manager over the lines of the use cases their reports own.</summary>
    public static ManagerDigest ForManager(PersonRef manager, IEnumerable<DigestLine> reportsUseCases, IsoWeek week)
    {
        var lines = reportsUseCases.Where(l => l.IsMeasured).OrderBy(l => l.Urgency).ThenBy(l => l.UseCase.Name, StringComparer.OrdinalIgnoreCase).ToList();
        return new ManagerDigest
        {
            Manager = manager,
            Week = week,
            UseCases = lines,
            Wins = RankWins(lines.Select(l => l.Win).OfType<DigestWin>()),
            ThisWeek = ThisWeekFigures(lines),
            LastWeek = LastWeekFigures(lines),
            NinetyDays = NinetyDayFigures(lines),
            Trend = Trend(lines, week),
        };
    }

    /// <summary>The portfolio digest. <paramref name="stoppedThisWeek"/>: use cases a leader decided to stop this week.</summary>
    public static LeadershipDigest ForLeadership(IReadOnlyList<DigestLine> lines, IsoWeek week, IReadOnlySet<Guid> stoppedThisWeek)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(stoppedThisWeek);
        var measured = lines.Where(l => l.IsMeasured).ToList();
        var byStage = Enum.GetValues<Stage>().ToDictionary(s => s, _ => 0);
        foreach (var line in lines)
        {
            byStage[line.UseCase.Stage]++;
        }

        var breaches = measured.Where(l => l.IsBreached)
            .OrderBy(l => l.Evaluation.Rolling.NetValue?.Amount ?? 0m).ThenBy(l => l.UseCase.Name, StringComparer.OrdinalIgnoreCase)
            .Select(l => new AtRisk(l, l.BreachReasons)).ToList();
        var stalled = measured.Where(l => l.IsStalled && !l.IsBreached)
            .OrderBy(l => l.UseCase.Name, StringComparer.OrdinalIgnoreCase)
            .Select(l => new AtRisk(l, l.OtherWarnings.Where(w => w.RuleId == EarlyWarnings.StaleId).Select(w => w.Reason).ToList())).ToList();
        var doubtful = measured
            .Select(l => new AtRisk(l, l.OtherWarnings.Where(w => EvidenceWarningIds.Contains(w.RuleId)).Select(w => w.Reason).ToList()))
            .Where(r => r.Reasons.Count > 0)
            .OrderBy(r => r.Line.UseCase.Name, StringComparer.OrdinalIgnoreCase).ToList();
        var stopped = lines.Where(l => stoppedThisWeek.Contains(l.Id) || (l.IsMeasured && l.Evaluation.Recommendation.Recommendation == Recommendation.Stop))
            .OrderBy(l => stoppedThisWeek.Contains(l.Id) ? 0 : 1).ThenBy(l => l.UseCase.Name, StringComparer.OrdinalIgnoreCase)
            .Select(l => new AtRisk(l, stoppedThisWeek.Contains(l.Id)
                ? ["Stopped this week by a stage-gate decision."]
                : l.Evaluation.Recommendation.Reasons.Select(r => r.Text).ToList()))
            .ToList();
        var missing = ByOwner(measured.Where(l => l.Report == WeekReport.NotReported && !l.IsUnreachable));
        var unreachable = ByOwner(measured.Where(l => l.IsUnreachable));
        return new LeadershipDigest
        {
            Week = week,
            MeasuredUseCases = measured.Count,
            ThisWeek = ThisWeekFigures(measured),
            LastWeek = LastWeekFigures(measured),
            NinetyDays = NinetyDayFigures(measured),
            ByStage = byStage,
            Wins = RankWins(measured.Select(l => l.Win).OfType<DigestWin>().Where(w => w.SharedWithLeadership)),
            Breaches = breaches,
            Stalled = stalled,
            Doubtful = doubtful,
            Stopped = stopped,
            NotReported = missing,
            Unreachable = unreachable,
            Trend = Trend(measured, week),
        };
    }

    /// <summary>
    /// The monthly financial review of the month starting on <paramref name="month"/>'s first day: every ISO week
    /// whose Monday lies in that month.
    /// </summary>
    /// <param name="policy">The organisation's policy (evidence factors, the absorbed-time rule); DOMAIN.md's defaults when null.</param>
    public static MonthlyReview Monthly(IEnumerable<PortfolioUseCase> portfolio, DateOnly month, EvaluationPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        policy ??= EvaluationPolicy.OrganisationDefault;
        var first = new DateOnly(month.Year, month.Month, 1);
        var firstMonday = first.AddDays((7 + (int)DayOfWeek.Monday - (int)first.DayOfWeek) % 7);
        var firstWeek = IsoWeek.FromDate(firstMonday);
        var lastWeek = IsoWeek.FromDate(first.AddMonths(1).AddDays(-1));
        if (lastWeek.Start.Month != first.Month)
        {
            lastWeek = lastWeek.Previous();
        }

        var rows = new List<MonthlyUseCase>();
        var gross = new MoneyTotals();
        var absorption = new MoneyTotals();
        var net = new MoneyTotals();
        var adjustedNet = new MoneyTotals();
        var measuredGross = new MoneyTotals();
        var freed = FreedTimeSummary.None;
        var withoutRelief = new List<SavingsWithoutRelief>();
        var translation = new MoneyTotals();
        var adoption = new MoneyTotals();
        var execution = new MoneyTotals();
        var control = new MoneyTotals();
        var withoutData = 0;
        foreach (var entry in portfolio)
        {
            var useCase = entry.UseCase;
            if (useCase.Retired)
            {
                continue;
            }

            var effective = policy.For(useCase);
            var sum = new MoneyTotals[9].Select(_ => new MoneyTotals()).ToArray();
            var answered = 0;
            var upToMonthEnd = new List<AnsweredWeek>();
            foreach (var record in entry.History)
            {
                if (record.Week > lastWeek || !record.HasData)
                {
                    continue;
                }

                var week = AnsweredWeek.Of(useCase, record, effective.Evidence);
                upToMonthEnd.Add(week);
                if (record.Week < firstWeek)
                {
                    continue;
                }

                answered++;
                sum[7].Add(week.Metrics.AdjustedNetValue);
                sum[8].Add(week.Metrics.GrossMeasured ? week.Metrics.GrossValue : Money.Zero(week.Metrics.GrossValue.Currency));
                freed = freed.Add(week.Answer.FreedTime, week.Metrics.HoursSaved);
                sum[0].Add(week.Metrics.GrossValue);
                sum[1].Add(week.Metrics.AbsorptionCost);
                sum[2].Add(week.Metrics.NetValue);
                sum[3].Add(week.Leakage.Translation);
                sum[4].Add(week.Leakage.Adoption);
                sum[5].Add(week.Leakage.Execution);
                sum[6].Add(week.Leakage.Control);
            }

            if (answered == 0)
            {
                if (useCase.Stage != Stage.Stopped)
                {
                    withoutData++;
                }

                continue;
            }

            // The rule as the evaluator fires it, over the last answered weeks up to the month's end.
            upToMonthEnd.Sort(static (x, y) => x.Week.CompareTo(y.Week));
            if (EarlyWarnings.AbsorbedShare(CollectionsMarshalSpan(upToMonthEnd), effective.AbsorbedWindowWeeks) is { } share
                && share >= effective.AbsorbedShareForNoRelief)
            {
                withoutRelief.Add(new SavingsWithoutRelief(useCase, share, effective.AbsorbedWindowWeeks));
            }

            var c = useCase.Currency;
            var row = new MonthlyUseCase(useCase, answered, sum[0].In(c), sum[1].In(c), sum[2].In(c), sum[3].In(c), sum[4].In(c), sum[5].In(c), sum[6].In(c))
            {
                AdjustedNet = sum[7].In(c),
            };
            rows.Add(row);
            gross.Add(row.Gross);
            absorption.Add(row.Absorption);
            net.Add(row.Net);
            adjustedNet.Add(row.AdjustedNet);
            measuredGross.Add(sum[8].In(c));
            translation.Add(row.Translation);
            adoption.Add(row.Adoption);
            execution.Add(row.Execution);
            control.Add(row.Control);
        }

        return new MonthlyReview
        {
            Month = first,
            FirstWeek = firstWeek,
            LastWeek = lastWeek,
            UseCases = rows.OrderBy(r => r.Net?.Amount ?? 0m).ThenBy(r => r.UseCase.Name, StringComparer.OrdinalIgnoreCase).ToList(),
            Portfolio = new ThreeFigures(gross, absorption, net) { AdjustedNet = adjustedNet, MeasuredGross = measuredGross },
            Translation = translation,
            Adoption = adoption,
            Execution = execution,
            Control = control,
            WithoutData = withoutData,
            FreedTime = freed,
            WithoutRelief = withoutRelief.OrderByDescending(r => r.AbsorbedShare).ThenBy(r => r.UseCase.Name, StringComparer.OrdinalIgnoreCase).ToList(),
        };
    }

    private static ReadOnlySpan<AnsweredWeek> CollectionsMarshalSpan(List<AnsweredWeek> weeks) =>
        System.Runtime.InteropServices.CollectionsMarshal.AsSpan(weeks);

    /// <summary>
    /// The stage-gate review as of <paramref name="week"/>: the measured use cases, those needing the hardest decision
    /// first. With <paramref name="decisions"/>, the ones recorded from the week on show as decided (a use case stopped
    /// from this review stays on it), and those of the 13 weeks before it come back with the figures since, read from
    /// <paramref name="portfolio"/>.
    /// </summary>
    public static QuarterlyReview Quarterly(
        IReadOnlyList<DigestLine> lines, IsoWeek week, IEnumerable<PortfolioUseCase>? portfolio = null, IEnumerable<StageDecision>? decisions = null,
        EvaluationPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var factors = (policy ?? EvaluationPolicy.OrganisationDefault).Evidence;
        var all = (decisions ?? []).OrderBy(d => d.DecidedAt).ToList();
        var decided = new Dictionary<Guid, StageDecision>();
        foreach (var decision in all.Where(d => d.Week >= week))
        {
            decided[decision.UseCaseId] = decision;
        }

        var revisited = new List<RevisitedDecision>();
        var histories = (portfolio ?? []).ToDictionary(p => p.UseCase.Id);
        var windowStart = week.AddWeeks(-(EvaluationPolicy.OrganisationDefault.RollingWindowWeeks));
        foreach (var decision in all.Where(d => d.Week >= windowStart && d.Week < week).GroupBy(d => d.UseCaseId).Select(g => g.Last()))
        {
            if (!histories.TryGetValue(decision.UseCaseId, out var entry) || entry.UseCase.Retired)
            {
                continue;
            }

            var gross = new MoneyTotals();
            var absorption = new MoneyTotals();
            var net = new MoneyTotals();
            var adjustedNet = new MoneyTotals();
            var answered = 0;
            foreach (var record in entry.History)
            {
                if (record.Week > decision.Week && record.Week <= week && record.HasData)
                {
                    var metrics = WeeklyMetrics.Compute(entry.UseCase, record.Week, record.Answer!, factors);
                    gross.Add(metrics.GrossValue);
                    absorption.Add(metrics.AbsorptionCost);
                    net.Add(metrics.NetValue);
                    adjustedNet.Add(metrics.AdjustedNetValue);
                    answered++;
                }
            }

            var c = entry.UseCase.Currency;
            revisited.Add(new RevisitedDecision(entry.UseCase, decision, answered, gross.In(c), absorption.In(c), net.In(c)) { AdjustedNetSince = adjustedNet.In(c) });
        }

        return new QuarterlyReview
        {
            Week = week,
            UseCases = lines.Where(l => l.IsMeasured || (!l.UseCase.Retired && decided.ContainsKey(l.Id)))
                .OrderBy(l => l.Evaluation.Recommendation.Recommendation switch
                {
                    Recommendation.Stop => 0,
                    Recommendation.Redesign => 1,
                    Recommendation.Hold => 2,
                    _ => 3,
                })
                .ThenBy(l => l.Evaluation.Rolling.NetValue?.Amount ?? 0m)
                .ThenBy(l => l.UseCase.Name, StringComparer.OrdinalIgnoreCase)
                .ToList(),
            Decided = decided,
            Revisited = revisited.OrderBy(r => r.Decision.DecidedAt).ToList(),
        };
    }

    /// <summary>Recent wins (newest week first, then biggest net value), for the <c>wins</c> command.</summary>
    /// <param name="factors">The organisation's evidence factors, for the wins' risk-adjusted figures; DOMAIN.md's defaults when null.</param>
    public static IReadOnlyList<DigestWin> RecentWins(
        IEnumerable<PortfolioUseCase> portfolio, IsoWeek from, IsoWeek to, Func<UseCase, Answer, bool>? include = null, EvidenceFactors? factors = null)
    {
        var wins = new List<DigestWin>();
        foreach (var entry in portfolio)
        {
            if (entry.UseCase.Retired)
            {
                continue;
            }

            foreach (var record in entry.History)
            {
                if (record.Week >= from && record.Week <= to && record.HasData && record.Answer!.Win is { Length: > 0 } story
                    && (include is null || include(entry.UseCase, record.Answer)))
                {
                    wins.Add(new DigestWin(entry.UseCase, record.Week, story.Trim(), record.Answer.ShareWinWithLeadership,
                        WeeklyMetrics.Compute(entry.UseCase, record.Week, record.Answer, factors)));
                }
            }
        }

        return wins.OrderByDescending(w => w.Week).ThenByDescending(w => w.Metrics.NetValue.Amount).ThenBy(w => w.UseCase.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>Biggest net value first, so wins from loss-making weeks (labelled on the cards) come last.</summary>
    private static IReadOnlyList<DigestWin> RankWins(IEnumerable<DigestWin> wins) =>
        wins.OrderByDescending(w => w.Metrics.NetValue.Amount).ThenBy(w => w.UseCase.Name, StringComparer.OrdinalIgnoreCase).ToList();

    private static List<MissingReport> ByOwner(IEnumerable<DigestLine> lines) => lines
        .GroupBy(l => l.UseCase.Owner?.AadObjectId ?? "")
        .Select(g => new MissingReport(g.First().UseCase.Owner, g.OrderBy(l => l.UseCase.Name, StringComparer.OrdinalIgnoreCase).ToList()))
        .OrderBy(m => m.Owner is null ? 0 : 1).ThenByDescending(m => m.UseCases.Count)
        .ThenBy(m => m.Owner?.DisplayName, StringComparer.OrdinalIgnoreCase)
        .ToList();

    private static ThreeFigures ThisWeekFigures(IReadOnlyCollection<DigestLine> lines) =>
        Figures(lines.Where(l => l.Report != WeekReport.Skipped).ToList(), l => Week(l.ThisWeek));

    private static ThreeFigures LastWeekFigures(IReadOnlyCollection<DigestLine> lines) =>
        Figures(lines, l => Week(l.LastWeek));

    private static ThreeFigures NinetyDayFigures(IReadOnlyCollection<DigestLine> lines) =>
        Figures(lines, l => l.Evaluation.Rolling is { AnsweredWeeks: > 0 } r
            ? new Sums(r.GrossValue!.Value, r.AbsorptionCost!.Value, r.NetValue!.Value, r.AdjustedNetValue!.Value, r.MeasuredGrossValue!.Value)
            : null);

    private static Sums? Week(WeeklyMetrics? m) => m is null ? null
        : new Sums(m.GrossValue, m.AbsorptionCost, m.NetValue, m.AdjustedNetValue, m.GrossMeasured ? m.GrossValue : Money.Zero(m.GrossValue.Currency));

    private readonly record struct Sums(Money Gross, Money Absorption, Money Net, Money AdjustedNet, Money MeasuredGross);

    /// <summary>The three figures (and the risk-adjusted net) summed over the lines that have them, with how many did of how many.</summary>
    private static ThreeFigures Figures(IReadOnlyCollection<DigestLine> lines, Func<DigestLine, Sums?> of)
    {
        var figures = new ThreeFigures(new MoneyTotals(), new MoneyTotals(), new MoneyTotals()) { Expected = lines.Count };
        foreach (var line in lines)
        {
            if (of(line) is { } f)
            {
                figures.Gross.Add(f.Gross);
                figures.Absorption.Add(f.Absorption);
                figures.Net.Add(f.Net);
                figures.AdjustedNet.Add(f.AdjustedNet);
                figures.MeasuredGross.Add(f.MeasuredGross);
                figures.Reporting++;
            }
        }

        return figures;
    }

    /// <summary>The evidence warnings a leader should not read past: disputed, unconfirmed outlier, reported ≠ measured.</summary>
    private static readonly HashSet<string> EvidenceWarningIds =
        [EarlyWarnings.AdoptionDisputedId, EarlyWarnings.UnconfirmedOutlierId, EarlyWarnings.ReportedNotMeasuredId];

    private static IReadOnlyList<TrendPoint> Trend(IReadOnlyList<DigestLine> lines, IsoWeek week)
    {
        var length = lines.Count == 0 ? EvaluationPolicy.OrganisationDefault.RollingWindowWeeks : lines.Max(l => l.NetValueTrend.Count);
        var from = week.AddWeeks(-(length - 1));
        var points = Enumerable.Range(0, length).Select(i => new TrendPoint(from.AddWeeks(i), new MoneyTotals())).ToArray();
        foreach (var line in lines)
        {
            // Lines with a shorter window are aligned on the digest week.
            var offset = length - line.NetValueTrend.Count;
            for (var i = 0; i < line.NetValueTrend.Count; i++)
            {
                points[offset + i].Net.Add(line.NetValueTrend[i]);
                if (i < line.AdjustedNetValueTrend.Count)
                {
                    points[offset + i].AdjustedNet.Add(line.AdjustedNetValueTrend[i]);
                }

                if (line.NetValueTrend[i] is not null)
                {
                    points[offset + i].Reporting++;
                }
            }
        }

        return points;
    }
}
