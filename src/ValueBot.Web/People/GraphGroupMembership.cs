using Microsoft.Extensions.Caching.Memory;
using Microsoft.Graph.Users.Item.CheckMemberGroups;

namespace ValueBot.Web.People;

/// <summary>
/// Entra group membership, for admins defined by group (<c>Admin:TeamsAdminGroups</c>), over Graph's <c>POST /users/{id}/checkMemberGroups</c> (transitive; at most 20 group ids
/// per request, so larger lists are asked in parts). Answers are cached for <c>Graph:GroupMembershipCacheDuration</c>;
/// failures are not. A user Graph does not know is in no group.
/// </summary>
public sealed partial class GraphGroupMembership(GraphClients clients, IMemoryCache cache, ILogger<GraphGroupMembership> logger)
{
    /// <summary>Graph's limit on <c>groupIds</c> per checkMemberGroups request.</summary>
    public const int MaxGroupsPerRequest = 20;

    /// <summary>Which of <paramref name="groupIds"/> the user (an Entra object id) belongs to, transitively.</summary>
    public async Task<GroupMembership> CheckAsync(string userObjectId, IReadOnlyCollection<string> groupIds, CancellationToken cancellationToken)
    {
        var options = clients.Options;
        if (!options.Enabled)
        {
            return new GroupMembership.NotConfigured();
        }

        var user = (userObjectId ?? "").Trim();
        var groups = groupIds.Select(g => g.Trim()).Where(g => g.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.OrdinalIgnoreCase).ToList();
        if (user.Length == 0 || groups.Count == 0)
        {
            return new GroupMembership.Known([]);
        }

        var key = $"ValueBot.People.Groups:{user.ToUpperInvariant()}:{string.Join(',', groups).ToUpperInvariant()}";
        if (cache.TryGetValue(key, out GroupMembership? cached) && cached is not null)
        {
            return cached;
        }

        var result = await AskAsync(user, groups, cancellationToken).ConfigureAwait(false);
        if (result is GroupMembership.Known && options.GroupMembershipCacheDuration > TimeSpan.Zero)
        {
            cache.Set(key, result, options.GroupMembershipCacheDuration);
        }
        else if (result is GroupMembership.Unavailable unavailable)
        {
            Log.Unavailable(logger, user, unavailable.Reason);
        }

        return result;
    }

    private async Task<GroupMembership> AskAsync(string user, List<string> groups, CancellationToken cancellationToken)
    {
        var graph = clients.Create();
        var memberOf = new List<string>();
        try
        {
            foreach (var part in groups.Chunk(MaxGroupsPerRequest))
            {
                var response = await graph.Users[user].CheckMemberGroups.PostAsCheckMemberGroupsPostResponseAsync(
                    new CheckMemberGroupsPostRequestBody { GroupIds = [.. part] }, cancellationToken: cancellationToken).ConfigureAwait(false);
                memberOf.AddRange(response?.Value ?? []);
            }
        }
        catch (Exception e) when (GraphClients.IsStatus(e, 404))
        {
            return new GroupMembership.Known([]); // Request_ResourceNotFound: no such user, so in no group.
        }
        catch (Exception e) when (GraphClients.ToFailure(e, cancellationToken) is { } failure)
        {
            return new GroupMembership.Unavailable(failure.ToString());
        }

        // Only ids that were asked about count, whatever comes back.
        return new GroupMembership.Known(memberOf.Where(m => groups.Contains(m, StringComparer.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase).ToList());
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3121, Level = LogLevel.Warning, Message = "Group membership of {User} could not be checked: {Reason}")]
        public static partial void Unavailable(ILogger logger, string user, string reason);
    }
}
