using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using ValueBot.Teams.Schema;

namespace ValueBot.Teams.Connector;

/// <summary>
/// <see cref="IConnectorClient"/> over a typed <see cref="HttpClient"/> whose pipeline includes
/// <see cref="ConnectorAuthenticationHandler"/>. Paths are joined to the serviceUrl with exactly one '/',
/// every path segment is escaped, and no call is retried here.
/// </summary>
public sealed partial class ConnectorClient : IConnectorClient
{
    /// <summary>The <see cref="ConnectorResult{T}.ErrorCode"/> when no outbound token came in time: nothing was sent.</summary>
    public const string TokenUnavailable = "TokenUnavailable";

    private const int MaxErrorBodyChars = 500;
    private readonly HttpClient _http;
    private readonly ServiceUrlPolicy _policy;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <param name="http">The client; its handler chain must add the bearer token.</param>
    /// <param name="policy">Which service URLs may be called.</param>
    /// <param name="time">Clock used to turn a <c>Retry-After</c> date into a delay.</param>
    /// <param name="logger">Logger.</param>
    public ConnectorClient(HttpClient http, ServiceUrlPolicy policy, TimeProvider time, ILogger<ConnectorClient> logger)
    {
        _http = http;
        _policy = policy;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    public Task<ConnectorResult<ResourceResponse>> SendAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken = default) =>
        CallAsync(HttpMethod.Post, serviceUrl, $"v3/conversations/{Esc(conversationId)}/activities",
            Body(activity, TeamsJsonContext.Default.Activity), TeamsJsonContext.Default.ResourceResponse, cancellationToken);

