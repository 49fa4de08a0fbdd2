using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ValueBot.Testing;

/// <summary>One request the <see cref="FakeConnector"/> received.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="RawTarget">The request target exactly as sent (path and query, still escaped).</param>
/// <param name="Path">The decoded path, relative to the server root.</param>
/// <param name="Route">The route after <c>v3/</c> as unescaped segments, for example ["conversations", "a:1@x;y", "activities"].</param>
/// <param name="Query">The query string including '?', or empty.</param>
/// <param name="Headers">Request headers (first value of each; names case-insensitive).</param>
/// <param name="Body">The body as text (empty when none).</param>
public sealed record RecordedRequest(
    string Method,
    string RawTarget,
    string Path,
    IReadOnlyList<string> Route,
    string Query,
    IReadOnlyDictionary<string, string> Headers,
    string Body)
{
    /// <summary>The body parsed as JSON, or null.</summary>
    public JsonNode? Json => string.IsNullOrWhiteSpace(Body) ? null : JsonNode.Parse(Body);

    /// <summary>When the request arrived (UTC, wall clock), for checking rate limits.</summary>
    public DateTimeOffset ReceivedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The Authorization header, or null.</summary>
    public string? Authorization => Headers.TryGetValue("Authorization", out var value) ? value : null;
}

/// <summary>A scripted answer of the <see cref="FakeConnector"/>.</summary>
/// <param name="Status">HTTP status.</param>
/// <param name="Body">JSON body, or null for none.</param>
/// <param name="Headers">Extra response headers.</param>
public sealed record ScriptedResponse(int Status, string? Body = null, IReadOnlyDictionary<string, string>? Headers = null)
{
    /// <summary>
    /// Teams stored the message although it answers an error: a gateway that failed after the write committed. A 2xx is
    /// always stored.
    /// </summary>
    public bool Committed { get; init; }

    /// <summary>How long the answer takes (the message is stored first when it will be): slower than the client's timeout, the caller sees a timeout.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>The body's content type, when not the fake's usual one (a CSV download, say).</summary>
    public string? ContentType { get; init; }

    /// <summary>Whether Teams keeps the message this answers.</summary>
    public bool Stores => Committed || Status is >= 200 and < 300;

    /// <summary>Writes this response (status, headers, and the body with <paramref name="contentType"/>) to a fake's HTTP response.</summary>
    public async Task WriteToAsync(HttpResponse response, string contentType)
    {
        response.StatusCode = Status;
        foreach (var (name, value) in Headers ?? new Dictionary<string, string>())
        {
            response.Headers[name] = value;
        }

        if (Body is not null)
        {
            response.ContentType = ContentType ?? contentType;
            await response.WriteAsync(Body).ConfigureAwait(false);
        }
    }

