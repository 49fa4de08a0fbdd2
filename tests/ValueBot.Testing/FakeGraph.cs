using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ValueBot.Testing;

/// <summary>A user of the <see cref="FakeGraph"/> directory.</summary>
public sealed record GraphUser(string Id, string UserPrincipalName, string DisplayName, string? Mail = null, bool AccountEnabled = true);

/// <summary>An app in the fake org app catalog (<c>distributionMethod</c> organization).</summary>
public sealed record GraphCatalogApp(string Id, string ExternalId, string DisplayName);

/// <summary>
/// A loopback Microsoft Graph v1.0 (docs/protocol.md §8) for tests, speaking Graph's JSON shapes and error bodies:
/// <c>GET /v1.0/users/{id|upn}</c> (honouring <c>$select</c> like Graph: <c>accountEnabled</c> only when selected),
/// <c>GET /v1.0/users?$filter=mail eq '…'</c>, <c>GET /v1.0/users/{id}/manager</c>, <c>GET /v1.0/directoryObjects/{id}</c>,
/// <c>GET /v1.0/appCatalogs/teamsApps?$filter=externalId eq '…'</c>, <c>GET/POST /v1.0/users/{id}/teamwork/installedApps</c>
/// (201 with an empty body / 409), <c>GET …/installedApps/{id}/chat</c> and <c>POST /v1.0/users/{id}/checkMemberGroups</c>
/// (transitive membership, at most 20 group ids, as Graph). Records every request with its headers;
/// answers with scripted responses first when any are queued. With <see cref="RequiredBearerToken"/> set, requests
/// without that token get Graph's 401. Dispose to stop it.
/// </summary>
public sealed partial class FakeGraph : IAsyncDisposable
{
    private const string UserType = "#microsoft.graph.user";
    private static readonly string[] DefaultUserFields =
        ["businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id"];

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly List<(Func<RecordedRequest, bool> When, ScriptedResponse Response)> _script = [];
    private readonly ConcurrentDictionary<string, JsonObject> _objects = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, string> _managers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _groupMembers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, GraphCatalogApp> _catalog = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, List<(string InstallationId, string TeamsAppId, string ChatId)>> _installations = new(StringComparer.OrdinalIgnoreCase);
    private int _counter;

