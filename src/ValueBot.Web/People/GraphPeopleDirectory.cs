using Microsoft.Extensions.Caching.Memory;
using Microsoft.Graph;
using Microsoft.Graph.Models;

namespace ValueBot.Web.People;

/// <summary>
/// Looks people up in the organisation's directory, with their manager, over Graph: <c>GET /users/{key}</c> (falling back to a <c>mail eq</c> search for an
/// email that is not the UPN, and to <c>/directoryObjects/{id}</c> to tell a non-user id), then <c>GET /users/{id}/manager</c>
/// (404 = no manager). Answers are cached; failures are not.
/// </summary>
public sealed partial class GraphPeopleDirectory(GraphClients clients, IMemoryCache cache, ILogger<GraphPeopleDirectory> logger)
{
    private const string UserType = "#microsoft.graph.user";
    private static readonly string[] UserFields = ["id", "userPrincipalName", "displayName", "mail", "accountEnabled"];

    /// <summary>
    /// Finds a user by email, UPN or Entra object id. Never throws for an unknown person or a Graph failure:
    /// the outcome says what happened. Only cancellation of <paramref name="cancellationToken"/> throws.
    /// </summary>
    public async Task<DirectoryLookup> FindAsync(string emailOrUpnOrObjectId, CancellationToken cancellationToken)
    {
        var options = clients.Options;
        if (!options.Enabled)
        {
            return new DirectoryLookup.NotConfigured();
        }

        var key = (emailOrUpnOrObjectId ?? "").Trim();
        if (key.Length == 0)
        {
            return new DirectoryLookup.NotFound(key);
        }

        if (cache.TryGetValue(CacheKey(key), out DirectoryLookup? cached) && cached is not null)
        {
            return cached;
        }

        var result = await LookUpAsync(key, cancellationToken).ConfigureAwait(false);
        switch (result)
        {
            case DirectoryLookup.Found found:
                cache.Set(CacheKey(key), result, options.CacheDuration);
                cache.Set(CacheKey(found.Person.ObjectId), result, options.CacheDuration);
                if (found.Person.UserPrincipalName is { } upn)
                {
                    cache.Set(CacheKey(upn), result, options.CacheDuration);
                }

                break;
            case DirectoryLookup.NotFound or DirectoryLookup.NotAUser when options.MissCacheDuration > TimeSpan.Zero:
                cache.Set(CacheKey(key), result, options.MissCacheDuration);
                break;
            case DirectoryLookup.Unavailable unavailable:
                Log.Unavailable(logger, key, unavailable.Reason);
                break;
        }

        return result;
    }

    private static string CacheKey(string key) => "ValueBot.People.Person:" + key.ToUpperInvariant();

    private async Task<DirectoryLookup> LookUpAsync(string key, CancellationToken cancellationToken)
    {
        var graph = clients.Create();
        try
        {
            var user = await GetUserAsync(graph, key, cancellationToken).ConfigureAwait(false);
            if (user is null && key.Contains('@', StringComparison.Ordinal))
            {
                // An email need not be the UPN (aliases, renamed domains).
                var matches = await graph.Users.GetAsync(
                    r =>
                    {
                        r.QueryParameters.Filter = "mail eq " + GraphClients.Literal(key);
                        r.QueryParameters.Select = UserFields;
                        r.QueryParameters.Top = 2;
                    },
                    cancellationToken).ConfigureAwait(false);
                user = matches?.Value is [var only] ? only : null;
            }

            if (user is null && Guid.TryParse(key, out _))
            {
                var other = await GetDirectoryObjectAsync(graph, key, cancellationToken).ConfigureAwait(false);
                if (other?.OdataType is { } type && !string.Equals(type, UserType, StringComparison.OrdinalIgnoreCase))
                {
                    return new DirectoryLookup.NotAUser(key, type.Replace("#microsoft.graph.", "", StringComparison.Ordinal));
                }
            }

            if (user?.Id is null)
            {
                return new DirectoryLookup.NotFound(key);
            }

            var manager = await GetManagerAsync(graph, user.Id, cancellationToken).ConfigureAwait(false);
            return new DirectoryLookup.Found(new DirectoryPerson(user.Id, user.UserPrincipalName, user.DisplayName, user.Mail, user.AccountEnabled, manager));
        }
        catch (Exception e) when (GraphClients.ToFailure(e, cancellationToken) is { } failure)
        {
            return new DirectoryLookup.Unavailable(failure.ToString(), failure.StatusCode, failure.RetryAfter);
        }
    }

    private static async Task<User?> GetUserAsync(GraphServiceClient graph, string key, CancellationToken cancellationToken)
    {
        try
        {
            return await graph.Users[key].GetAsync(r => r.QueryParameters.Select = UserFields, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (GraphClients.IsStatus(e, 404) || GraphClients.IsStatus(e, 400))
        {
            // 400 too: Graph rejects keys that are neither an id nor a UPN (for example "29:…" Teams ids).
            return null;
        }
    }

    private static async Task<DirectoryObject?> GetDirectoryObjectAsync(GraphServiceClient graph, string id, CancellationToken cancellationToken)
    {
        try
        {
            return await graph.DirectoryObjects[id].GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (GraphClients.IsStatus(e, 404))
        {
            return null;
        }
    }

    private static async Task<DirectoryManager?> GetManagerAsync(GraphServiceClient graph, string userId, CancellationToken cancellationToken)
    {
        DirectoryObject? manager;
        try
        {
            manager = await graph.Users[userId].Manager.GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (GraphClients.IsStatus(e, 404))
        {
            return null; // Request_ResourceNotFound: no manager is set.
        }

        return manager switch
        {
            User { Id: { } id } u => new DirectoryManager(id, u.DisplayName, u.UserPrincipalName, u.Mail, IsUser: true),
            OrgContact { Id: { } id } c => new DirectoryManager(id, c.DisplayName, null, c.Mail, IsUser: false),
            _ => null,
        };
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Directory lookup of {Key} failed: {Reason}")]
        public static partial void Unavailable(ILogger logger, string key, string reason);
    }
}
