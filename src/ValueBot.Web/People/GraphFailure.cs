namespace ValueBot.Web.People;

/// <summary>Why a Graph call failed, as far as the response tells.</summary>
/// <param name="StatusCode">HTTP status, or null when no response arrived (network error, timeout).</param>
/// <param name="ErrorCode">Graph's <c>error.code</c>, if any.</param>
/// <param name="Message">What went wrong.</param>
/// <param name="RetryAfter">Graph's Retry-After, if it sent one.</param>
public sealed record GraphFailure(int? StatusCode, string? ErrorCode, string Message, TimeSpan? RetryAfter = null)
{
    public override string ToString() => StatusCode is { } status ? $"{status} {ErrorCode}: {Message}" : Message;
}