    private FakeGraph(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>http://127.0.0.1:PORT/v1.0 — what goes into <c>Graph:BaseUrl</c>.</summary>
    public string BaseUrl { get; }

    /// <summary>When set, every request must carry <c>Authorization: Bearer {value}</c> or gets 401 InvalidAuthenticationToken.</summary>
    public string? RequiredBearerToken { get; set; }

    /// <summary>Every request received so far, in order. <see cref="RecordedRequest.Route"/> holds the segments after <c>v1.0/</c>.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>Starts the fake on 127.0.0.1 with an OS-chosen port.</summary>
    public static async Task<FakeGraph> StartAsync()
    {
        var app = LoopbackApp.CreateBuilder().Build();
        FakeGraph? fake = null;
        app.Run(context => fake!.HandleAsync(context));
        var root = await LoopbackApp.StartAsync(app).ConfigureAwait(false);
        fake = new FakeGraph(app, root + "/v1.0");
        return fake;
    }

    /// <summary>A Graph-shaped 429 with <c>Retry-After</c> in seconds.</summary>
    public static ScriptedResponse Throttled(int retryAfterSeconds) => ScriptedResponse.TooManyRequests(retryAfterSeconds);

    /// <summary>A Graph-shaped 503 (optionally with Retry-After).</summary>
    public static ScriptedResponse ServiceUnavailable(int? retryAfterSeconds = null) =>
        new(503, Error("serviceNotAvailable", "The service is temporarily unavailable."),
            retryAfterSeconds is { } s ? new Dictionary<string, string> { ["Retry-After"] = s.ToString(System.Globalization.CultureInfo.InvariantCulture) } : null);

    /// <summary>Adds (or replaces) a user.</summary>
    public GraphUser AddUser(GraphUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        _objects[user.Id] = new JsonObject
        {
            ["@odata.type"] = UserType,
            ["id"] = user.Id,
            ["userPrincipalName"] = user.UserPrincipalName,
            ["displayName"] = user.DisplayName,
            ["mail"] = user.Mail,
            ["accountEnabled"] = user.AccountEnabled,
            ["businessPhones"] = new JsonArray(),
            ["givenName"] = null,
            ["jobTitle"] = null,
            ["mobilePhone"] = null,
            ["officeLocation"] = null,
            ["preferredLanguage"] = null,
            ["surname"] = null,
        };
        return user;
    }

    /// <summary>Adds a directory object that is not a user, e.g. ("#microsoft.graph.group", id, name) or an "#microsoft.graph.orgContact".</summary>
    public void AddDirectoryObject(string odataType, string id, string displayName, string? mail = null) =>
        _objects[id] = new JsonObject { ["@odata.type"] = odataType, ["id"] = id, ["displayName"] = displayName, ["mail"] = mail };

    /// <summary>Makes a user or a group (nested) a member of a group, adding the group as a directory object when new.</summary>
    public void AddGroupMember(string groupId, string memberId)
    {
        _objects.TryAdd(groupId, new JsonObject { ["@odata.type"] = "#microsoft.graph.group", ["id"] = groupId, ["displayName"] = "Group " + groupId, ["mail"] = null });
        _groupMembers.GetOrAdd(groupId, _ => new ConcurrentDictionary<string, byte>(StringComparer.OrdinalIgnoreCase))[memberId] = 0;
    }

    /// <summary>Removes a direct member from a group.</summary>
    public void RemoveGroupMember(string groupId, string memberId)
    {
        if (_groupMembers.TryGetValue(groupId, out var members))
        {
            members.TryRemove(memberId, out _);
        }
    }

    /// <summary>Sets the manager (a user or org contact already added) of a user.</summary>
    public void SetManager(string userId, string managerId) => _managers[userId] = managerId;

    /// <summary>Adds an app to the org catalog.</summary>
    public GraphCatalogApp AddCatalogApp(GraphCatalogApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        _catalog[app.Id] = app;
        return app;
    }

    /// <summary>Marks the app as installed for the user (as if installed earlier); returns the installation id.</summary>
    public string AddInstallation(string userId, string teamsAppId) => Install(userId, teamsAppId).InstallationId;

    /// <summary>The teamsApp ids installed for a user (by object id).</summary>
    public IReadOnlyList<string> InstalledAppIds(string userId) =>
        _installations.TryGetValue(userId, out var list) ? list.Select(i => i.TeamsAppId).ToList() : [];

    /// <summary>The chat id of a user's installation of an app, or null.</summary>
    public string? ChatIdOf(string userId, string teamsAppId) =>
        _installations.TryGetValue(userId, out var list) ? list.FirstOrDefault(i => i.TeamsAppId == teamsAppId).ChatId : null;

    /// <summary>Queues a response for the next request matching <paramref name="when"/> (any request when null).</summary>
    public void Enqueue(ScriptedResponse response, Func<RecordedRequest, bool>? when = null)
    {
        lock (_script)
        {
            _script.Add((when ?? (_ => true), response));
        }
    }

    /// <summary>Forgets recorded requests and queued responses.</summary>
    public void ResetRequests()
    {
        _requests.Clear();
        lock (_script)
        {
            _script.Clear();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static string Error(string code, string message) => new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["code"] = code,
            ["message"] = message,
            ["innerError"] = new JsonObject
            {
                ["date"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                ["request-id"] = Guid.NewGuid().ToString(),
                ["client-request-id"] = Guid.NewGuid().ToString(),
            },
        },
    }.ToJsonString();

    private static ScriptedResponse NotFound(string resource) =>
        new(404, Error("Request_ResourceNotFound", $"Resource '{resource}' does not exist or one of its queried reference-property objects are not present."));

    private static ScriptedResponse Json(int status, JsonObject body) => new(status, body.ToJsonString());

    private static JsonObject Collection(string context, IEnumerable<JsonNode> items) =>
        new() { ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#" + context, ["value"] = new JsonArray(items.ToArray()) };

    [GeneratedRegex(@"^\s*([A-Za-z]+(?:/[A-Za-z]+)?)\s+eq\s+'((?:[^']|'')*)'\s*$")]
    private static partial Regex EqFilter();

    private static (string Property, string Value)? ParseEq(string? filter) =>
        filter is not null && EqFilter().Match(filter) is { Success: true } m ? (m.Groups[1].Value, m.Groups[2].Value.Replace("''", "'", StringComparison.Ordinal)) : null;

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync().ConfigureAwait(false);
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path + request.QueryString;
        var rawPath = rawTarget.Split('?')[0];
        var segments = rawPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToList();
        var version = segments.IndexOf("v1.0");
        var recorded = new RecordedRequest(
            request.Method,
            rawTarget,
            Uri.UnescapeDataString(rawPath),
            version < 0 ? [] : segments.Skip(version + 1).ToList(),
            request.QueryString.Value ?? "",
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body);
        _requests.Enqueue(recorded);

        // The report's download link is pre-authenticated, as reports.office.com's is: no token is asked for.
        var download = version < 0 && segments.Count == 2 && segments[0] == DownloadSegment;
        var response = NextScripted(recorded) ?? (download ? Download(segments[1]) : Authorize(recorded) ?? Route(recorded, request.Query));
        context.Response.Headers["request-id"] = Guid.NewGuid().ToString();
        await response.WriteToAsync(context.Response, "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8").ConfigureAwait(false);
    }

    private ScriptedResponse? NextScripted(RecordedRequest recorded)
    {
        lock (_script)
        {
            var index = _script.FindIndex(s => s.When(recorded));
            if (index < 0)
            {
                return null;
            }

            var response = _script[index].Response;
            _script.RemoveAt(index);
            return response;
        }
    }

    private ScriptedResponse? Authorize(RecordedRequest recorded)
    {
        if (RequiredBearerToken is not { } expected)
        {
            return null;
        }

        return recorded.Authorization switch
        {
            null or "" => new(401, Error("InvalidAuthenticationToken", "Access token is empty.")),
            var header when header == "Bearer " + expected => null,
            _ => new(401, Error("InvalidAuthenticationToken", "Access token validation failure. Invalid audience.")),
        };
    }

    private ScriptedResponse Route(RecordedRequest r, IQueryCollection query)
    {
        var route = r.Route;
        switch (r.Method, route.Count)
        {
            case ("GET", 1) when route[0] == "users":
                return ListUsers(query);
            case ("GET", 2) when route[0] == "users":
                return FindUser(route[1]) is { } user
                    ? Json(200, Select(user, query["$select"], "users/$entity"))
                    : NotFound(route[1]);
            case ("GET", 3) when route[0] == "users" && route[2] == "manager":
                return Manager(route[1]);
            case ("GET", 2) when route[0] == "directoryObjects":
                return _objects.TryGetValue(route[1], out var obj)
                    ? Json(200, WithContext(obj, "directoryObjects/$entity"))
                    : NotFound(route[1]);
            case ("GET", 2) when route[0] == "appCatalogs" && route[1] == "teamsApps":
                return Catalog(query);
            case ("GET", 4) when route[0] == "users" && route[2] == "teamwork" && route[3] == "installedApps":
                return ListInstallations(route[1], query);
            case ("POST", 4) when route[0] == "users" && route[2] == "teamwork" && route[3] == "installedApps":
                return PostInstallation(route[1], r.Json);
            case ("POST", 3) when route[0] == "users" && route[2] == "checkMemberGroups":
                return CheckMemberGroups(route[1], r.Json);
            case ("GET", 6) when route[0] == "users" && route[2] == "teamwork" && route[3] == "installedApps" && route[5] == "chat":
                return Chat(route[1], route[4]);
            case ("GET", 2) when route[0] == "admin" && route[1] == "reportSettings":
                return ReportSettings();
            case ("GET", 3) when route[0] == "copilot" && route[1] == "reports" && route[2].StartsWith("getMicrosoft365CopilotUsageUserDetail(", StringComparison.Ordinal):
                return CopilotUsageUserDetail(route[2], query);
            case ("GET", 4) when route[0] == "groups" && route[2] == "transitiveMembers" && route[3] == "microsoft.graph.user":
                return TransitiveUsers(route[1], query);
            default:
                return new(400, Error("BadRequest", $"Resource not found for the segment '{route.LastOrDefault()}'."));
        }
    }

    private JsonObject? FindUser(string idOrUpn)
    {
        if (_objects.TryGetValue(idOrUpn, out var byId))
        {
            return (string?)byId["@odata.type"] == UserType ? byId : null;
        }

        return _objects.Values.FirstOrDefault(o =>
            (string?)o["@odata.type"] == UserType && string.Equals((string?)o["userPrincipalName"], idOrUpn, StringComparison.OrdinalIgnoreCase));
    }

    private static JsonObject Select(JsonObject user, string? select, string context)
    {
        var fields = string.IsNullOrEmpty(select) ? DefaultUserFields : select.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var result = new JsonObject { ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#" + context };
        foreach (var field in fields)
        {
            if (user.TryGetPropertyValue(field, out var value))
            {
                result[field] = value?.DeepClone();
            }
        }

        return result;
    }

    private static JsonObject WithContext(JsonObject obj, string context)
    {
        var result = new JsonObject { ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#" + context };
        foreach (var (name, value) in obj)
        {
            if (name != "accountEnabled")
            {
                result[name] = value?.DeepClone();
            }
        }

        return result;
    }

    private ScriptedResponse ListUsers(IQueryCollection query)
    {
        if (ParseEq(query["$filter"]) is not { } filter || filter.Property is not ("mail" or "userPrincipalName"))
        {
            return new(400, Error("Request_UnsupportedQuery", "Unsupported query."));
        }

        var matches = _objects.Values
            .Where(o => (string?)o["@odata.type"] == UserType && string.Equals((string?)o[filter.Property], filter.Value, StringComparison.OrdinalIgnoreCase))
            .Select(o => (JsonNode)Select(o, query["$select"], "users/$entity"))
            .ToList();
        foreach (var item in matches)
        {
            item.AsObject().Remove("@odata.context");
        }

        return Json(200, Collection("users", matches));
    }

    private ScriptedResponse Manager(string idOrUpn)
    {
        if (FindUser(idOrUpn) is not { } user)
        {
            return NotFound(idOrUpn);
        }

        return _managers.TryGetValue((string)user["id"]!, out var managerId) && _objects.TryGetValue(managerId, out var manager)
            ? Json(200, WithContext(manager, "directoryObjects/$entity"))
            : NotFound("manager");
    }

    private ScriptedResponse Catalog(IQueryCollection query)
    {
        var filter = ParseEq(query["$filter"]);
        var apps = _catalog.Values
            .Where(a => filter is null
                || (filter.Value.Property == "externalId" && a.ExternalId == filter.Value.Value)
                || (filter.Value.Property == "id" && a.Id == filter.Value.Value))
            .Select(a => (JsonNode)CatalogJson(a));
        return Json(200, Collection("appCatalogs/teamsApps", apps));
    }

    private static JsonObject CatalogJson(GraphCatalogApp app) =>
        new() { ["id"] = app.Id, ["externalId"] = app.ExternalId, ["displayName"] = app.DisplayName, ["distributionMethod"] = "organization" };

    private ScriptedResponse ListInstallations(string idOrUpn, IQueryCollection query)
    {
        if (FindUser(idOrUpn) is not { } user)
        {
            return NotFound(idOrUpn);
        }

        var filter = ParseEq(query["$filter"]);
        var expand = ((string?)query["$expand"] ?? "").Contains("teamsApp", StringComparison.Ordinal);
        var userId = (string)user["id"]!;
        var items = (_installations.TryGetValue(userId, out var list) ? list.ToList() : [])
            .Where(i => filter is null || (filter.Value.Property == "teamsApp/id" && filter.Value.Value == i.TeamsAppId))
            .Select(i =>
            {
                var item = new JsonObject { ["id"] = i.InstallationId, ["consentedPermissionSet"] = null };
                if (expand && _catalog.TryGetValue(i.TeamsAppId, out var app))
                {
                    item["teamsApp"] = CatalogJson(app);
                }

                return (JsonNode)item;
            });
        return Json(200, Collection($"users('{userId}')/teamwork/installedApps", items));
    }

    private ScriptedResponse PostInstallation(string idOrUpn, JsonNode? body)
    {
        if (FindUser(idOrUpn) is not { } user)
        {
            return NotFound(idOrUpn);
        }

        var bind = (string?)body?["teamsApp@odata.bind"];
        var marker = "/appCatalogs/teamsApps/";
        var at = bind?.IndexOf(marker, StringComparison.Ordinal) ?? -1;
        if (bind is null || at < 0)
        {
            return new(400, Error("BadRequest", "The 'teamsApp@odata.bind' property is required."));
        }

        var teamsAppId = Uri.UnescapeDataString(bind[(at + marker.Length)..]);
        if (!_catalog.ContainsKey(teamsAppId))
        {
            return new(404, Error("NotFound", $"Teams app '{teamsAppId}' not found in the app catalog."));
        }

        var userId = (string)user["id"]!;
        if (InstalledAppIds(userId).Contains(teamsAppId))
        {
            return new(409, Error("Conflict", "App is already installed."));
        }

        Install(userId, teamsAppId);
        return new(201);
    }

    private ScriptedResponse CheckMemberGroups(string idOrUpn, JsonNode? body)
    {
        if (FindUser(idOrUpn) is not { } user)
        {
            return NotFound(idOrUpn);
        }

        if (body?["groupIds"] is not JsonArray ids || ids.Count == 0 || ids.Any(i => i is not JsonValue v || !v.TryGetValue<string>(out _)))
        {
            return new(400, Error("Request_BadRequest", "Invalid value specified for property 'groupIds' of resource 'User'."));
        }

        if (ids.Count > 20)
        {
            return new(400, Error("Request_BadRequest", "The number of groupIds exceeds the limit of 20."));
        }

        var userId = (string)user["id"]!;
        var memberOf = ids.Select(i => (string)i!).Where(g => IsMember(g, userId, [])).Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(g => (JsonNode)JsonValue.Create(g));
        return Json(200, new JsonObject
        {
            ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#Collection(Edm.String)",
            ["value"] = new JsonArray(memberOf.ToArray()),
        });
    }

    private bool IsMember(string groupId, string memberId, HashSet<string> visited)
    {
        if (!visited.Add(groupId) || !_groupMembers.TryGetValue(groupId, out var members))
        {
            return false;
        }

        return members.ContainsKey(memberId) || members.Keys.Any(nested => IsMember(nested, memberId, visited));
    }

    private ScriptedResponse Chat(string idOrUpn, string installationId)
    {
        if (FindUser(idOrUpn) is not { } user)
        {
            return NotFound(idOrUpn);
        }

        var found = _installations.TryGetValue((string)user["id"]!, out var list) ? list.FirstOrDefault(i => i.InstallationId == installationId) : default;
        if (found.ChatId is null)
        {
            return NotFound(installationId);
        }

        return Json(200, new JsonObject
        {
            ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#chats/$entity",
            ["id"] = found.ChatId,
            ["topic"] = null,
            ["createdDateTime"] = "2026-01-05T09:00:00.000Z",
            ["lastUpdatedDateTime"] = "2026-01-05T09:00:00.000Z",
            ["chatType"] = "oneOnOne",
            ["webUrl"] = $"https://teams.microsoft.com/l/chat/{Uri.EscapeDataString(found.ChatId)}/0",
            ["tenantId"] = "00000000-0000-0000-0000-0000000000aa",
        });
    }

    private (string InstallationId, string TeamsAppId, string ChatId) Install(string userId, string teamsAppId)
    {
        var n = Interlocked.Increment(ref _counter);
        var entry = ($"installation-{n}", teamsAppId, $"19:{userId}_bot-{n}@unq.gbl.spaces");
        var list = _installations.GetOrAdd(userId, _ => []);
        lock (list)
        {
            list.Add(entry);
        }

        return entry;
    }
}

/// <summary>One licensed user in the fake's Microsoft 365 Copilot usage report.</summary>
/// <param name="LastActivityDate">The latest Copilot activity in any app; null for none in the period.</param>
public sealed record CopilotUsageEntry(string UserPrincipalName, string DisplayName, DateOnly? LastActivityDate, DateOnly? TeamsLastActivityDate = null);
