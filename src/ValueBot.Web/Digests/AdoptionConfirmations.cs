using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.Digests;
using ValueBot.Domain.Evidence;
using ValueBot.Domain.Periods;
using ValueBot.Web.Evidence;
using ValueBot.Web.Persistence;

namespace ValueBot.Web.Digests;

/// <summary>
/// One use case's adoption figure in a manager digest, with the fingerprint of the stored answer it comes from: a card
/// carries it, and a verdict is recorded only while the answer is still the one the card showed.
/// </summary>
public sealed record AdoptionAsk(ConfirmationAsk Ask, string Fingerprint);

/// <summary>
/// Reads what the manager digests need for the monthly manager confirmation (DOMAIN.md "Evidence"): for the digest
/// lines, the stored answer behind each latest adoption figure and the latest verdict on each use case. Two queries
/// for any number of lines.
/// </summary>
public sealed class AdoptionConfirmations(ValueBotDbContext db)
{
    /// <summary>The figures to confirm in the digest of <paramref name="week"/>, by use case (lines without an answered week are left out).</summary>
    public async Task<IReadOnlyDictionary<Guid, AdoptionAsk>> ForAsync(IEnumerable<DigestLine> lines, IsoWeek week, CancellationToken cancellationToken)
    {
        var figures = new Dictionary<Guid, AdoptionFigure>();
        foreach (var line in lines)
        {
            if (line.IsMeasured && line.Evaluation.Latest is { } latest && latest.Week <= week)
            {
                figures[line.Id] = new AdoptionFigure(latest.Week, latest.Answer.ActiveUsers, line.UseCase.TargetUsers);
            }
        }

        if (figures.Count == 0)
        {
            return new Dictionary<Guid, AdoptionAsk>();
        }

        // The latest answered week lies within the digests' history window (the evaluation reads no further back).
        var from = figures.Values.Min(f => f.Week).ToString();
        var to = week.ToString();
        // Streamed, keeping only the week each figure comes from; on SQLite in table order, as DigestStore.Window reads.
        var window = db.Database.IsSqlite()
            ? "rowid IN (SELECT rowid FROM check_ins WHERE week >= {0} AND week <= {1})"
            : "week >= {0} AND week <= {1}";
        var answers = new Dictionary<Guid, AnswerVersion>(figures.Count);
        await foreach (var version in AnswerVersion.Query(db.Database, window, from, to).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (Guid.TryParse(version.UseCaseId, out var id) && figures.TryGetValue(id, out var shown) && version.Week == shown.Week.ToString())
            {
                answers[id] = version;
            }
        }

        // Only a verdict given this month counts for this month's confirmation.
        var month = ManagerConfirmation.MonthOf(week);
        var monthStart = ManagerConfirmation.FirstWeekOf(month).Start.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var reviews = await db.Set<AdoptionReviewRecord>().AsNoTracking()
            .Where(r => r.ReviewedAt >= monthStart).ToListAsync(cancellationToken);
        var latestVerdicts = reviews.Where(r => figures.ContainsKey(r.UseCaseId))
            .GroupBy(r => r.UseCaseId)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.ReviewedAt).First());

        var asks = new Dictionary<Guid, AdoptionAsk>(figures.Count);
        foreach (var (id, figure) in figures)
        {
            if (!answers.TryGetValue(id, out var answer))
            {
                continue;
            }

            GivenVerdict? verdict = null;
            if (latestVerdicts.TryGetValue(id, out var review))
            {
                // Whether it stands matters only for a verdict on the figure shown (an older week's is superseded anyway).
                verdict = VerdictOf(review, review.Week != answer.Week || WeekEvidence.StillStands(review, answer.AnsweredAt));
            }

            if (ManagerConfirmation.Ask(figure, verdict, month) is { } ask)
            {
                asks[id] = new AdoptionAsk(ask, Fingerprint(id, figure, answer.AnsweredAt, answer.AnswerRevision));
            }
        }

        return asks;
    }

    public static GivenVerdict VerdictOf(AdoptionReviewRecord review, bool stands) => new(
        IsoWeek.Parse(review.Week),
        review.Verdict == AdoptionReviews.Disputed ? AdoptionVerdict.Disputed : AdoptionVerdict.Confirmed,
        review.ManagerAadObjectId, review.ManagerName,
        new DateTimeOffset(DateTime.SpecifyKind(review.ReviewedAt, DateTimeKind.Utc)), stands);

    /// <summary>
    /// The stored answer behind a figure, as a short opaque text: the use case, the week, the active users, when it was
    /// answered and its revision. Any edit of the week's answer changes it.
    /// </summary>
    public static string Fingerprint(Guid useCaseId, AdoptionFigure figure, DateTime? answeredAt, int revision)
    {
        var text = $"{useCaseId:D}|{figure.Week}|{figure.ActiveUsers}|{figure.TargetUsers}|{answeredAt?.Ticks ?? 0}|{revision}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 12));
    }

    /// <summary>One answered check-in's version: what a fingerprint is computed from.</summary>
    public sealed class AnswerVersion
    {
        public string UseCaseId { get; set; } = "";

        public string Week { get; set; } = "";

        public DateTime? AnsweredAt { get; set; }

        public int AnswerRevision { get; set; }

        public static IQueryable<AnswerVersion> Query(Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade database, string where, params object[] arguments) =>
            database.SqlQuery<AnswerVersion>(FormattableStringFactory.Create(
                "SELECT use_case_id, week, answered_at, answer_revision FROM check_ins WHERE status = 'answered' AND " + where, arguments));
    }
}
