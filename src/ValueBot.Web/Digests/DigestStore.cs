using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Digests;
using ValueBot.Domain.Periods;
using ValueBot.Domain.StageGates;
using ValueBot.Domain.UseCases;
using ValueBot.Web.Persistence;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.Digests;

/// <summary>Everything the digests of one week read, loaded in bulk.</summary>
/// <param name="UseCases">Every use case (retired ones included; the composer leaves them out) with its weeks in the window.</param>
/// <param name="People">Everyone ValueBot knows, by Entra object id (names and managers).</param>
public sealed record PortfolioSnapshot(IReadOnlyList<PortfolioUseCase> UseCases, IReadOnlyDictionary<string, Person> People)
{
    /// <summary>The manager of <paramref name="aadObjectId"/> as the registry knows it, or null.</summary>
    public string? ManagerOf(string? aadObjectId) =>
        aadObjectId is not null && People.TryGetValue(aadObjectId, out var person) ? person.ManagerAadObjectId : null;

    public PersonRef Ref(string aadObjectId) =>
        People.TryGetValue(aadObjectId, out var person) ? new PersonRef(aadObjectId, person.DisplayName) : new PersonRef(aadObjectId, aadObjectId);
}

/// <summary>
/// Reads for the digests: the whole portfolio with the last <see cref="HistoryWeeks"/> weeks of check-ins in six
/// queries (people, use cases, measured usage, verdicts, the check-ins with their figures, 1:1 chats), never one query
/// per use case; the digest channel; decisions.
/// </summary>
public sealed class DigestStore(ValueBotDbContext db, TimeProvider time)
{
    /// <summary>
    /// Weeks of history read per use case: the 13-week rolling window plus the week before it, for week-over-week
    /// change at the window's start. Rules that look further back (6 answered weeks for stop) see this window only.
    /// </summary>
    public const int HistoryWeeks = 14;

    public async Task<PortfolioSnapshot> LoadAsync(IsoWeek week, CancellationToken cancellationToken)
    {
        var people = await db.Set<Person>().AsNoTracking().ToDictionaryAsync(p => p.AadObjectId, StringComparer.Ordinal, cancellationToken);
        var records = await db.Set<UseCaseRecord>().AsNoTracking().ToListAsync(cancellationToken);
        var first = week.AddWeeks(-(HistoryWeeks - 1));
        // The evidence first (two small tables), so that each week gets it as its row arrives.
        var evidence = await Evidence.WeekEvidence.WindowAsync(db, first, week, cancellationToken);

        // The answers come from their typed figures (weekly_figures), not from parsing JSON; the rows are streamed, each
        // turned into its week as it arrives, so the window (140,000 rows at 10,000 use cases) is never held twice.
        var weeks = new Dictionary<Guid, List<WeekRecord>>(records.Count);
        await foreach (var row in Window(first, week, cancellationToken))
        {
            if (!Guid.TryParse(row.UseCaseId, out var id) || !IsoWeek.TryParse(row.Week, out var w))
            {
                continue;
            }

            var status = Enum.TryParse<CheckInStatus>(row.Status, ignoreCase: true, out var s) ? s : CheckInStatus.Scheduled;
            var answer = status == CheckInStatus.Answered ? row.ToAnswer() : null;
            if (!weeks.TryGetValue(id, out var list))
            {
                weeks[id] = list = new List<WeekRecord>(HistoryWeeks);
            }

            // An unreadable answer is no data, as the registry reads it.
            list.Add(evidence.Attach(id, new WeekRecord(w, answer is null && status == CheckInStatus.Answered ? CheckInStatus.Missed : status, answer,
                HadOwner: row.UndeliverableReason != CheckIns.CheckInCycle.OwnerLeftReason), row.AnsweredAt));
        }

        // Whom ValueBot can message: a nudge is offered only where it would arrive.
        var reachable = (await db.Installations.AsNoTracking()
                .Where(i => i.Scope == "personal" && i.RemovedAt == null && i.AadObjectId != null)
                .Select(i => i.AadObjectId!)
                .ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var portfolio = new List<PortfolioUseCase>(records.Count);
        foreach (var record in records.OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.Id))
        {
            var history = weeks.TryGetValue(record.Id, out var list) ? list : [];
            history.Sort(static (a, b) => a.Week.CompareTo(b.Week));
            portfolio.Add(new PortfolioUseCase(record.ToUseCase(people), history,
                OwnerReachable: record.OwnerAadObjectId is { } owner && reachable.Contains(owner)));
        }

        return new PortfolioSnapshot(portfolio, people);
    }

