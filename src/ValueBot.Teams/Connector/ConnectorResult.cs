using System.Net;

namespace ValueBot.Teams.Connector;

/// <summary>How a Connector call ended, as the delivery layer needs to know it.</summary>
public enum ConnectorStatus
{
    /// <summary>2xx.</summary>
    Success,

    /// <summary>429: wait <see cref="ConnectorResult{T}.RetryAfter"/> (when given) before trying again.</summary>
    Throttled,

    /// <summary>403 or 404: the bot was removed, blocked, or the conversation no longer exists.</summary>
    RecipientGone,

    /// <summary>413: the message is too big (MessageSizeTooBig).</summary>
    TooLarge,

    /// <summary>
    /// 5xx, 408, 412, timeout or network failure: worth retrying later — but a new post is repeated only when
    /// <see cref="ConnectorResult{T}.MayHaveArrived"/> is false.
    /// </summary>
    Transient,

    /// <summary>Any other failure, including a refused (untrusted) serviceUrl: do not retry.</summary>
    Failed,
}

/// <summary>
/// The result of one Connector call. HTTP failures are values, not exceptions; the host's delivery layer
/// decides about retries.
/// </summary>
/// <typeparam name="T">The response body type on success.</typeparam>
public sealed record ConnectorResult<T>
{
    /// <summary>The outcome class.</summary>
    public required ConnectorStatus Status { get; init; }

    /// <summary>The parsed response body on success (null when the body was empty).</summary>
    public T? Value { get; init; }

    /// <summary>The HTTP status, or null when no response was received.</summary>
    public HttpStatusCode? HttpStatus { get; init; }

    /// <summary>From the <c>Retry-After</c> header (seconds or an HTTP date).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The <c>X-Correlating-OperationId</c> header, for support cases.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>The error code from the body (<c>error.code</c> or Teams' <c>errorCode</c>), if any.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>A human-readable error message; never contains the token.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>Teams' <c>subCode</c> inside the error message (e.g. <c>MessageWritesBlocked</c>), if any.</summary>
    public string? SubCode { get; init; }

    /// <summary>
    /// The request may have reached Teams and been acted on although no success came back: 500, 502 and 504, a
    /// timeout, or a connection lost after the request was written. False when it clearly was not acted on (429, 503,
    /// 408, 412, a connection that could not be opened) or succeeded.
    /// </summary>
    public bool MayHaveArrived { get; init; }

    /// <summary>
    /// Not sent during the turn but queued in the host's outbox, which sends it later (<see cref="IUnsentMessages"/>).
    /// </summary>
    public bool Queued { get; init; }

    /// <summary>
    /// Teams said it will not take messages for this conversation at all (<see cref="StopSendingCodes"/>): the bot was
    /// disabled by an admin, blocked by the user, is no longer in the roster, or writes are blocked.
    /// </summary>
    public bool StopsSending => !IsSuccess && (IsStopCode(ErrorCode) || IsStopCode(SubCode));

    /// <summary>The code that stops sending, if any (<see cref="SubCode"/> first, it is the more specific).</summary>
    public string? StopCode => IsStopCode(SubCode) ? SubCode : IsStopCode(ErrorCode) ? ErrorCode : null;

    /// <summary>Teams' codes that mean "do not try this conversation again".</summary>
    public static readonly IReadOnlySet<string> StopSendingCodes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "BotDisabledByAdmin", "ConversationBlockedByUser", "BotNotInConversationRoster", "MessageWritesBlocked",
    };

    private static bool IsStopCode(string? code) => code is not null && StopSendingCodes.Contains(code);

    /// <summary>True for <see cref="ConnectorStatus.Success"/>.</summary>
    public bool IsSuccess => Status == ConnectorStatus.Success;

    /// <inheritdoc />
    public override string ToString() =>
        IsSuccess ? $"Success ({(int?)HttpStatus})" : $"{Status} ({(int?)HttpStatus}) {StopCode ?? ErrorCode} {ErrorMessage}".TrimEnd();
}
