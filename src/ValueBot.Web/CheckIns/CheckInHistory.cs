using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Evaluation;
using ValueBot.Domain.Periods;
using ValueBot.Web.Persistence;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.CheckIns;

/// <summary>One answered or unanswered week of a use case, as stored in <c>check_ins</c>.</summary>
/// <param name="HadOwner">False when the check-in could not be sent because the owner had left the organisation.</param>
public sealed record StoredWeek(Guid UseCaseId, IsoWeek Week, CheckInStatus Status, Answer? Answer, string? AnsweredBy, DateTime? AnsweredAt, bool HadOwner = true);

/// <summary>The stored weeks of the use cases: what evaluation, the tab, finance's CSV and the evidence read.</summary>
public sealed class CheckInHistory(ValueBotDbContext db)
{
    /// <summary>The use case's weeks from <c>check_ins</c>, oldest first; unreadable answers count as no data.</summary>
    public async Task<IReadOnlyList<WeekRecord>> WeekHistoryAsync(Guid id, CancellationToken cancellationToken) =>
        (await ReadAsync(id, cancellationToken)).Weeks;

    /// <summary>
    /// The use case's weeks as <see cref="WeekHistoryAsync"/> reads them, kept with their evidence so that a week
    /// answered afterwards can be put in without reading again (<see cref="WeekHistory.WithAnswer"/>).
    /// </summary>
    public async Task<WeekHistory> ReadAsync(Guid id, CancellationToken cancellationToken)
    {
        var weeks = await StoredWeeksAsync(id, cancellationToken);
        var records = weeks.Select(w => new WeekRecord(w.Week, w.Answer is null && w.Status == CheckInStatus.Answered ? CheckInStatus.Missed : w.Status, w.Answer, w.HadOwner))
            .OrderBy(w => w.Week)
            .ToList();
        var evidence = await Evidence.WeekEvidence.ForUseCaseAsync(db, id, cancellationToken);
        return new WeekHistory(evidence.Attach(records, weeks.ToDictionary(w => w.Week, w => w.AnsweredAt)), evidence);
    }

    /// <summary>Stored weeks of one use case, or of all use cases when <paramref name="id"/> is null.</summary>
    public async Task<IReadOnlyList<StoredWeek>> StoredWeeksAsync(Guid? id, CancellationToken cancellationToken)
    {
        // check_ins belongs to the check-in feature; read it with plain SQL, answers from their typed figures.
        var rows = id is { } one
            ? WeeklyFiguresRow.Query(db.Database, "c.use_case_id = {0}", one.ToString("D"))
            : WeeklyFiguresRow.Query(db.Database, "");
        var list = await rows.ToListAsync(cancellationToken);
        var weeks = new List<StoredWeek>(list.Count);
        foreach (var row in list)
        {
            if (!IsoWeek.TryParse(row.Week, out var week) || !Guid.TryParse(row.UseCaseId, out var useCaseId))
            {
                continue;
            }

            var status = Enum.TryParse<CheckInStatus>(row.Status, ignoreCase: true, out var s) ? s : CheckInStatus.Scheduled;
            var answer = status == CheckInStatus.Answered ? row.ToAnswer() : null;
            weeks.Add(new StoredWeek(useCaseId, week, status, answer, row.AnsweredBy, row.AnsweredAt,
                HadOwner: row.UndeliverableReason != CheckIns.CheckInCycle.OwnerLeftReason));
        }

        return weeks.OrderBy(w => w.UseCaseId).ThenBy(w => w.Week).ToList();
    }
}

/// <summary>One use case's weeks, oldest first, with the evidence they were read with.</summary>
public sealed class WeekHistory
{
    private readonly Evidence.WeekEvidence.UseCaseEvidence _evidence;

    internal WeekHistory(IReadOnlyList<WeekRecord> weeks, Evidence.WeekEvidence.UseCaseEvidence evidence) =>
        (Weeks, _evidence) = (weeks, evidence);

    public IReadOnlyList<WeekRecord> Weeks { get; }

    /// <summary>
    /// The weeks as they stand once <paramref name="week"/> holds <paramref name="answer"/>, given at
    /// <paramref name="answeredAt"/>: what reading them again after storing it would give (a verdict on the answer it
    /// replaced no longer stands; the week keeps whether it had an owner).
    /// </summary>
    public WeekHistory WithAnswer(IsoWeek week, Answer answer, DateTime? answeredAt)
    {
        var weeks = new List<WeekRecord>(Weeks.Count + 1);
        var hadOwner = true;
        foreach (var w in Weeks)
        {
            if (w.Week == week)
            {
                hadOwner = w.HadOwner;
            }
            else
            {
                weeks.Add(w);
            }
        }

        var at = weeks.FindIndex(w => w.Week > week);
        weeks.Insert(at < 0 ? weeks.Count : at, _evidence.Attach(WeekRecord.Answered(week, answer, hadOwner), answeredAt));
        return new WeekHistory(weeks, _evidence);
    }
}
