using System.Text.Json;
using ValueBot.Teams.Cards;
using ValueBot.Teams.Schema;

namespace ValueBot.Teams.Routing;

/// <summary>
/// What a card action handler wants shown. On the invoke path it becomes the Universal Actions response body;
/// on the Submit path it is applied through the Connector (card → update the card message, message → send text).
/// </summary>
public sealed class CardActionResult
{
    private CardActionResult(AdaptiveCard? card, string? message, int statusCode, string? errorCode)
    {
        NewCard = card;
        Text = message;
        StatusCode = statusCode;
        ErrorCode = errorCode;
    }

    /// <summary>The replacement card, for <see cref="Card"/> results.</summary>
    public AdaptiveCard? NewCard { get; }

    /// <summary>The message text (for message and error results).</summary>
    public string? Text { get; }

    /// <summary>200 for card and message results; the error status otherwise.</summary>
    public int StatusCode { get; }

    /// <summary>The error code, for error results.</summary>
    public string? ErrorCode { get; }

    /// <summary>True for an error result.</summary>
    public bool IsError => ErrorCode is not null;

    /// <summary>Replace the card.</summary>
    public static CardActionResult Card(AdaptiveCard card) => new(card ?? throw new ArgumentNullException(nameof(card)), null, 200, null);

    /// <summary>Show a short message.</summary>
    public static CardActionResult Message(string message) => new(null, message, 200, null);

    /// <summary>Report an error (for example 400 for invalid input).</summary>
    public static CardActionResult Error(int statusCode, string code, string message) => new(null, message, statusCode, code);

    /// <summary>The Universal Actions response body for this result.</summary>
    public AdaptiveCardInvokeResponse ToInvokeResponse()
    {
        if (IsError)
        {
            return AdaptiveCardInvokeResponse.CreateError(StatusCode, ErrorCode!, Text ?? "");
        }

        if (NewCard is not null)
        {
            return new AdaptiveCardInvokeResponse { StatusCode = 200, Type = AdaptiveCardInvokeResponse.CardType, Value = NewCard.ToJsonElement() };
        }

        return new AdaptiveCardInvokeResponse
        {
            StatusCode = 200,
            Type = AdaptiveCardInvokeResponse.MessageType,
            Value = JsonSerializer.SerializeToElement(Text ?? "", TeamsJsonContext.Default.String),
        };
    }
}