    /// <summary>
    /// The check-ins of the weeks <paramref name="first"/>..<paramref name="last"/> of every use case, with their figures,
    /// as one row object refilled for each row (read what you need before asking for the next).
    /// "2026-W07" sorts as text in week order, so the window is a range on the stored text on both engines. On SQLite
    /// the rows are visited in table order (the week index gives their row ids, which SQLite sorts before reading):
    /// a week's rows lie wherever their use case's rows were written, and reading them in index order would jump
    /// across the whole table once per row. PostgreSQL's bitmap scans do the same by themselves.
    /// </summary>
    public async IAsyncEnumerable<WeeklyFiguresRow> Window(IsoWeek first, IsoWeek last, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        try
        {
            await using var command = connection.CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = WeeklyFiguresRow.Select + (db.Database.IsSqlite()
                ? " WHERE c.rowid IN (SELECT rowid FROM check_ins WHERE week >= @first AND week <= @last)"
                : " WHERE c.week >= @first AND c.week <= @last");
            Parameter(command, "@first", first.ToString());
            Parameter(command, "@last", last.ToString());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var row = new WeeklyFiguresRow();
            while (await reader.ReadAsync(cancellationToken))
            {
                row.ReadFrom(reader);
                yield return row;
            }
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }

        static void Parameter(DbCommand command, string name, string value)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
    }

    public Task<DigestChannel?> ChannelAsync(CancellationToken cancellationToken) =>
        db.Set<DigestChannel>().AsNoTracking().SingleOrDefaultAsync(c => c.Purpose == DigestChannel.Leadership, cancellationToken);

    /// <summary>Chooses (or moves) the leadership channel.</summary>
    public async Task SetChannelAsync(DigestChannel channel, CancellationToken cancellationToken)
    {
        channel.Purpose = DigestChannel.Leadership;
        channel.SetAt = time.GetUtcNow().UtcDateTime;
        var existing = await db.Set<DigestChannel>().SingleOrDefaultAsync(c => c.Purpose == DigestChannel.Leadership, cancellationToken);
        if (existing is null)
        {
            db.Add(channel);
        }
        else
        {
            existing.TenantId = channel.TenantId;
            existing.TeamId = channel.TeamId;
            existing.TeamName = channel.TeamName;
            existing.ChannelId = channel.ChannelId;
            existing.ServiceUrl = channel.ServiceUrl;
            existing.SetBy = channel.SetBy;
            existing.SetAt = channel.SetAt;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Use cases a leader decided to stop during <paramref name="week"/> (one query).</summary>
    public async Task<IReadOnlySet<Guid>> StoppedDuringAsync(IsoWeek week, CancellationToken cancellationToken)
    {
        var start = week.Start.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var end = start.AddDays(7);
        var ids = await db.Set<Decision>().AsNoTracking()
            .Where(d => d.Outcome == "stop" && d.DecidedAt >= start && d.DecidedAt < end)
            .Select(d => d.UseCaseId)
            .ToListAsync(cancellationToken);
        return ids.ToHashSet();
    }

    /// <summary>Stage-gate decisions recorded since the start of <paramref name="from"/>, oldest first (one query).</summary>
    public async Task<IReadOnlyList<StageDecision>> DecisionsSinceAsync(IsoWeek from, CancellationToken cancellationToken)
    {
        var start = from.Start.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var rows = await db.Set<Decision>().AsNoTracking().Where(d => d.DecidedAt >= start).ToListAsync(cancellationToken);
        var decisions = new List<StageDecision>(rows.Count);
        foreach (var row in rows.OrderBy(d => d.DecidedAt).ThenBy(d => d.Id))
        {
            if (Enum.TryParse<Recommendation>(row.Outcome, ignoreCase: true, out var outcome))
            {
                Recommendation? recommended = Enum.TryParse<Recommendation>(row.Recommendation, ignoreCase: true, out var r) ? r : null;
                decisions.Add(new StageDecision(row.UseCaseId, outcome, recommended, row.Reason, row.DecidedBy,
                    new DateTimeOffset(DateTime.SpecifyKind(row.DecidedAt, DateTimeKind.Utc))));
            }
        }

        return decisions;
    }
}
