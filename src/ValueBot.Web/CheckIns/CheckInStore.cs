using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Periods;
using ValueBot.Web.Persistence;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.CheckIns;

public enum AnswerOutcome
{
    /// <summary>The first answer for the week.</summary>
    Stored,

    /// <summary>The same answer again (a double click): nothing written.</summary>
    Unchanged,

    /// <summary>A different answer before the week closed: replaced and audited.</summary>
    Replaced,

    /// <summary>The week is closed and already answered: the stored answer stays.</summary>
    Closed,

    /// <summary>
    /// The card was built from an older answer than the one stored (another card, another click, the delegate): nothing
    /// written, so a newer answer is never overwritten by an older card.
    /// </summary>
    Stale,
}

/// <summary>The answer stored for a week, with the revision a card built from it carries, and who gave it when.</summary>
public sealed record StoredAnswer(Answer Answer, int Revision, string? AnsweredBy, DateTime? AnsweredAt);

/// <summary>The <c>check_ins</c> row of a week as the caller read it (null: there was none).</summary>
public readonly record struct CheckInRead(CheckIn? Row);

/// <summary>
/// What an answer's write did, and the week's row as it stands after it: null when nothing was written and the
/// stored answer is not the one sent (<see cref="AnswerOutcome.Stale"/>, <see cref="AnswerOutcome.Closed"/>).
/// </summary>
public readonly record struct AnswerWrite(AnswerOutcome Outcome, CheckIn? Row);

public enum SkipOutcome
{
    Skipped,
    AlreadySkipped,

    /// <summary>An answered week is not turned into a skipped one; the answer stays.</summary>
    AlreadyAnswered,

    /// <summary>The week has closed: it can still be answered late, but not skipped.</summary>
    Closed,
}

/// <summary>
/// Reads and writes <c>check_ins</c>. Writes are upserts on (use case, week): when two requests race to create
/// the same row, the database's unique index refuses one, which then retries against the row that won.
/// </summary>
public sealed class CheckInStore(ValueBotDbContext db, TimeProvider time, CheckInCalendar calendar)
{
    public const string AuditEntity = "check_in";

    public Task<CheckIn?> FindAsync(Guid useCaseId, IsoWeek week, CancellationToken cancellationToken) =>
        db.Set<CheckIn>().AsNoTracking().SingleOrDefaultAsync(c => c.UseCaseId == useCaseId && c.Week == week, cancellationToken);

    /// <summary>The week's stored answer, if it is answered (and readable).</summary>
    public async Task<StoredAnswer?> StoredAnswerAsync(Guid useCaseId, IsoWeek week, CancellationToken cancellationToken) =>
        StoredAnswerOf(await FindAsync(useCaseId, week, cancellationToken));

    public static StoredAnswer? StoredAnswerOf(CheckIn? row) =>
        row is { Status: CheckInStatus.Answered } && AnswerJson.TryDeserialize(row.AnswerJson) is { } answer
            ? new StoredAnswer(answer, row.AnswerRevision, row.AnsweredBy, row.AnsweredAt)
            : null;

