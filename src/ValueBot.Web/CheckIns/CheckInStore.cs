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
}

public enum SkipOutcome
{
    Skipped,
    AlreadySkipped,

    /// <summary>An answered week is not turned into a skipped one; the answer stays.</summary>
    AlreadyAnswered,
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

    /// <summary>The answer of the latest answered week before <paramref name="week"/>: what "nothing changed" repeats.</summary>
    public async Task<Answer?> PreviousAnswerAsync(Guid useCaseId, IsoWeek week, CancellationToken cancellationToken)
    {
        // One row per week per use case: few enough to order in memory (the week is stored as text).
        var rows = await db.Set<CheckIn>().AsNoTracking()
            .Where(c => c.UseCaseId == useCaseId && c.Status == CheckInStatus.Answered)
            .ToListAsync(cancellationToken);
        return rows.Where(r => r.Week < week)
            .OrderByDescending(r => r.Week)
            .Select(r => AnswerJson.TryDeserialize(r.AnswerJson))
            .FirstOrDefault(a => a is not null);
    }

    /// <summary>
    /// Whether answers for <paramref name="week"/> may still be changed: before the deadline the check-in was scheduled
    /// with (Friday 12:00 in the owner's zone), or in the organisation's zone for a week that was never scheduled.
    /// </summary>
    public bool IsOpen(IsoWeek week, CheckIn? row = null) => time.GetUtcNow() < calendar.DeadlineOf(week, row, calendar.OrganisationZone);

    /// <summary>Stores the answer for the card's week (late answers included); an edit replaces it with an audit entry.</summary>
    public async Task<AnswerOutcome> RecordAnswerAsync(Guid useCaseId, IsoWeek week, Answer answer, string answeredBy, CancellationToken cancellationToken)
    {
        var json = AnswerJson.Serialize(answer);
        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var row = await db.Set<CheckIn>().SingleOrDefaultAsync(c => c.UseCaseId == useCaseId && c.Week == week, cancellationToken);
            AnswerOutcome outcome;
            if (row is null)
            {
                row = new CheckIn { UseCaseId = useCaseId, Week = week, CreatedAt = now };
                db.Add(row);
                outcome = AnswerOutcome.Stored;
            }
            else if (row.Status == CheckInStatus.Answered && Normalised(row.AnswerJson) is { } stored)
            {
                if (stored == json)
                {
                    return AnswerOutcome.Unchanged;
                }

                if (!IsOpen(week, row))
                {
                    return AnswerOutcome.Closed;
                }

                db.Add(Audit(useCaseId, week, "answer", row.AnswerJson, json, answeredBy, now));
                outcome = AnswerOutcome.Replaced;
            }
            else
            {
                outcome = AnswerOutcome.Stored;
            }

            row.Status = CheckInStatus.Answered;
            row.AnswerJson = json;
            row.AnsweredBy = answeredBy;
            row.AnsweredAt = now;
            row.UpdatedAt = now;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return outcome;
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // Another request created the row first (unique use case + week): try again against it.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>Marks the week skipped (not applicable: neither due nor answered) unless it is already answered.</summary>
    public async Task<SkipOutcome> SkipAsync(Guid useCaseId, IsoWeek week, string skippedBy, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var row = await db.Set<CheckIn>().SingleOrDefaultAsync(c => c.UseCaseId == useCaseId && c.Week == week, cancellationToken);
            if (row?.Status == CheckInStatus.Answered)
            {
                return SkipOutcome.AlreadyAnswered;
            }

            if (row?.Status == CheckInStatus.Skipped)
            {
                return SkipOutcome.AlreadySkipped;
            }

            if (row is null)
            {
                row = new CheckIn { UseCaseId = useCaseId, Week = week, CreatedAt = now };
                db.Add(row);
            }

            row.Status = CheckInStatus.Skipped;
            row.UpdatedAt = now;
            db.Add(Audit(useCaseId, week, "status", null, "skipped", skippedBy, now));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return SkipOutcome.Skipped;
            }
            catch (DbUpdateException) when (attempt == 0)
            {
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
