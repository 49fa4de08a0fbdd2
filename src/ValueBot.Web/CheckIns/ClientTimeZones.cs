using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using ValueBot.Teams.Hosting;
using ValueBot.Teams.Routing;
using ValueBot.Teams.Schema;
using ValueBot.Web.Persistence;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.CheckIns;

/// <summary>The time zones Teams clients report, kept for the people ValueBot knows; runs on every activity.</summary>
public sealed class ClientTimeZones(IMemoryCache seen, TimeProvider time, ValueBotDbContext db)
{
    /// <summary>
    /// Each owner's week runs in their own time zone, which their Teams client reports on every message. Kept for the
    /// people ValueBot knows (owners, delegates, managers); one conditional UPDATE, skipped while the zone is the one last written.
    /// </summary>
    public async Task RememberAsync(TurnContext turn, CancellationToken ct)
    {
        var activity = turn.Activity;
        if (activity.Conversation?.ConversationType != ConversationTypes.Personal
            || activity.From?.AadObjectId is not { Length: > 0 } aadObjectId
            || activity.GetClientTimeZone() is not { } zoneId
            || !CheckInCalendar.TryFindZone(zoneId, out _))
        {
            return;
        }

        // Teams repeats the zone on every message: remember what was last written, so an unchanged zone costs no write.
        var key = "client-time-zone:" + aadObjectId;
        if (seen.TryGetValue(key, out string? known) && known == zoneId)
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        await db.Set<Person>()
            .Where(p => p.AadObjectId == aadObjectId && (p.TimeZone == null || p.TimeZone != zoneId))
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.TimeZone, zoneId).SetProperty(p => p.UpdatedAt, now), ct);
        // Also on the personal chat, which exists before its user is registered as an owner: the cycle falls back to it,
        // so a zone learnt early is applied once they are. Remembered only once it is stored somewhere.
        var conversationId = activity.Conversation!.Id;
        var kept = await db.Installations
            .Where(i => i.ConversationId == conversationId && i.RemovedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.TimeZone, zoneId), ct);
        if (kept > 0)
        {
            seen.Set(key, zoneId, TimeSpan.FromMinutes(10));
        }
    }
}
