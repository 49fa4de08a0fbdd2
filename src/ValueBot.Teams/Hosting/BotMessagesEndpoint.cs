using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ValueBot.Teams.Auth;
using ValueBot.Teams.Connector;
using ValueBot.Teams.Routing;
using ValueBot.Teams.Schema;

namespace ValueBot.Teams.Hosting;

/// <summary>
/// The messaging endpoint (PROTOCOL.md §1.6, §4): POST only (405 otherwise); 413 over the body limit;
/// 401 without detail for any authentication failure; 400 for a body that is not an activity, or one whose shape
/// <see cref="ActivityShape"/> refuses (nothing stored, nothing sent); then the
/// <see cref="BotRouter"/> decides (200 empty, 501 for an unhandled invoke, or an invoke response body).
/// </summary>
public static partial class BotMessagesEndpoint
{
    /// <summary>Maps the bot's messaging endpoint, usually at <c>/api/messages</c>.</summary>
    public static IEndpointConventionBuilder MapBotMessages(this IEndpointRouteBuilder endpoints, string pattern = "/api/messages")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.Map(pattern, HandleAsync).WithDisplayName("Teams bot messages");
    }

    private static async Task HandleAsync(HttpContext http)
    {
        var services = http.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BotMessagesEndpoint).FullName!);
        var options = services.GetRequiredService<IOptions<BotOptions>>().Value;
        var ct = http.RequestAborted;

        if (!HttpMethods.IsPost(http.Request.Method))
        {
            http.Response.Headers.Allow = "POST";
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        // Cheap refusal before reading anything: no header is only acceptable from loopback in local mode.
        string? authorization = http.Request.Headers.Authorization;
        var anonymousLocal = string.IsNullOrEmpty(authorization) && options.LocalMode && IsLoopback(http.Connection.RemoteIpAddress);
        if (string.IsNullOrEmpty(authorization) && !anonymousLocal)
        {
            Log.Unauthorized(logger, "no Authorization header");
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var body = await ReadBodyAsync(http.Request, options.MaxRequestBodyBytes, ct).ConfigureAwait(false);
        if (body is null)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        Activity? activity;
        try
        {
            activity = JsonSerializer.Deserialize(body, TeamsJsonContext.Default.Activity);
        }
        catch (JsonException e)
        {
            Log.MalformedBody(logger, e.Message);
            activity = null;
        }

        if (activity is null || string.IsNullOrEmpty(activity.Type))
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        BotCaller caller;
        if (anonymousLocal)
        {
            caller = BotCaller.LocalAnonymous;
        }
        else
        {
            var outcome = await services.GetRequiredService<BotTokenValidator>().ValidateAsync(authorization, activity, ct).ConfigureAwait(false);
            if (!outcome.Succeeded)
            {
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            caller = outcome.Caller!;
        }

        if (ActivityShape.FindProblem(body, activity, services.GetRequiredService<ServiceUrlPolicy>()) is { } problem)
        {
            Log.MalformedBody(logger, problem);
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not an activity this bot can handle", detail: problem)
                .ExecuteAsync(http).ConfigureAwait(false);
            return;
        }

        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["ActivityId"] = activity.Id,
            ["ConversationId"] = activity.Conversation?.Id,
            ["ActivityType"] = activity.Type,
        });
        Log.Received(logger, activity.Type, activity.Name, caller.Kind);
        using var span = BotTelemetry.Source.StartActivity(BotTelemetry.TurnSpanName, System.Diagnostics.ActivityKind.Internal);
        span?.SetTag("bot.activity.type", activity.Type);
        span?.SetTag("bot.activity.name", activity.Name);
        span?.SetTag("bot.activity.id", activity.Id);
        span?.SetTag("bot.conversation.id", activity.Conversation?.Id);

        var turn = new TurnContext(activity, caller, services, services.GetRequiredService<IConnectorClient>(), options.LocalMode);
        var response = await services.GetRequiredService<BotRouter>().RouteAsync(turn, ct).ConfigureAwait(false);
        span?.SetTag("http.response.status_code", response.StatusCode);
        http.Response.StatusCode = response.StatusCode;
        if (response.Body is not null)
        {
            http.Response.ContentType = "application/json; charset=utf-8";
            await JsonSerializer.SerializeAsync(http.Response.Body, response.Body, TeamsJsonContext.Default.AdaptiveCardInvokeResponse, ct)
                .ConfigureAwait(false);
        }
    }

    private static bool IsLoopback(IPAddress? address) => address is not null && IPAddress.IsLoopback(address);

    /// <summary>The body, or null when it is larger than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Request to the bot endpoint refused: {Reason}")]
        public static partial void Unauthorized(ILogger logger, string reason);

        [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Request body is not an activity: {Reason}")]
        public static partial void MalformedBody(ILogger logger, string reason);

        [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Activity {Type} ({Name}) from a {CallerKind} caller")]
        public static partial void Received(ILogger logger, string? type, string? name, CallerKind callerKind);
    }
}