    /// <summary>The answer of the latest answered week before <paramref name="week"/>: what "nothing changed" repeats.</summary>
    public async Task<Answer?> PreviousAnswerAsync(Guid useCaseId, IsoWeek week, CancellationToken cancellationToken)
    {
        // From the typed figures, latest first ("2026-W07" sorts as text in week order), read until the first readable one.
        var rows = WeeklyFiguresRow.Query(db.Database, "c.use_case_id = {0} AND c.status = {1} AND c.week < {2}",
                useCaseId.ToString("D"), "answered", week.ToString())
            .OrderByDescending(r => r.Week)
            .AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            if (row.ToAnswer() is { } answer)
            {
                return answer;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether answers for <paramref name="week"/> may still be changed: before the deadline the check-in was scheduled
    /// with (Friday 12:00 in the owner's zone), or in the organisation's zone for a week that was never scheduled.
    /// </summary>
    public bool IsOpen(IsoWeek week, CheckIn? row = null) => time.GetUtcNow() < calendar.DeadlineOf(week, row, calendar.OrganisationZone);

    /// <summary>Stores the answer for the week whatever was stored before (seeding, imports, tests): last writer wins.</summary>
    public Task<AnswerOutcome> RecordAnswerAsync(Guid useCaseId, IsoWeek week, Answer answer, string answeredBy, CancellationToken cancellationToken) =>
        RecordAnswerAsync(useCaseId, week, answer, answeredBy, basedOnRevision: null, cancellationToken);

    /// <summary>
    /// Stores the answer for the card's week (late answers included); an edit replaces it with an audit entry. With
    /// <paramref name="basedOnRevision"/> (the revision the card was built from) the write happens only if that is still
    /// the stored revision: a conditional UPDATE on the revision, or the unique (use case, week) row for a first answer,
    /// so of two racing submissions from the same card exactly one is stored and the other is <see cref="AnswerOutcome.Stale"/>.
    /// </summary>
    public async Task<AnswerOutcome> RecordAnswerAsync(
        Guid useCaseId, IsoWeek week, Answer answer, string answeredBy, int? basedOnRevision, CancellationToken cancellationToken) =>
        (await WriteAnswerAsync(useCaseId, week, answer, answeredBy, basedOnRevision, null, cancellationToken)).Outcome;

    /// <summary>
    /// <see cref="RecordAnswerAsync(Guid, IsoWeek, Answer, string, int?, CancellationToken)"/>, returning the week's row as
    /// it stands after the write (what reading it again would give), so the caller need not read it again. When the
    /// caller has just read the row, <paramref name="read"/> saves reading it once more before the write: the write is
    /// as safe with it, because what decides is the database (the unique row of a first answer, the UPDATE conditional
    /// on the revision), not the read; a row that changed since is read again, as with a race.
    /// </summary>
    public async Task<AnswerWrite> WriteAnswerAsync(
        Guid useCaseId, IsoWeek week, Answer answer, string answeredBy, int? basedOnRevision, CheckInRead? read, CancellationToken cancellationToken)
    {
        var json = AnswerJson.Serialize(answer);
        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var row = attempt == 0 && read is { } known ? known.Row : await FindAsync(useCaseId, week, cancellationToken);
            if (row is null)
            {
                if (basedOnRevision is > 0)
                {
                    return new AnswerWrite(AnswerOutcome.Stale, null);
                }

                var created = new CheckIn
                {
                    UseCaseId = useCaseId, Week = week, Status = CheckInStatus.Answered, AnswerJson = json, AnsweredBy = answeredBy,
                    AnsweredAt = now, AnswerRevision = 1, CreatedAt = now, UpdatedAt = now,
                };
                db.Add(created);
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    db.Entry(created).State = EntityState.Detached;
                    return new AnswerWrite(AnswerOutcome.Stored, created);
                }
                catch (DbUpdateException) when (attempt == 0)
                {
                    // Another request created the row first (unique use case + week): look again at the row that won.
                    db.ChangeTracker.Clear();
                    continue;
                }
            }

            var stored = row.Status == CheckInStatus.Answered ? Normalised(row.AnswerJson) : null;
            if (stored == json)
            {
                return new AnswerWrite(AnswerOutcome.Unchanged, row);
            }

            if (basedOnRevision is { } basedOn && basedOn != row.AnswerRevision)
            {
                return new AnswerWrite(AnswerOutcome.Stale, null);
            }

            if (stored is not null && !IsOpen(week, row))
            {
                return new AnswerWrite(AnswerOutcome.Closed, null);
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var revision = row.AnswerRevision;
            var written = await db.Set<CheckIn>()
                .Where(c => c.Id == row.Id && c.AnswerRevision == revision)
                .ExecuteUpdateAsync(u => u
                    .SetProperty(c => c.Status, CheckInStatus.Answered)
                    .SetProperty(c => c.AnswerJson, json)
                    .SetProperty(c => c.AnsweredBy, answeredBy)
                    .SetProperty(c => c.AnsweredAt, now)
                    .SetProperty(c => c.AnswerRevision, revision + 1)
                    .SetProperty(c => c.UpdatedAt, now), cancellationToken);
            if (written == 0)
            {
                // Someone stored an answer between the read and this write.
                await transaction.RollbackAsync(cancellationToken);
                if (basedOnRevision is not null || attempt > 2)
                {
                    return new AnswerWrite(AnswerOutcome.Stale, null);
                }

                continue;
            }

            if (stored is not null)
            {
                db.Add(Audit(useCaseId, week, "answer", row.AnswerJson, json, answeredBy, now));
                await db.SaveChangesAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            var after = row.Copy();
            (after.Status, after.AnswerJson, after.AnsweredBy, after.AnsweredAt, after.AnswerRevision, after.UpdatedAt) =
                (CheckInStatus.Answered, json, answeredBy, now, revision + 1, now);
            return new AnswerWrite(stored is null ? AnswerOutcome.Stored : AnswerOutcome.Replaced, after);
        }
    }

    /// <summary>
    /// Marks the week skipped (not applicable: neither due nor answered) unless it is already answered or already closed
    /// (a closed week that was missed is still answered late, but no longer skipped: that would rewrite compliance).
    /// </summary>
    public async Task<SkipOutcome> SkipAsync(Guid useCaseId, IsoWeek week, string skippedBy, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var row = await FindAsync(useCaseId, week, cancellationToken);
            switch (row?.Status)
            {
                case CheckInStatus.Answered:
                    return SkipOutcome.AlreadyAnswered;
                case CheckInStatus.Skipped:
                    return SkipOutcome.AlreadySkipped;
            }

            if (!IsOpen(week, row))
            {
                return SkipOutcome.Closed;
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (row is null)
            {
                db.Add(new CheckIn { UseCaseId = useCaseId, Week = week, Status = CheckInStatus.Skipped, CreatedAt = now, UpdatedAt = now });
            }
            else if (await db.Set<CheckIn>()
                         .Where(c => c.Id == row.Id && c.Status == row.Status && c.AnswerRevision == row.AnswerRevision)
                         .ExecuteUpdateAsync(u => u.SetProperty(c => c.Status, CheckInStatus.Skipped).SetProperty(c => c.UpdatedAt, now), cancellationToken) == 0)
            {
                // An answer (or another skip) came in between the read and this write: look again.
                await transaction.RollbackAsync(cancellationToken);
                continue;
            }

            db.Add(Audit(useCaseId, week, "status", null, "skipped", skippedBy, now));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return SkipOutcome.Skipped;
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>Records that the owner handed the week to their delegate (kept in the audit trail).</summary>
    public async Task RecordHandOverAsync(Guid useCaseId, IsoWeek week, string ownerAadObjectId, string delegateAadObjectId, CancellationToken cancellationToken)
    {
        db.Add(Audit(useCaseId, week, "handed_to_delegate", ownerAadObjectId, delegateAadObjectId, ownerAadObjectId, time.GetUtcNow().UtcDateTime));
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> AuditTrailAsync(Guid useCaseId, IsoWeek week, CancellationToken cancellationToken)
    {
        var entityId = EntityId(useCaseId, week);
        var entries = await db.Set<AuditEntry>().AsNoTracking()
            .Where(a => a.Entity == AuditEntity && a.EntityId == entityId)
            .ToListAsync(cancellationToken);
        return entries.OrderBy(a => a.Id).ToList();
    }

    public static string EntityId(Guid useCaseId, IsoWeek week) => $"{useCaseId:D}/{week}";

    private static string? Normalised(string? json) => AnswerJson.TryDeserialize(json) is { } answer ? AnswerJson.Serialize(answer) : null;

    private static AuditEntry Audit(Guid useCaseId, IsoWeek week, string field, string? oldValue, string? newValue, string by, DateTime now) => new()
    {
        Entity = AuditEntity,
        EntityId = EntityId(useCaseId, week),
        Field = field,
        OldValue = oldValue,
        NewValue = newValue,
        ChangedBy = by,
        ChangedAt = now,
    };
}