    /// <inheritdoc />
    public Task<ConnectorResult<ResourceResponse>> ReplyAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activity);
        activity.ReplyToId ??= activityId;
        return CallAsync(HttpMethod.Post, serviceUrl, $"v3/conversations/{Esc(conversationId)}/activities/{Esc(activityId)}",
            Body(activity, TeamsJsonContext.Default.Activity), TeamsJsonContext.Default.ResourceResponse, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ConnectorResult<ResourceResponse>> UpdateAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activity);
        activity.Id ??= activityId;
        return CallAsync(HttpMethod.Put, serviceUrl, $"v3/conversations/{Esc(conversationId)}/activities/{Esc(activityId)}",
            Body(activity, TeamsJsonContext.Default.Activity), TeamsJsonContext.Default.ResourceResponse, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ConnectorResult<ConversationResourceResponse>> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken = default) =>
        CallAsync(HttpMethod.Post, serviceUrl, "v3/conversations",
            Body(parameters, TeamsJsonContext.Default.ConversationParameters), TeamsJsonContext.Default.ConversationResourceResponse, cancellationToken);

    /// <inheritdoc />
    public Task<ConnectorResult<ConversationResourceResponse>> CreatePersonalConversationAsync(string serviceUrl, string tenantId, string botId, string userId, CancellationToken cancellationToken = default) =>
        CreateConversationAsync(serviceUrl, new ConversationParameters
        {
            IsGroup = false,
            Bot = new ChannelAccount { Id = botId },
            Members = [new ChannelAccount { Id = userId }],
            TenantId = tenantId,
            ChannelData = new TeamsChannelData { Tenant = new TenantInfo { Id = tenantId } },
        }, cancellationToken);

    /// <inheritdoc />
    public Task<ConnectorResult<ConversationResourceResponse>> StartChannelThreadAsync(string serviceUrl, string tenantId, string channelId, Activity activity, CancellationToken cancellationToken = default) =>
        CreateConversationAsync(serviceUrl, new ConversationParameters
        {
            IsGroup = true,
            TenantId = tenantId,
            Activity = activity,
            ChannelData = new TeamsChannelData
            {
                Channel = new ChannelInfo { Id = channelId },
                Tenant = new TenantInfo { Id = tenantId },
            },
        }, cancellationToken);

    /// <inheritdoc />
    public Task<ConnectorResult<PagedMembersResult>> GetPagedMembersAsync(string serviceUrl, string conversationId, int? pageSize = null, string? continuationToken = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (pageSize is { } size)
        {
            query.Add("pageSize=" + size.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (!string.IsNullOrEmpty(continuationToken))
        {
            query.Add("continuationToken=" + Esc(continuationToken));
        }

        var path = $"v3/conversations/{Esc(conversationId)}/pagedmembers" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        return CallAsync(HttpMethod.Get, serviceUrl, path, null, TeamsJsonContext.Default.PagedMembersResult, cancellationToken);
    }

    /// <summary>Joins a serviceUrl and a relative path with exactly one '/'.</summary>
    public static string Join(string serviceUrl, string relativePath) =>
        serviceUrl.TrimEnd('/') + "/" + relativePath.TrimStart('/');

    private static string Esc(string segment)
    {
        ArgumentException.ThrowIfNullOrEmpty(segment);
        return Uri.EscapeDataString(segment);
    }

    private static StringContent Body<TBody>(TBody value, JsonTypeInfo<TBody> typeInfo) =>
        new(JsonSerializer.Serialize(value, typeInfo), Encoding.UTF8, "application/json");

    private async Task<ConnectorResult<T>> CallAsync<T>(HttpMethod method, string serviceUrl, string path, HttpContent? content, JsonTypeInfo<T> responseType, CancellationToken ct)
    {
        using (content)
        {
            if (!_policy.IsTrusted(serviceUrl))
            {
                Log.UntrustedServiceUrl(_logger, serviceUrl);
                return new ConnectorResult<T>
                {
                    Status = ConnectorStatus.Failed,
                    ErrorCode = "UntrustedServiceUrl",
                    ErrorMessage = $"The serviceUrl '{serviceUrl}' is not on the trusted list (Bot:TrustedServiceUrls); nothing was sent.",
                };
            }

            var uri = new Uri(Join(serviceUrl, path), UriKind.Absolute);
            using var request = new HttpRequestMessage(method, uri) { Content = content };
            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                var result = ToResult(response, body, responseType);
                Log.Called(_logger, method.Method, uri.AbsolutePath, (int)response.StatusCode, result.CorrelationId);
                return result;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (ConnectorTokenUnavailableException e)
            {
                // Before anything was written: not sent, and safe to send again.
                Log.CallFailed(_logger, method.Method, uri.AbsolutePath, e);
                return new ConnectorResult<T> { Status = ConnectorStatus.Transient, ErrorCode = TokenUnavailable, ErrorMessage = e.Message, MayHaveArrived = false };
            }
            catch (OperationCanceledException e)
            {
                // The request was most likely written: Teams may have acted on it.
                Log.CallFailed(_logger, method.Method, uri.AbsolutePath, e);
                return new ConnectorResult<T> { Status = ConnectorStatus.Transient, ErrorCode = "Timeout", ErrorMessage = "The Connector did not answer in time.", MayHaveArrived = true };
            }
            catch (HttpRequestException e)
            {
                Log.CallFailed(_logger, method.Method, uri.AbsolutePath, e);
                return new ConnectorResult<T>
                {
                    Status = ConnectorStatus.Transient,
                    ErrorCode = NeverWritten(e) ? "ConnectionFailed" : "ConnectionLost",
                    ErrorMessage = e.Message,
                    MayHaveArrived = !NeverWritten(e),
                };
            }
        }
    }

    private ConnectorResult<T> ToResult<T>(HttpResponseMessage response, string body, JsonTypeInfo<T> responseType)
    {
        var correlationId = response.Headers.TryGetValues("X-Correlating-OperationId", out var values) ? values.FirstOrDefault() : null;
        var status = Classify(response.StatusCode);
        if (status == ConnectorStatus.Success)
        {
            T? value = default;
            if (!string.IsNullOrWhiteSpace(body))
            {
                try
                {
                    value = JsonSerializer.Deserialize(body, responseType);
                }
                catch (JsonException e)
                {
                    Log.UnreadableBody(_logger, (int)response.StatusCode, e);
                }
            }

            return new ConnectorResult<T> { Status = status, Value = value, HttpStatus = response.StatusCode, CorrelationId = correlationId };
        }

        var (code, message) = ParseError(body);
        return new ConnectorResult<T>
        {
            Status = status,
            HttpStatus = response.StatusCode,
            CorrelationId = correlationId,
            RetryAfter = RetryAfter(response),
            ErrorCode = code,
            ErrorMessage = message ?? response.ReasonPhrase,
            SubCode = SubCodeOf(message),
            // A gateway or server failure after the request was taken in: Teams may have stored the message.
            MayHaveArrived = (int)response.StatusCode is 500 or 502 or 504,
        };
    }

    /// <summary>
    /// True when the request cannot have reached Teams: the connection was never opened (refused, no route, name or
    /// TLS failure). Anything else (a reset, a response cut off) may have come after the request was written.
    /// </summary>
    private static bool NeverWritten(HttpRequestException e) => e.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError => true,
        HttpRequestError.ConnectionError => e.InnerException is System.Net.Sockets.SocketException
        {
            SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused or System.Net.Sockets.SocketError.HostUnreachable
                or System.Net.Sockets.SocketError.NetworkUnreachable or System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.TimedOut
        },
        _ => false,
    };

    /// <summary>Teams nests <c>{"subCode":…}</c> as JSON text inside its error message.</summary>
    private static string? SubCodeOf(string? message)
    {
        if (message is null || !message.TrimStart().StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(message);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("subCode", out var sub) && sub.ValueKind == JsonValueKind.String
                ? sub.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ConnectorStatus Classify(HttpStatusCode status) => (int)status switch
    {
        >= 200 and < 300 => ConnectorStatus.Success,
        429 => ConnectorStatus.Throttled,
        403 or 404 => ConnectorStatus.RecipientGone,
        413 => ConnectorStatus.TooLarge,
        408 or 412 or >= 500 => ConnectorStatus.Transient,
        _ => ConnectorStatus.Failed,
    };

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - _time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>Reads Bot Framework <c>{error:{code,message}}</c> or Teams <c>{errorCode,message}</c>; anything else is kept as text.</summary>
    internal static (string? Code, string? Message) ParseError(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                {
                    return (Text(error, "code"), Text(error, "message"));
                }

                if (root.TryGetProperty("errorCode", out _) || root.TryGetProperty("message", out _))
                {
                    return (Text(root, "errorCode"), Text(root, "message"));
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through and keep the start of the text.
        }

        return (null, body.Length > MaxErrorBodyChars ? body[..MaxErrorBodyChars] : body);

        static string? Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value)
                ? value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString(),
                    JsonValueKind.Null or JsonValueKind.Undefined => null,
                    _ => value.GetRawText(),
                }
                : null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "Connector {Method} {Path} answered {Status} (operation {CorrelationId})")]
        public static partial void Called(ILogger logger, string method, string path, int status, string? correlationId);

        [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Connector {Method} {Path} failed without a response")]
        public static partial void CallFailed(ILogger logger, string method, string path, Exception exception);

        [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "Refused to call untrusted serviceUrl {ServiceUrl}")]
        public static partial void UntrustedServiceUrl(ILogger logger, string serviceUrl);

        [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "Connector answered {Status} with a body that is not the expected JSON")]
        public static partial void UnreadableBody(ILogger logger, int status, Exception exception);
    }
}
