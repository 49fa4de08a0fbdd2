using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ValueBot.Testing;

namespace ValueBot.Benchmarks.Delivery;

/// <summary>
/// A loopback Bot Connector that enforces Teams' limits as Teams documents them (docs/protocol.md §5): more than
/// 50 requests in any second for the app, or more than 7 in any second to one conversation, is answered
/// 429 with <c>Retry-After: 1</c>. Counts accepted sends per conversation, to find duplicates and losses.
/// </summary>
internal sealed class EnforcingConnector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly Queue<DateTimeOffset> _global = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _perConversation = new(StringComparer.Ordinal);
    private int _activity;
    private int _throttled;

    private EnforcingConnector(WebApplication app, string baseUrl)
    {
        _app = app;
        ServiceUrl = baseUrl + "/teams/";
    }

    public string ServiceUrl { get; }

    public ConcurrentDictionary<string, int> Accepted { get; } = new(StringComparer.Ordinal);

    public int Throttled => Volatile.Read(ref _throttled);

    public DateTimeOffset? FirstAccepted { get; private set; }

    public DateTimeOffset? LastAccepted { get; private set; }

    public int GlobalLimit { get; init; } = 50;

    public int ConversationLimit { get; init; } = 7;

    public static async Task<EnforcingConnector> StartAsync()
    {
        var builder = LoopbackApp.CreateBuilder("Production");
        var app = builder.Build();
        EnforcingConnector? connector = null;
        app.MapPost("/teams/v3/conversations/{conversationId}/activities", (string conversationId) => connector!.Handle(Uri.UnescapeDataString(conversationId)));
        var baseUrl = await LoopbackApp.StartAsync(app);
        connector = new EnforcingConnector(app, baseUrl);
        return connector;
    }

    private IResult Handle(string conversationId)
    {
        var now = DateTimeOffset.UtcNow;
        lock (_gate)
        {
            Trim(_global, now);
            if (!_perConversation.TryGetValue(conversationId, out var conversation))
            {
                conversation = new Queue<DateTimeOffset>();
                _perConversation[conversationId] = conversation;
            }

            Trim(conversation, now);
            if (_global.Count >= GlobalLimit || conversation.Count >= ConversationLimit)
            {
                _throttled++;
                return new TooManyRequests();
            }

            _global.Enqueue(now);
            conversation.Enqueue(now);
            FirstAccepted ??= now;
            LastAccepted = now;
        }

        Accepted.AddOrUpdate(conversationId, 1, (_, n) => n + 1);
        return TypedResults.Json(new JsonObject { ["id"] = "activity-" + Interlocked.Increment(ref _activity) }, statusCode: 201);
    }

    private static void Trim(Queue<DateTimeOffset> log, DateTimeOffset now)
    {
        while (log.Count > 0 && log.Peek() <= now - TimeSpan.FromSeconds(1))
        {
            log.Dequeue();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class TooManyRequests : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = 429;
            httpContext.Response.Headers.RetryAfter = "1";
            httpContext.Response.ContentType = "application/json";
            await httpContext.Response.WriteAsync("""{"error":{"code":"TooManyRequests","message":"Too many requests"}}""");
        }
    }
}
