using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Evidence;
using ValueBot.Domain.Periods;
using ValueBot.Web.Persistence;

namespace ValueBot.Web.Evidence;

/// <summary>
/// Puts the evidence stored beside the check-ins onto the weeks the domain evaluates: Graph's measured usage
/// (<see cref="WeekRecord.Measured"/>) and the manager's verdict on the adoption figure (<see cref="WeekRecord.Review"/>;
/// a dispute about an answer that was answered again since no longer counts). One query per table.
/// </summary>
public static class WeekEvidence
{
    /// <summary>The weeks of one use case, with their evidence.</summary>
    public static async Task<IReadOnlyList<WeekRecord>> AttachAsync(
        ValueBotDbContext db, Guid useCaseId, IReadOnlyList<WeekRecord> weeks, IReadOnlyDictionary<IsoWeek, DateTime?> answeredAt,
        CancellationToken cancellationToken) =>
        (await ForUseCaseAsync(db, useCaseId, cancellationToken)).Attach(weeks, answeredAt);

    /// <summary>The evidence stored for one use case (one query per table), to put onto its weeks.</summary>
    public static async Task<UseCaseEvidence> ForUseCaseAsync(ValueBotDbContext db, Guid useCaseId, CancellationToken cancellationToken)
    {
        var measured = await db.Set<MeasuredUsageRecord>().AsNoTracking().Where(m => m.UseCaseId == useCaseId).ToListAsync(cancellationToken);
        var reviews = await db.Set<AdoptionReviewRecord>().AsNoTracking().Where(r => r.UseCaseId == useCaseId).ToListAsync(cancellationToken);
        return new UseCaseEvidence(useCaseId, new Window(
            measured.ToDictionary(m => (m.UseCaseId, m.Week)),
            reviews.ToDictionary(r => (r.UseCaseId, r.Week))));
    }

    /// <summary>
    /// One use case's measured usage and verdicts, as read: put onto its weeks as read, or onto a week answered since
    /// (a verdict about the answer it replaced no longer stands), without reading again.
    /// </summary>
    public sealed class UseCaseEvidence(Guid useCaseId, Window evidence)
    {
        /// <summary>The weeks with their evidence (the same list when there is none).</summary>
        public IReadOnlyList<WeekRecord> Attach(IReadOnlyList<WeekRecord> weeks, IReadOnlyDictionary<IsoWeek, DateTime?> answeredAt) =>
            evidence.IsEmpty ? weeks : weeks.Select(w => Attach(w, answeredAt.GetValueOrDefault(w.Week))).ToList();

        /// <summary>One week (answered at <paramref name="answeredAt"/>, if answered) with its evidence.</summary>
        public WeekRecord Attach(WeekRecord week, DateTime? answeredAt) => evidence.Attach(useCaseId, week, answeredAt);
    }

    /// <summary>
    /// The evidence of every use case between <paramref name="from"/> and <paramref name="to"/> (one query per table), to
    /// put on each week as it is read (<see cref="Window.Attach"/>).
    /// </summary>
    public static async Task<Window> WindowAsync(ValueBotDbContext db, IsoWeek from, IsoWeek to, CancellationToken cancellationToken)
    {
        var low = from.ToString();
        var high = to.ToString();
        // "2026-W07" sorts as text in week order, as the check-ins' window does.
        var measured = await db.Set<MeasuredUsageRecord>().AsNoTracking()
            .Where(m => string.Compare(m.Week, low) >= 0 && string.Compare(m.Week, high) <= 0).ToListAsync(cancellationToken);
        var reviews = await db.Set<AdoptionReviewRecord>().AsNoTracking()
            .Where(r => string.Compare(r.Week, low) >= 0 && string.Compare(r.Week, high) <= 0).ToListAsync(cancellationToken);
        return new Window(measured.ToDictionary(m => (m.UseCaseId, m.Week)), reviews.ToDictionary(r => (r.UseCaseId, r.Week)));
    }

    /// <summary>The measured usage and verdicts of a window of weeks, by use case and week.</summary>
    public sealed class Window(
        Dictionary<(Guid UseCaseId, string Week), MeasuredUsageRecord> usage,
        Dictionary<(Guid UseCaseId, string Week), AdoptionReviewRecord> verdicts)
    {
        public bool IsEmpty => usage.Count == 0 && verdicts.Count == 0;

        /// <summary><paramref name="week"/> of <paramref name="useCaseId"/> with its evidence; <paramref name="answeredAt"/>: when its answer was stored.</summary>
        public WeekRecord Attach(Guid useCaseId, WeekRecord week, DateTime? answeredAt)
        {
            if (IsEmpty)
            {
                return week;
            }

            var key = (useCaseId, week.Week.ToString());
            return With(week, usage.GetValueOrDefault(key), verdicts.GetValueOrDefault(key), answeredAt);
        }
    }

    public static MeasuredUsage ToMeasured(MeasuredUsageRecord record) =>
        new(record.NamesConcealed ? null : record.ActiveUsers, record.GroupMembers, record.NamesConcealed, record.TenantActiveUsers);

    private static WeekRecord With(WeekRecord week, MeasuredUsageRecord? measured, AdoptionReviewRecord? review, DateTime? answeredAt)
    {
        if (measured is not null)
        {
            week = week with { Measured = ToMeasured(measured) };
        }

        if (review is not null && StillStands(review, answeredAt))
        {
            var verdict = review.Verdict == AdoptionReviews.Disputed ? AdoptionVerdict.Disputed : AdoptionVerdict.Confirmed;
            week = week with { Review = new ManagerReview(verdict, review.ManagerName, Utc(review.ReviewedAt)) };
        }

        return week;
    }

    private static DateTimeOffset Utc(DateTime stored) => new(DateTime.SpecifyKind(stored, DateTimeKind.Utc));

    /// <summary>Every stored verdict, by use case and week (one query; for the exports).</summary>
    public static async Task<IReadOnlyDictionary<(Guid UseCaseId, string Week), AdoptionReviewRecord>> ReviewsAsync(
        ValueBotDbContext db, CancellationToken cancellationToken) =>
        (await db.Set<AdoptionReviewRecord>().AsNoTracking().ToListAsync(cancellationToken)).ToDictionary(r => (r.UseCaseId, r.Week));

    /// <summary>A verdict is about the answer the manager saw; once the owner answers the week again it no longer applies.</summary>
    public static bool StillStands(AdoptionReviewRecord review, DateTime? answeredAt) =>
        review.AnsweredAt is not { } seen || answeredAt is not { } now || now <= seen.AddSeconds(1);
}
