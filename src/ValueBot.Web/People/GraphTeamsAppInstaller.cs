using Microsoft.Extensions.Caching.Memory;
using Microsoft.Graph.Models;

namespace ValueBot.Web.People;

/// <summary>
/// Proactive installation of ValueBot for a user through Graph (docs/protocol.md §8.1), so the bot can open a
/// 1:1 chat with someone who never talked to it. Follows Company Communicator: 409 on install means "already installed".
/// None of the methods throws on an HTTP error; only cancellation throws.
/// </summary>
public sealed partial class GraphTeamsAppInstaller(GraphClients clients, IMemoryCache cache, ILogger<GraphTeamsAppInstaller> logger)
{
    /// <summary>Step 1: the app's id in the org catalog, found by the manifest id (<c>Graph:TeamsAppExternalId</c>); cached.</summary>
    public async Task<CatalogAppResult> FindCatalogAppAsync(CancellationToken cancellationToken)
    {
        var options = clients.Options;
        if (!options.Enabled || string.IsNullOrWhiteSpace(options.TeamsAppExternalId))
        {
            return new CatalogAppResult.NotConfigured();
        }

        var externalId = options.TeamsAppExternalId;
        if (cache.TryGetValue(CatalogKey(externalId), out string? cached) && cached is not null)
        {
            return new CatalogAppResult.Found(cached);
        }

        try
        {
            var apps = await clients.Create().AppCatalogs.TeamsApps.GetAsync(
                r => r.QueryParameters.Filter = "externalId eq " + GraphClients.Literal(externalId),
                cancellationToken).ConfigureAwait(false);
            if (apps?.Value?.FirstOrDefault()?.Id is not { } teamsAppId)
            {
                // Not cached: an admin uploading the app should take effect on the next attempt.
                Log.NotInCatalog(logger, externalId);
                return new CatalogAppResult.NotInCatalog(externalId);
            }

            cache.Set(CatalogKey(externalId), teamsAppId, options.CatalogCacheDuration);
            return new CatalogAppResult.Found(teamsAppId);
        }
        catch (Exception e) when (GraphClients.ToFailure(e, cancellationToken) is { } failure)
        {
            Log.Failed(logger, "catalog lookup", failure.ToString());
            return new CatalogAppResult.Failed(failure);
        }
    }

    /// <summary>Step 3: installs the app in personal scope for the user (object id or UPN). Already installed counts as success.</summary>
    public async Task<InstallResult> InstallForUserAsync(string userIdOrUpn, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userIdOrUpn);
        switch (await FindCatalogAppAsync(cancellationToken).ConfigureAwait(false))
        {
            case CatalogAppResult.NotConfigured:
                return new InstallResult.NotConfigured();
            case CatalogAppResult.NotInCatalog missing:
                return new InstallResult.NotInCatalog(missing.ExternalId);
            case CatalogAppResult.Failed failed:
                return new InstallResult.Failed(failed.Failure);
            case CatalogAppResult.Found(var teamsAppId):
                var installation = new UserScopeTeamsAppInstallation
                {
                    AdditionalData = new Dictionary<string, object>
                    {
                        ["teamsApp@odata.bind"] = $"{clients.BaseUrl}/appCatalogs/teamsApps/{Uri.EscapeDataString(teamsAppId)}",
                    },
                };
                try
                {
                    await clients.Create().Users[userIdOrUpn].Teamwork.InstalledApps.PostAsync(installation, cancellationToken: cancellationToken).ConfigureAwait(false);
                    return new InstallResult.Installed(teamsAppId, AlreadyInstalled: false);
                }
                catch (Exception e) when (GraphClients.IsStatus(e, 409))
                {
                    return new InstallResult.Installed(teamsAppId, AlreadyInstalled: true);
                }
                catch (Exception e) when (GraphClients.IsStatus(e, 404) && GraphClients.ToFailure(e, cancellationToken) is { } notFound)
                {
                    // The catalog id may be stale (app removed and uploaded again): look it up afresh next time.
                    cache.Remove(CatalogKey(clients.Options.TeamsAppExternalId!));
                    return new InstallResult.NotFound(userIdOrUpn, notFound.Message);
                }
                catch (Exception e) when (GraphClients.ToFailure(e, cancellationToken) is { } failure)
                {
                    Log.Failed(logger, "installation", failure.ToString());
                    return new InstallResult.Failed(failure);
                }

            default:
                throw new InvalidOperationException("Unexpected catalog result.");
        }
    }

    /// <summary>Steps 2 and 4: the user's installation of the app and the id of its 1:1 chat (usable as the Bot API conversation id).</summary>
    public async Task<ChatIdResult> GetChatIdAsync(string userIdOrUpn, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userIdOrUpn);
        switch (await FindCatalogAppAsync(cancellationToken).ConfigureAwait(false))
        {
            case CatalogAppResult.NotConfigured:
                return new ChatIdResult.NotConfigured();
            case CatalogAppResult.NotInCatalog missing:
                return new ChatIdResult.NotInCatalog(missing.ExternalId);
            case CatalogAppResult.Failed failed:
                return new ChatIdResult.Failed(failed.Failure);
            case CatalogAppResult.Found(var teamsAppId):
                try
                {
                    var installedApps = clients.Create().Users[userIdOrUpn].Teamwork.InstalledApps;
                    var installations = await installedApps.GetAsync(
                        r =>
                        {
                            r.QueryParameters.Expand = ["teamsApp"];
                            r.QueryParameters.Filter = "teamsApp/id eq " + GraphClients.Literal(teamsAppId);
                        },
                        cancellationToken).ConfigureAwait(false);
                    if (installations?.Value?.FirstOrDefault()?.Id is not { } installationId)
                    {
                        return new ChatIdResult.NotInstalled(userIdOrUpn);
                    }

                    var chat = await installedApps[installationId].Chat.GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                    return chat?.Id is { } chatId
                        ? new ChatIdResult.Found(chatId, installationId)
                        : new ChatIdResult.Failed(new GraphFailure(200, null, "Graph returned a chat without an id."));
                }
                catch (Exception e) when (GraphClients.IsStatus(e, 404) && GraphClients.ToFailure(e, cancellationToken) is { } notFound)
                {
                    return new ChatIdResult.NotFound(userIdOrUpn, notFound.Message);
                }
                catch (Exception e) when (GraphClients.ToFailure(e, cancellationToken) is { } failure)
                {
                    Log.Failed(logger, "chat lookup", failure.ToString());
                    return new ChatIdResult.Failed(failure);
                }

            default:
                throw new InvalidOperationException("Unexpected catalog result.");
        }
    }

    private static string CatalogKey(string externalId) => "ValueBot.People.CatalogApp:" + externalId.ToUpperInvariant();

    private static partial class Log
    {
        [LoggerMessage(EventId = 3111, Level = LogLevel.Warning, Message = "Teams app {ExternalId} is not in the org app catalog; upload it before installing proactively")]
        public static partial void NotInCatalog(ILogger logger, string externalId);

        [LoggerMessage(EventId = 3112, Level = LogLevel.Warning, Message = "Graph {Operation} failed: {Reason}")]
        public static partial void Failed(ILogger logger, string operation, string reason);
    }
}
