using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Evaluation;
using ValueBot.Domain.Periods;
using ValueBot.Domain.Policies;
using ValueBot.Domain.StageGates;
using ValueBot.Domain.UseCases;
using ValueBot.Web.Admin;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Persistence;

namespace ValueBot.Web.UseCases;

/// <summary>A use case as stored, with the version an update must be based on.</summary>
public sealed record StoredUseCase(UseCase UseCase, int RowVersion, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record UseCasePage(IReadOnlyList<StoredUseCase> Items, int Page, int PageSize, int Total);

public enum RegistryOutcome
{
    Done,
    NotFound,

    /// <summary>The use case changed since the version the caller read (or the id is already taken on create).</summary>
    Conflict,
}

public sealed record RegistryResult(RegistryOutcome Outcome, StoredUseCase? UseCase = null, IReadOnlyList<FieldChange>? Changes = null);

/// <summary>
/// The register of use cases: create, change (every changed field goes to the audit trail), retire, read,
/// record stage-gate decisions, and evaluate a use case from its stored weeks (<see cref="CheckInHistory"/>). The
/// people it names are kept by <see cref="People.KnownPeople"/>.
/// </summary>
public sealed class UseCaseRegistry(ValueBotDbContext db, TimeProvider time, IOptions<OrganisationPolicyOptions>? policy = null)
{
    public const int MaxPageSize = 500;

    // A reader over the same unit of work, not a service of its own: evaluation needs the weeks, nothing else does here.
    private readonly CheckInHistory _history = new(db);

    /// <summary>The organisation's policy (<c>Policy:*</c>); each use case's overrides apply on top of it.</summary>
    public EvaluationPolicy OrganisationPolicy { get; } = policy?.Value.Policy ?? EvaluationPolicy.OrganisationDefault;

    /// <summary>The policy a use case is evaluated with: the organisation's ⊕ the use case's overrides.</summary>
    public EvaluationPolicy PolicyFor(UseCase useCase) => OrganisationPolicy.For(useCase);

    public IsoWeek CurrentWeek => IsoWeek.FromDate(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));

    public async Task<StoredUseCase?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var record = await db.Set<UseCaseRecord>().AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (record is null)
        {
            return null;
        }

        var people = await PeopleAsync([record], cancellationToken);
        return Stored(record, people);
    }

    public async Task<UseCasePage> ListAsync(int page, int pageSize, bool includeRetired, CancellationToken cancellationToken)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        var query = db.Set<UseCaseRecord>().AsNoTracking();
        if (!includeRetired)
        {
            query = query.Where(u => u.RetiredAt == null);
        }

        var total = await query.CountAsync(cancellationToken);
        // Ordered by id so pages are stable whatever the engine.
        var records = await query.OrderBy(u => u.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        var people = await PeopleAsync(records, cancellationToken);
        return new UseCasePage(records.Select(r => Stored(r, people)).ToList(), page, pageSize, total);
    }

    public async Task<IReadOnlyList<StoredUseCase>> AllAsync(CancellationToken cancellationToken)
    {
        var records = await db.Set<UseCaseRecord>().AsNoTracking().OrderBy(u => u.Id).ToListAsync(cancellationToken);
        var people = await PeopleAsync(records, cancellationToken);
        return records.Select(r => Stored(r, people)).ToList();
    }

    /// <summary>Registers a valid use case; the caller validates first. The creation is audited as one entry.</summary>
    public async Task<RegistryResult> CreateAsync(UseCase useCase, string changedBy, CancellationToken cancellationToken)
    {
        if (await db.Set<UseCaseRecord>().AnyAsync(u => u.Id == useCase.Id, cancellationToken))
        {
            return new RegistryResult(RegistryOutcome.Conflict);
        }

        var stored = await AddAsync(useCase, changedBy, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new RegistryResult(RegistryOutcome.Done, stored);
    }

    /// <summary>
    /// Replaces a use case with <paramref name="updated"/> and audits every changed field. When
    /// <paramref name="expectedRowVersion"/> is given and the stored version differs, nothing changes (conflict).
    /// </summary>
    public async Task<RegistryResult> UpdateAsync(Guid id, UseCase updated, int? expectedRowVersion, string changedBy, CancellationToken cancellationToken)
    {
        try
        {
            var result = await ChangeAsync(id, _ => updated with { Id = id }, expectedRowVersion, changedBy, cancellationToken);
            if (result.Outcome == RegistryOutcome.Done)
            {
                await db.SaveChangesAsync(cancellationToken);
            }

            return result;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return new RegistryResult(RegistryOutcome.Conflict);
        }
    }

    /// <summary>Soft delete: the use case and its history stay, it is just no longer measured.</summary>
    public Task<RegistryResult> RetireAsync(Guid id, string changedBy, CancellationToken cancellationToken) =>
        UpdateWithAsync(id, u => u with { Retired = true }, changedBy, cancellationToken);

    /// <summary>
    /// Creates or updates every use case in one transaction: all of them, or none. Reads in bulk: one query for the
    /// stored rows and one for the people they name, whatever the size of the file; then the new rows in bulk and one save.
    /// </summary>
    public async Task<(int Created, int Updated)> ImportAsync(IReadOnlyList<UseCase> useCases, string changedBy, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ids = useCases.Select(u => u.Id).ToList();
        // EF.Parameter: the ids go as one parameter (a JSON array / an array), not as thousands of scalar ones.
        var records = (await db.Set<UseCaseRecord>().Where(u => EF.Parameter(ids).Contains(u.Id)).ToListAsync(cancellationToken))
            .ToDictionary(r => r.Id);
        var personIds = records.Values
            .SelectMany(r => new[] { r.OwnerAadObjectId, r.DelegateAadObjectId, r.SponsorAadObjectId })
            .Concat(useCases.SelectMany(u => new[] { u.Owner, u.Delegate, u.Sponsor }).Select(p => p?.AadObjectId))
            .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var people = (await db.Set<Person>().Where(p => EF.Parameter(personIds).Contains(p.AadObjectId)).ToListAsync(cancellationToken))
            .ToDictionary(p => p.AadObjectId, StringComparer.Ordinal);
        // Every "before" is read before any name is refreshed, so each row's audit compares with what was stored.
        var before = records.Values.ToDictionary(r => r.Id, r => r.ToUseCase(people));

        var now = time.GetUtcNow().UtcDateTime;
        int created = 0, updated = 0;
        // New rows are written in bulk (multi-row INSERTs, no tracking); changed rows and renamed people go through
        // SaveChanges, which checks each row's version.
        var newPeople = new List<Person>();
        var newRecords = new List<UseCaseRecord>();
        var audit = new List<AuditEntry>();
        foreach (var useCase in useCases)
        {
            TrackPeople(useCase, people, now, newPeople);
            if (records.TryGetValue(useCase.Id, out var record))
            {
                Apply(record, before[useCase.Id], useCase, changedBy, now, audit);
                updated++;
            }
            else
            {
                var (row, entry) = NewRecord(useCase, changedBy, now);
                newRecords.Add(row);
                audit.Add(entry);
                created++;
            }
        }

        await BulkInsert.InsertAsync(db, newPeople, cancellationToken);
        await BulkInsert.InsertAsync(db, newRecords, cancellationToken);
        await BulkInsert.InsertAsync(db, audit, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return (created, updated);
    }

    public async Task<IReadOnlyList<AuditEntry>> AuditTrailAsync(Guid id, CancellationToken cancellationToken)
    {
        var entityId = id.ToString("D");
        var entries = await db.Set<AuditEntry>().AsNoTracking()
            .Where(a => a.Entity == AuditEntry.UseCaseEntity && a.EntityId == entityId)
            .ToListAsync(cancellationToken);
        return entries.OrderBy(a => a.Id).ToList();
    }

    /// <summary>Records a leader's decision with the recommendation ValueBot makes right now; null for an unknown use case.</summary>
    public async Task<(Decision Decision, StageRecommendation Recommendation)?> RecordDecisionAsync(
        Guid id, Recommendation outcome, string reason, string decidedBy, CancellationToken cancellationToken)
    {
        var evaluation = await EvaluateAsync(id, null, cancellationToken);
        if (evaluation is null)
        {
            return null;
        }

        var decision = new Decision
        {
            UseCaseId = id,
            Outcome = Name(outcome),
            Recommendation = Name(evaluation.Recommendation.Recommendation),
            Reason = reason,
            DecidedBy = decidedBy,
            DecidedAt = time.GetUtcNow().UtcDateTime,
        };
        // The decision takes effect: the stage changes with it (audited as any change, by the one who decided), and a
        // stopped use case gets no more check-ins.
        var stage = StageAfter(outcome);
        try
        {
            var changed = await ChangeAsync(id, u => u with { Stage = stage }, null, decidedBy, cancellationToken);
            if (changed.Outcome == RegistryOutcome.NotFound)
            {
                return null;
            }

            db.Add(decision);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone edited the use case in the same instant: record the decision on a fresh read.
            db.ChangeTracker.Clear();
            await ChangeAsync(id, u => u with { Stage = stage }, null, decidedBy, cancellationToken);
            db.Add(decision);
            await db.SaveChangesAsync(cancellationToken);
        }

        return (decision, evaluation.Recommendation);
    }

    /// <summary>The stage a recorded decision moves a use case to (DOMAIN.md "Decisions take effect").</summary>
    public static Stage StageAfter(Recommendation outcome) => outcome switch
    {
        Recommendation.Scale => Stage.Scaling,
        Recommendation.Redesign => Stage.Redesign,
        Recommendation.Stop => Stage.Stopped,
        _ => Stage.Hold,
    };

    public async Task<IReadOnlyList<Decision>> DecisionsAsync(Guid id, CancellationToken cancellationToken)
    {
        var decisions = await db.Set<Decision>().AsNoTracking().Where(d => d.UseCaseId == id).ToListAsync(cancellationToken);
        return decisions.OrderBy(d => d.Id).ToList();
    }

    /// <summary>Evaluates a use case as of <paramref name="week"/> (default: this ISO week); null for an unknown id.</summary>
    public async Task<UseCaseEvaluation?> EvaluateAsync(Guid id, IsoWeek? week, CancellationToken cancellationToken)
    {
        var stored = await GetAsync(id, cancellationToken);
        if (stored is null)
        {
            return null;
        }

        var history = await _history.WeekHistoryAsync(id, cancellationToken);
        return Evaluate(stored.UseCase, history, week);
    }

    /// <summary>Evaluates a use case already read, from weeks already read (<see cref="CheckInHistory"/>), as <see cref="EvaluateAsync"/> does.</summary>
    public UseCaseEvaluation Evaluate(UseCase useCase, IReadOnlyList<WeekRecord> history, IsoWeek? week) =>
        UseCaseEvaluator.Evaluate(useCase, history, week ?? CurrentWeek, OrganisationPolicy);

    /// <summary>Use cases whose name is <paramref name="name"/> (ignoring case), or failing that contains it; at most <paramref name="limit"/>.</summary>
    public async Task<(IReadOnlyList<StoredUseCase> Exact, IReadOnlyList<StoredUseCase> Partial)> FindByNameAsync(
        string name, int limit, CancellationToken cancellationToken)
    {
        var key = name.Trim().ToLower();
        var exact = await db.Set<UseCaseRecord>().AsNoTracking().Where(u => u.Name.ToLower() == key)
            .OrderBy(u => u.Id).Take(limit).ToListAsync(cancellationToken);
        var partial = exact.Count > 0
            ? []
            : await db.Set<UseCaseRecord>().AsNoTracking().Where(u => u.Name.ToLower().Contains(key))
                .OrderBy(u => u.Name).Take(limit).ToListAsync(cancellationToken);
        var people = await PeopleAsync([.. exact, .. partial], cancellationToken);
        return (exact.Select(r => Stored(r, people)).ToList(), partial.Select(r => Stored(r, people)).ToList());
    }

    public static string Name(Recommendation recommendation) => recommendation.ToString().ToLowerInvariant();

    private async Task<RegistryResult> UpdateWithAsync(Guid id, Func<UseCase, UseCase> change, string changedBy, CancellationToken cancellationToken)
    {
        try
        {
            var result = await ChangeAsync(id, change, null, changedBy, cancellationToken);
            if (result.Outcome == RegistryOutcome.Done)
            {
                await db.SaveChangesAsync(cancellationToken);
            }

            return result;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return new RegistryResult(RegistryOutcome.Conflict);
        }
    }

    private async Task<StoredUseCase> AddAsync(UseCase useCase, string changedBy, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await TrackPeopleAsync(useCase, now, cancellationToken);
        var record = Insert(useCase, changedBy, now);
        return new StoredUseCase(useCase, record.RowVersion, now, now);
    }

    private UseCaseRecord Insert(UseCase useCase, string changedBy, DateTime now)
    {
        var (record, audit) = NewRecord(useCase, changedBy, now);
        db.Add(record);
        db.Add(audit);
        return record;
    }

    private static (UseCaseRecord Record, AuditEntry Audit) NewRecord(UseCase useCase, string changedBy, DateTime now)
    {
        var record = new UseCaseRecord { Id = useCase.Id, Name = useCase.Name, Currency = useCase.Currency, CreatedAt = now, UpdatedAt = now };
        record.CopyFrom(useCase, now);
        return (record, new AuditEntry
        {
            Entity = AuditEntry.UseCaseEntity,
            EntityId = useCase.Id.ToString("D"),
            Field = "created",
            OldValue = null,
            NewValue = useCase.Name,
            ChangedBy = changedBy,
            ChangedAt = now,
        });
    }

    /// <summary>Copies <paramref name="after"/> into the tracked row, raises its version and audits each changed field.</summary>
    private IReadOnlyList<FieldChange> Apply(UseCaseRecord record, UseCase before, UseCase after, string changedBy, DateTime now, List<AuditEntry>? audit = null)
    {
        var changes = UseCaseChanges.Between(before, after);
        if (changes.Count == 0)
        {
            return changes;
        }

        record.CopyFrom(after, now);
        record.UpdatedAt = now;
        // The update only succeeds if nobody else raised the version in the meantime.
        record.RowVersion++;
        foreach (var fieldChange in changes)
        {
            var entry = new AuditEntry
            {
                Entity = AuditEntry.UseCaseEntity,
                EntityId = record.Id.ToString("D"),
                Field = fieldChange.Field,
                OldValue = fieldChange.OldValue,
                NewValue = fieldChange.NewValue,
                ChangedBy = changedBy,
                ChangedAt = now,
            };
            if (audit is null)
            {
                db.Add(entry);
            }
            else
            {
                audit.Add(entry);
            }
        }

        return changes;
    }

    private async Task<RegistryResult> ChangeAsync(
        Guid id, Func<UseCase, UseCase> change, int? expectedRowVersion, string changedBy, CancellationToken cancellationToken)
    {
        var record = await db.Set<UseCaseRecord>().SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (record is null)
        {
            return new RegistryResult(RegistryOutcome.NotFound);
        }

        if (expectedRowVersion is { } expected && expected != record.RowVersion)
        {
            return new RegistryResult(RegistryOutcome.Conflict);
        }

        var people = await PeopleAsync([record], cancellationToken);
        var before = record.ToUseCase(people);
        var after = change(before);
        if (UseCaseChanges.Between(before, after).Count == 0)
        {
            return new RegistryResult(RegistryOutcome.Done, Stored(record, people), []);
        }

        var now = time.GetUtcNow().UtcDateTime;
        await TrackPeopleAsync(after, now, cancellationToken);
        var changes = Apply(record, before, after, changedBy, now);
        return new RegistryResult(RegistryOutcome.Done, new StoredUseCase(after, record.RowVersion, record.CreatedAt, now), changes);
    }

    // The import's TrackPeopleAsync: the people named in the file are already loaded (tracked) in people.
    private static void TrackPeople(UseCase useCase, Dictionary<string, Person> people, DateTime now, List<Person> newPeople)
    {
        foreach (var person in new[] { useCase.Owner, useCase.Delegate, useCase.Sponsor })
        {
            if (person is null)
            {
                continue;
            }

            if (!people.TryGetValue(person.AadObjectId, out var existing))
            {
                existing = new Person { AadObjectId = person.AadObjectId, DisplayName = person.DisplayName, HasLeft = person.HasLeftOrganisation, UpdatedAt = now };
                newPeople.Add(existing);
                people[person.AadObjectId] = existing;
            }
            else if (existing.DisplayName != person.DisplayName)
            {
                existing.DisplayName = person.DisplayName;
                existing.UpdatedAt = now;
            }
        }
    }

    // Keeps the people table in step with the names given for owner, delegate and sponsor.
    private async Task TrackPeopleAsync(UseCase useCase, DateTime now, CancellationToken cancellationToken)
    {
        foreach (var person in new[] { useCase.Owner, useCase.Delegate, useCase.Sponsor })
        {
            if (person is null)
            {
                continue;
            }

            var existing = db.Set<Person>().Local.FirstOrDefault(p => p.AadObjectId == person.AadObjectId)
                ?? await db.Set<Person>().FindAsync([person.AadObjectId], cancellationToken);
            if (existing is null)
            {
                db.Add(new Person { AadObjectId = person.AadObjectId, DisplayName = person.DisplayName, HasLeft = person.HasLeftOrganisation, UpdatedAt = now });
            }
            else if (existing.DisplayName != person.DisplayName)
            {
                existing.DisplayName = person.DisplayName;
                existing.UpdatedAt = now;
            }
        }
    }

    private async Task<Dictionary<string, Person>> PeopleAsync(IReadOnlyCollection<UseCaseRecord> records, CancellationToken cancellationToken)
    {
        var ids = records.SelectMany(r => new[] { r.OwnerAadObjectId, r.DelegateAadObjectId, r.SponsorAadObjectId })
            .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var people = new Dictionary<string, Person>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(200))
        {
            foreach (var person in await db.Set<Person>().AsNoTracking().Where(p => chunk.Contains(p.AadObjectId)).ToListAsync(cancellationToken))
            {
                people[person.AadObjectId] = person;
            }
        }

        // People added in this unit of work but not saved yet.
        foreach (var local in db.Set<Person>().Local)
        {
            people[local.AadObjectId] = local;
        }

        return people;
    }

    private static StoredUseCase Stored(UseCaseRecord record, IReadOnlyDictionary<string, Person> people) =>
        new(record.ToUseCase(people), record.RowVersion, record.CreatedAt, record.UpdatedAt);
}