    /// <summary>429 with <c>Retry-After</c> in seconds.</summary>
    public static ScriptedResponse TooManyRequests(int retryAfterSeconds) =>
        new(429, """{"error":{"code":"TooManyRequests","message":"Too many requests"}}""",
            new Dictionary<string, string> { ["Retry-After"] = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    /// <summary>429 with <c>Retry-After</c> as an HTTP date.</summary>
    public static ScriptedResponse TooManyRequests(DateTimeOffset retryAt) =>
        new(429, """{"error":{"code":"TooManyRequests","message":"Too many requests"}}""",
            new Dictionary<string, string> { ["Retry-After"] = retryAt.ToString("R", System.Globalization.CultureInfo.InvariantCulture) });

    /// <summary>A 5xx with a Bot Framework error body.</summary>
    public static ScriptedResponse ServerError(int status = 500) =>
        new(status, $$$"""{"error":{"code":"ServiceError","message":"Upstream failure {{{status}}}"}}""");

    /// <summary>A 5xx answered after Teams already stored the message.</summary>
    public static ScriptedResponse ServerErrorAfterStoring(int status = 502) => ServerError(status) with { Committed = true };

    /// <summary>503 with <c>Retry-After</c>: the front door refused the request, nothing was stored.</summary>
    public static ScriptedResponse Unavailable(int retryAfterSeconds) =>
        new(503, """{"error":{"code":"ServiceUnavailable","message":"Service unavailable"}}""",
            new Dictionary<string, string> { ["Retry-After"] = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    /// <summary>A success that arrives only after <paramref name="delay"/> (stored at once).</summary>
    public static ScriptedResponse Slow(TimeSpan delay, string id) => new(201, $$"""{"id":"{{id}}"}""") { Delay = delay };

    /// <summary>403 with a Bot Framework error code, e.g. <c>ConversationBlockedByUser</c> or <c>BotDisabledByAdmin</c>.</summary>
    public static ScriptedResponse Stopped(string code) =>
        new(403, $$$"""{"error":{"code":"{{{code}}}","message":"Teams refused the message: {{{code}}}"}}""");

    /// <summary>403 in Teams' own shape, as for a bot that was uninstalled or blocked.</summary>
    public static ScriptedResponse Forbidden() =>
        new(403, """{"errorCode":209,"message":"{\"subCode\":\"MessageWritesBlocked\",\"details\":\"Thread is blocked\"}"}""");

    /// <summary>404 conversation not found.</summary>
    public static ScriptedResponse NotFound() =>
        new(404, """{"error":{"code":"ConversationNotFound","message":"Conversation not found."}}""");

    /// <summary>413 MessageSizeTooBig.</summary>
    public static ScriptedResponse TooLarge() =>
        new(413, """{"error":{"code":"MessageSizeTooBig","message":"Message size too big."}}""");
}

/// <summary>
/// A loopback Bot Connector (docs/protocol.md §3) for tests: implements create conversation, send, reply, update,
/// delete and paged members under <c>{ServiceUrl}v3/…</c>, records every request (method, raw escaped target,
/// headers, body), and answers with scripted responses when any are queued (FIFO, optionally per method).
/// Every response carries an <c>X-Correlating-OperationId</c> header. Dispose to stop it.
/// </summary>
public sealed class FakeConnector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<(string? Method, ScriptedResponse Response)> _script = new();
    private readonly ConcurrentDictionary<string, List<JsonObject>> _members = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _stored = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly Queue<DateTimeOffset> _botLog = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _conversationLogs = new(StringComparer.Ordinal);
    private int _counter;
    private TaskCompletionSource? _hold;
    private int _held;
    private int _limitRejections;

    private FakeConnector(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>http://127.0.0.1:PORT</summary>
    public string BaseUrl { get; }

    /// <summary>A serviceUrl pointing at this fake, shaped like Teams' (<c>http://127.0.0.1:PORT/teams/</c>).</summary>
    public string ServiceUrl => BaseUrl + "/teams/";

    /// <summary>Every request received so far, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>The requests Teams kept (answered 2xx, or failed after storing): what users see in their chats.</summary>
    public IReadOnlyList<RecordedRequest> Stored => _stored.ToArray();

    /// <summary>
    /// Decides the answer to a request no script is queued for (null: the default). Lets a test fail a share of all
    /// requests the way a real gateway does, e.g. 30 % 5xx of which some were stored.
    /// </summary>
    public Func<RecordedRequest, ScriptedResponse?>? Faults { get; set; }

    /// <summary>
    /// Answers 429 (nothing stored) to requests over Teams' limits (docs/protocol.md §5): 50/s for the bot, and per
    /// conversation 7 in 1 s, 8 in 2 s, 60 in 30 s — counted on arrival, as a real service would.
    /// </summary>
    public bool EnforceTeamsLimits { get; set; }

    /// <summary>Requests answered 429 because of <see cref="EnforceTeamsLimits"/>.</summary>
    public int LimitRejections => Volatile.Read(ref _limitRejections);

    /// <summary>Starts the fake on 127.0.0.1 with an OS-chosen port.</summary>
    public static async Task<FakeConnector> StartAsync()
    {
        var builder = LoopbackApp.CreateBuilder();
        var app = builder.Build();
        FakeConnector? fake = null;
        app.Run(context => fake!.HandleAsync(context));
        var baseUrl = await LoopbackApp.StartAsync(app).ConfigureAwait(false);
        fake = new FakeConnector(app, baseUrl);
        return fake;
    }

    /// <summary>Queues a response for the next request (any method, or only <paramref name="method"/>).</summary>
    public void Enqueue(ScriptedResponse response, string? method = null)
    {
        lock (_script)
        {
            _script.Enqueue((method, response));
        }
    }

    /// <summary>Sets the roster returned by <c>pagedmembers</c> for a conversation (or team) id.</summary>
    public void SetMembers(string conversationId, IEnumerable<JsonObject> members) => _members[conversationId] = members.ToList();

    /// <summary>Waits until a request matching <paramref name="predicate"/> has arrived.</summary>
    public async Task<RecordedRequest> WaitForRequestAsync(Func<RecordedRequest, bool> predicate, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var match = _requests.FirstOrDefault(predicate);
            if (match is not null)
            {
                return match;
            }

            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero || !await _arrived.WaitAsync(remaining).ConfigureAwait(false))
            {
                if (_requests.FirstOrDefault(predicate) is { } late)
                {
                    return late;
                }

                throw new TimeoutException("No matching request reached the fake connector.");
            }
        }
    }

    /// <summary>
    /// From now on every request is recorded as it arrives (Teams has it) but answered only after
    /// <see cref="ReleaseResponses"/>: the state of a sender that dies while its sends are on the wire.
    /// </summary>
    public void HoldResponses() => Interlocked.CompareExchange(ref _hold, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);

    /// <summary>Answers every held request and stops holding.</summary>
    public void ReleaseResponses() => Interlocked.Exchange(ref _hold, null)?.TrySetResult();

    /// <summary>Requests received and not yet answered because of <see cref="HoldResponses"/>.</summary>
    public int HeldCount => Volatile.Read(ref _held);

    /// <summary>Forgets recorded requests and queued responses.</summary>
    public void Reset()
    {
        _requests.Clear();
        _stored.Clear();
        _script.Clear();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        ReleaseResponses();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var receivedAt = DateTimeOffset.UtcNow;
        var request = context.Request;
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync().ConfigureAwait(false);
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path + request.QueryString;
        var rawPath = rawTarget.Split('?')[0];
        var segments = rawPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToList();
        var v3 = segments.IndexOf("v3");
        var route = v3 < 0 ? [] : segments.Skip(v3 + 1).ToList();
        var recorded = new RecordedRequest(
            request.Method,
            rawTarget,
            Uri.UnescapeDataString(rawPath),
            route,
            request.QueryString.Value ?? "",
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body)
        { ReceivedAt = receivedAt };
        _requests.Enqueue(recorded);
        _arrived.Release();
        if (Volatile.Read(ref _hold) is { } hold)
        {
            Interlocked.Increment(ref _held);
            try
            {
                await hold.Task.WaitAsync(context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return; // the caller went away (its process was killed)
            }
            finally
            {
                Interlocked.Decrement(ref _held);
            }
        }

        context.Response.Headers["X-Correlating-OperationId"] = "op-" + Interlocked.Increment(ref _counter);
        var scripted = NextScripted(request.Method)
            ?? (OverLimits(recorded, receivedAt) ? ScriptedResponse.TooManyRequests(1) : null)
            ?? Faults?.Invoke(recorded)
            ?? DefaultResponse(recorded, request);
        if (scripted.Stores)
        {
            _stored.Enqueue(recorded);
        }

        if (scripted.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(scripted.Delay, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return; // the caller gave up waiting; the message stays stored
            }
        }

        await scripted.WriteToAsync(context.Response, "application/json; charset=utf-8").ConfigureAwait(false);
    }

    private bool OverLimits(RecordedRequest recorded, DateTimeOffset at)
    {
        if (!EnforceTeamsLimits || recorded.Route.Count < 2 || recorded.Route[0] != "conversations")
        {
            return false;
        }

        lock (_botLog)
        {
            if (!_conversationLogs.TryGetValue(recorded.Route[1], out var log))
            {
                log = new Queue<DateTimeOffset>();
                _conversationLogs[recorded.Route[1]] = log;
            }

            while (_botLog.Count > 0 && _botLog.Peek() <= at - TimeSpan.FromSeconds(1))
            {
                _botLog.Dequeue();
            }

            while (log.Count > 0 && log.Peek() <= at - TimeSpan.FromSeconds(30))
            {
                log.Dequeue();
            }

            var over = _botLog.Count >= 50
                || log.Count(t => t > at - TimeSpan.FromSeconds(1)) >= 7
                || log.Count(t => t > at - TimeSpan.FromSeconds(2)) >= 8
                || log.Count >= 60;
            if (over)
            {
                Interlocked.Increment(ref _limitRejections);
                return true;
            }

            _botLog.Enqueue(at);
            log.Enqueue(at);
            return false;
        }
    }


    private ScriptedResponse? NextScripted(string method)
    {
        // Take the first queued entry that applies to this method, keeping the others in order. Locked: concurrent
        // requests must not see the queue half-drained (one would get a default 200 while the other holds the script).
        lock (_script)
        {
            var pending = new List<(string? Method, ScriptedResponse Response)>();
            ScriptedResponse? found = null;
            while (_script.TryDequeue(out var entry))
            {
                if (found is null && (entry.Method is null || string.Equals(entry.Method, method, StringComparison.OrdinalIgnoreCase)))
                {
                    found = entry.Response;
                }
                else
                {
                    pending.Add(entry);
                }
            }

            foreach (var entry in pending)
            {
                _script.Enqueue(entry);
            }

            return found;
        }
    }

    private ScriptedResponse DefaultResponse(RecordedRequest recorded, HttpRequest request)
    {
        var route = recorded.Route;
        var n = Interlocked.Increment(ref _counter);
        switch (recorded.Method, route.Count)
        {
            case ("POST", 1) when route[0] == "conversations":
                var json = recorded.Json;
                var isGroup = json?["isGroup"]?.GetValue<bool>() == true;
                var id = isGroup
                    ? $"{json?["channelData"]?["channel"]?["id"]};messageid={n}"
                    : $"a:conversation-{n}";
                return Json(201, new JsonObject { ["id"] = id, ["activityId"] = $"activity-{n}" });
            case ("POST", 3) when route[0] == "conversations" && route[2] == "activities":
                return Json(201, new JsonObject { ["id"] = $"activity-{n}" });
            case ("POST", 4) when route[0] == "conversations" && route[2] == "activities":
                return Json(201, new JsonObject { ["id"] = $"activity-{n}" });
            case ("PUT", 4) when route[0] == "conversations" && route[2] == "activities":
                return Json(200, new JsonObject { ["id"] = route[3] });
            case ("DELETE", 4) when route[0] == "conversations" && route[2] == "activities":
                return new ScriptedResponse(200);
            case ("GET", 3) when route[0] == "conversations" && route[2] == "pagedmembers":
                return Members(route[1], request);
            default:
                return Json(404, new JsonObject { ["error"] = new JsonObject { ["code"] = "NotFound", ["message"] = "No such route in the fake connector." } });
        }
    }

    private ScriptedResponse Members(string conversationId, HttpRequest request)
    {
        var all = _members.TryGetValue(conversationId, out var list) ? list : [];
        var pageSize = int.TryParse(request.Query["pageSize"], out var size) ? Math.Clamp(size, 1, 500) : 50;
        var start = int.TryParse(request.Query["continuationToken"], out var token) ? token : 0;
        var page = all.Skip(start).Take(pageSize).Select(m => (JsonNode?)m.DeepClone()).ToArray();
        var next = start + pageSize < all.Count ? (start + pageSize).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return Json(200, new JsonObject { ["continuationToken"] = next, ["members"] = new JsonArray(page) });
    }

    private static ScriptedResponse Json(int status, JsonObject body) => new(status, body.ToJsonString());
}
