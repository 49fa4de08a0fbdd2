using Microsoft.EntityFrameworkCore;
using ValueBot.Web.Persistence;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.People;

/// <summary>The people ValueBot knows (owners, delegates, sponsors, managers): looked up, remembered, and their managers set.</summary>
public sealed class KnownPeople(ValueBotDbContext db, TimeProvider time)
{
    /// <summary>A person ValueBot knows, by Entra object id.</summary>
    public Task<Person?> FindAsync(string aadObjectId, CancellationToken cancellationToken) =>
        db.Set<Person>().AsNoTracking().FirstOrDefaultAsync(p => p.AadObjectId == aadObjectId, cancellationToken);

    /// <summary>Looks a person up by UPN or mail among the people ValueBot already knows.</summary>
    public Task<Person?> FindByUpnOrMailAsync(string upnOrMail, CancellationToken cancellationToken)
    {
        var key = upnOrMail.Trim().ToLowerInvariant();
        return db.Set<Person>().AsNoTracking()
            .FirstOrDefaultAsync(p => (p.UserPrincipalName != null && p.UserPrincipalName.ToLower() == key)
                || (p.Mail != null && p.Mail.ToLower() == key), cancellationToken);
    }

    /// <summary>Adds or refreshes a person (e.g. from a Graph lookup).</summary>
    public async Task RememberAsync(Person person, CancellationToken cancellationToken)
    {
        var existing = await db.Set<Person>().FindAsync([person.AadObjectId], cancellationToken);
        person.UpdatedAt = time.GetUtcNow().UtcDateTime;
        if (existing is null)
        {
            db.Add(person);
        }
        else
        {
            existing.DisplayName = person.DisplayName;
            existing.UserPrincipalName = person.UserPrincipalName ?? existing.UserPrincipalName;
            existing.Mail = person.Mail ?? existing.Mail;
            existing.HasLeft = person.HasLeft;
            existing.ManagerAadObjectId = person.ManagerAadObjectId ?? existing.ManagerAadObjectId;
            existing.UpdatedAt = person.UpdatedAt;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The audit trail's entity of a person (their manager, as an admin set it).</summary>
    public const string AuditEntity = "person";

    /// <summary>
    /// Records <paramref name="managerAadObjectId"/> as the manager of <paramref name="ownerAadObjectId"/> (both people
    /// ValueBot knows), audited on the owner; nothing happens when it is already so.
    /// </summary>
    public async Task SetManagerAsync(string ownerAadObjectId, string managerAadObjectId, string changedBy, CancellationToken cancellationToken)
    {
        var owner = await db.Set<Person>().FindAsync([ownerAadObjectId], cancellationToken);
        if (owner is null || string.Equals(owner.ManagerAadObjectId, managerAadObjectId, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        db.Add(new AuditEntry
        {
            Entity = AuditEntity,
            EntityId = ownerAadObjectId,
            Field = "managerAadObjectId",
            OldValue = owner.ManagerAadObjectId,
            NewValue = managerAadObjectId,
            ChangedBy = changedBy,
            ChangedAt = now,
        });
        owner.ManagerAadObjectId = managerAadObjectId;
        owner.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
    }
}
