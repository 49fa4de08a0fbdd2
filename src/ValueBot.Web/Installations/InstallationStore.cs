using Microsoft.EntityFrameworkCore;
using ValueBot.Web.Persistence;

namespace ValueBot.Web.Installations;

/// <summary>Keeps the conversation references of every installation.</summary>
public sealed class InstallationStore(ValueBotDbContext db, TimeProvider time)
{
    /// <summary>
    /// Records an installation (or re-activates a removed one). Returns true when ValueBot was not installed there
    /// before — the caller welcomes only then, so the two install events Teams sends give one welcome.
    /// </summary>
    public async Task<bool> RecordInstalledAsync(Installation incoming, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var existing = await db.Installations.SingleOrDefaultAsync(i => i.ConversationId == incoming.ConversationId, cancellationToken);
        if (existing is null)
        {
            // Teams sends two install events for one install, often at the same moment. The insert gives way to
            // the other one instead of failing on the unique conversation id, so the race logs no error: the
            // event whose row went in welcomes the user, the other one does nothing.
            var inserted = await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO installations (conversation_id, scope, service_url, tenant_id, user_id, aad_object_id,
                    user_name, team_id, team_name, channel_id, installed_at, updated_at)
                VALUES ({incoming.ConversationId}, {incoming.Scope}, {incoming.ServiceUrl}, {incoming.TenantId},
                    {incoming.UserId}, {incoming.AadObjectId}, {incoming.UserName}, {incoming.TeamId},
                    {incoming.TeamName}, {incoming.ChannelId}, {now}, {now})
                ON CONFLICT (conversation_id) DO NOTHING
                """, cancellationToken);
            return inserted == 1;
        }

        var wasRemoved = existing.RemovedAt is not null;
        existing.Scope = incoming.Scope;
        existing.ServiceUrl = incoming.ServiceUrl;
        existing.TenantId = incoming.TenantId ?? existing.TenantId;
        existing.UserId = incoming.UserId ?? existing.UserId;
        existing.AadObjectId = incoming.AadObjectId ?? existing.AadObjectId;
        existing.UserName = incoming.UserName ?? existing.UserName;
        existing.TeamId = incoming.TeamId ?? existing.TeamId;
        existing.TeamName = incoming.TeamName ?? existing.TeamName;
        existing.ChannelId = incoming.ChannelId ?? existing.ChannelId;
        existing.RemovedAt = null;
        existing.UpdatedAt = now;
        if (wasRemoved)
        {
            existing.InstalledAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
        return wasRemoved;
    }

    /// <summary>Marks the installation removed (kept for history; proactive sends skip it).</summary>
    public async Task RecordRemovedAsync(string conversationId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await db.Installations
            .Where(i => i.ConversationId == conversationId && i.RemovedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.RemovedAt, now).SetProperty(i => i.UpdatedAt, now), cancellationToken);
    }

    /// <summary>
    /// Teams may move a conversation to another serviceUrl; every authenticated activity refreshes it.
    /// One conditional UPDATE, so the common case (unchanged) writes nothing.
    /// </summary>
    public Task<int> RefreshServiceUrlAsync(string conversationId, string serviceUrl, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return db.Installations
            .Where(i => i.ConversationId == conversationId && i.ServiceUrl != serviceUrl)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ServiceUrl, serviceUrl).SetProperty(i => i.UpdatedAt, now), cancellationToken);
    }

    public Task<Installation?> FindByConversationAsync(string conversationId, CancellationToken cancellationToken) =>
        db.Installations.AsNoTracking().SingleOrDefaultAsync(i => i.ConversationId == conversationId, cancellationToken);

    /// <summary>Every user's active personal installation (the newest, if several), by Entra object id: one query.</summary>
    public async Task<IReadOnlyDictionary<string, Installation>> PersonalByUserAsync(CancellationToken cancellationToken)
    {
        var installations = await db.Installations.AsNoTracking()
            .Where(i => i.Scope == "personal" && i.RemovedAt == null && i.AadObjectId != null)
            .ToListAsync(cancellationToken);
        return installations.GroupBy(i => i.AadObjectId!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.MaxBy(i => i.UpdatedAt)!, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The active personal installations of the given users (the newest of each), by Entra object id.</summary>
    public async Task<IReadOnlyDictionary<string, Installation>> PersonalByUsersAsync(IEnumerable<string> aadObjectIds, CancellationToken cancellationToken)
    {
        var ids = aadObjectIds.Select(id => id.ToLowerInvariant()).Distinct().ToList();
        if (ids.Count == 0)
        {
            return new Dictionary<string, Installation>(StringComparer.OrdinalIgnoreCase);
        }

        var installations = await db.Installations.AsNoTracking()
            .Where(i => i.Scope == "personal" && i.RemovedAt == null && i.AadObjectId != null && ids.Contains(i.AadObjectId.ToLower()))
            .ToListAsync(cancellationToken);
        return installations.GroupBy(i => i.AadObjectId!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.MaxBy(i => i.UpdatedAt)!, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The active personal installation of a user, by Entra object id.</summary>
    public Task<Installation?> FindPersonalAsync(string aadObjectId, CancellationToken cancellationToken) =>
        db.Installations.AsNoTracking()
            .Where(i => i.Scope == "personal" && i.AadObjectId == aadObjectId && i.RemovedAt == null)
            .OrderByDescending(i => i.UpdatedAt)
            .FirstOrDefaultAsync(cancellationToken);
}
