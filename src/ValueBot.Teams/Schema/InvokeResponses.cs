using System.Text.Json;
using System.Text.Json.Serialization;

namespace ValueBot.Teams.Schema;

/// <summary>
/// The body of the HTTP 200 answer to an <c>adaptiveCard/action</c> invoke (docs/protocol.md §4.5):
/// <c>{statusCode, type, value}</c>.
/// </summary>
public sealed class AdaptiveCardInvokeResponse
{
    /// <summary>Type of a response that replaces the card.</summary>
    public const string CardType = "application/vnd.microsoft.card.adaptive";

    /// <summary>Type of a response that shows a message.</summary>
    public const string MessageType = "application/vnd.microsoft.activity.message";

    /// <summary>Type of an error response.</summary>
    public const string ErrorType = "application/vnd.microsoft.error";

    [JsonPropertyName("statusCode")] public int StatusCode { get; set; } = 200;
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("value")] public JsonElement? Value { get; set; }

    /// <summary>An error response with <c>value = {code, message}</c>.</summary>
    public static AdaptiveCardInvokeResponse CreateError(int statusCode, string code, string message) => new()
    {
        StatusCode = statusCode,
        Type = ErrorType,
        Value = JsonSerializer.SerializeToElement(new InvokeError { Code = code, Message = message }, TeamsJsonContext.Default.InvokeError),
    };
}

/// <summary>The <c>{code, message}</c> value of an error invoke response.</summary>
public sealed class InvokeError
{
    [JsonPropertyName("code")] public string? Code { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
}
