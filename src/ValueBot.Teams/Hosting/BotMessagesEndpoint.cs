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
/// The messaging endpoint (docs/protocol.md §1.6, §4): POST only (405 otherwise); 413 over the body limit;
/// 401 without detail for any authentication failure (the token is checked by the <see cref="BotAuthenticationSchemes.TeamsPolicy"/>
/// policy before the body is read; channel, serviceurl and tenant after); 400 for a body that is not an activity, or one
/// whose shape <see cref="ActivityShape"/> refuses (nothing stored, nothing sent); then the
/// <see cref="BotRouter"/> decides (200 empty, 501 for an unhandled invoke, or an invoke response body).
/// </summary>
public static partial class BotMessagesEndpoint
{
    /// <summary>Maps the bot's messaging endpoint, usually at <c>/api/messages</c>.</summary>
    public static IEndpointConventionBuilder MapBotMessages(this IEndpointRouteBuilder endpoints, string pattern = "/api/messages")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapMethods(pattern, ["GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"], (HttpContext http) =>
        {
            http.Response.Headers.Allow = "POST";
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        }).WithDisplayName("Teams bot messages (wrong method)");
        return endpoints.MapPost(pattern, HandleAsync).WithDisplayName("Teams bot messages")
            .RequireAuthorization(BotAuthenticationSchemes.TeamsPolicy);
    }

    private static async Task HandleAsync(HttpContext http)
    {
        var services = http.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BotMessagesEndpoint).FullName!);
        var options = services.GetRequiredService<IOptions<BotOptions>>().Value;
        var ct = http.RequestAborted;

        // The token was validated by the authorization policy before anything was read; what is left needs the body.
        var caller = BotCaller.From(http.User);
        if (caller is null && !BotAuthenticationExtensions.IsLocalAnonymous(http))
        {
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

        caller ??= BotCaller.LocalAnonymous;
        if (RefusalOf(caller, activity, options) is { } refusal)
        {
            Log.Unauthorized(logger, refusal.Reason);
            http.Response.StatusCode = refusal.StatusCode;
            return;
        }

        if (services.GetRequiredService<ActivityRateLimiter>().TryAcquire(activity) is { } retryAfter)
        {
            Log.Throttled(logger, activity.Conversation?.Id);
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return;
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

        var turn = new TurnContext(activity, caller, services.GetRequiredService<IConnectorClient>(), options.LocalMode,
            services.GetRequiredService<ConnectorToken>(), options.TokenWaitInTurn, services.GetService<IUnsentMessages>());
        var response = await services.GetRequiredService<BotRouter>().RouteAsync(turn, services, ct).ConfigureAwait(false);
        span?.SetTag("http.response.status_code", response.StatusCode);
        http.Response.StatusCode = response.StatusCode;
        if (response.Body is not null)
        {
            http.Response.ContentType = "application/json; charset=utf-8";
            await JsonSerializer.SerializeAsync(http.Response.Body, response.Body, TeamsJsonContext.Default.AdaptiveCardInvokeResponse, ct)
                .ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The checks that tie the token to the activity it came with (docs/protocol.md §1.2, §1.3): Teams only; the token's
    /// <c>serviceurl</c> is the activity's; on a single-tenant bot the activity comes from the bot's tenant.
    /// </summary>
    private static (int StatusCode, string Reason)? RefusalOf(BotCaller caller, Activity activity, BotOptions options)
    {
        if (caller.Kind == CallerKind.LocalAnonymous)
        {
            return null;
        }

        if (!string.Equals(activity.ChannelId, BotAuthenticationSchemes.TeamsChannelId, StringComparison.Ordinal))
        {
            return (StatusCodes.Status401Unauthorized, $"channelId '{activity.ChannelId}' is not msteams");
        }

        var claim = caller.Identity.FindFirst("serviceurl")?.Value;
        if (claim is null || !string.Equals(claim, activity.ServiceUrl, StringComparison.OrdinalIgnoreCase))
        {
            return (StatusCodes.Status401Unauthorized, "serviceurl claim does not match the activity");
        }

        if (!string.IsNullOrWhiteSpace(options.TenantId))
        {
            foreach (var tenant in new[] { activity.Conversation?.TenantId, activity.ChannelData?.Tenant?.Id })
            {
                if (tenant is not null && !string.Equals(tenant, options.TenantId, StringComparison.OrdinalIgnoreCase))
                {
                    return (StatusCodes.Status403Forbidden, "activity from another tenant");
                }
            }
        }

        return null;
    }

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

        [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Too many activities from conversation {ConversationId} or its sender: 429")]
        public static partial void Throttled(ILogger logger, string? conversationId);

        [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Activity {Type} ({Name}) from a {CallerKind} caller")]
        public static partial void Received(ILogger logger, string? type, string? name, CallerKind callerKind);
    }
}
