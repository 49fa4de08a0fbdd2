using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ValueBot.Web.Persistence;
using ValueBot.Web.Persistence.Migrations;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.CheckIns;

/// <summary>
/// A row of <c>check_in_agenda</c>: when the check-in cycle next has to look at a use case (its next send, reminder
/// or close instant in the owner's zone), or null while nothing can become due until something changes. Database
/// triggers (migration 15) set it back to <see cref="CheckInAgenda.LookNow"/> and bump <see cref="Version"/> whenever
/// a use case, its owner, the owner's time zone or chat changes, or a check-in is queued again.
/// </summary>
public sealed class CheckInAgendaEntry
{
    public Guid UseCaseId { get; set; }

    public DateTime? DueAt { get; set; }

    public long Version { get; set; }
}

internal sealed class CheckInAgendaEntryConfiguration : IEntityTypeConfiguration<CheckInAgendaEntry>
{
    public void Configure(EntityTypeBuilder<CheckInAgendaEntry> builder)
    {
        builder.ToTable("check_in_agenda");
        builder.HasKey(a => a.UseCaseId);
        builder.Property(a => a.UseCaseId).HasConversion(StoredText.Guid);
    }
}

/// <summary>Reads what is due and records the next plan of each use case the cycle looked at.</summary>
public sealed class CheckInAgenda(ValueBotDbContext db, CheckInCalendar calendar, TimeProvider time)
{
    /// <summary>The "look at it on the next tick" mark the triggers write (see <see cref="M0015_CheckInAgenda.Now"/>).</summary>
    public static readonly DateTime LookNow = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    // Bump when the way next instants are computed changes, so every plan is made again once.
    private const string PlanningRevision = "1";

    /// <summary>
    /// The plans were made with the cadence settings (reminder, close, organisation zone) of whoever ran the cycle
    /// last; when this instance runs with others, every use case goes back on the agenda once. One key lookup.
    /// </summary>
    public async Task SettleAsync(CancellationToken cancellationToken)
    {
        var s = calendar.Cadence.Settings;
        var key = $"check-in-agenda:{PlanningRevision}:{s.CheckIn}|{s.Reminder}|{s.Deadline}|{calendar.OrganisationZone.Id}";
        var known = await db.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM schedule_runs WHERE run_key = {key}").SingleAsync(cancellationToken);
        if (known > 0)
        {
            return;
        }

        var at = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM schedule_runs WHERE run_key LIKE 'check-in-agenda:%'", cancellationToken);
        await db.Database.ExecuteSqlInterpolatedAsync($"INSERT INTO schedule_runs (run_key, ran_at) VALUES ({key}, {at}) ON CONFLICT (run_key) DO NOTHING", cancellationToken);
        await db.Set<CheckInAgendaEntry>().ExecuteUpdateAsync(u => u.SetProperty(a => a.DueAt, LookNow).SetProperty(a => a.Version, a => a.Version + 1), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The use cases with something due at <paramref name="now"/>: one range read of an index.</summary>
    public Task<List<CheckInAgendaEntry>> DueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var at = now.UtcDateTime;
        return db.Set<CheckInAgendaEntry>().AsNoTracking().Where(a => a.DueAt <= at).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Stores the next instant of each entry the cycle looked at, unless a trigger woke it meanwhile (its version moved
    /// on): then it stays due. Entries sharing an instant and version are written by one statement.
    /// </summary>
    public async Task PlanAsync(IEnumerable<(CheckInAgendaEntry Entry, DateTime? Next)> plans, CancellationToken cancellationToken)
    {
        var groups = plans.GroupBy(p => (p.Next, p.Entry.Version), p => p.Entry.UseCaseId).ToList();
        if (groups.Count == 0)
        {
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var group in groups)
        {
            var (next, version) = group.Key;
            foreach (var chunk in group.Chunk(2000))
            {
                var ids = chunk.ToList();
                await db.Set<CheckInAgendaEntry>()
                    .Where(a => ids.Contains(a.UseCaseId) && a.Version == version)
                    .ExecuteUpdateAsync(u => u.SetProperty(a => a.DueAt, next), cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
