using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ValueBot.Teams.Cards;
using ValueBot.Teams.Schema;

namespace ValueBot.Teams.Routing;

/// <summary>
/// The verb and data of a card action: for Action.Execute, <c>value.action.data</c> (inputs merged in);
/// for Action.Submit, the message's <c>value</c>. Inputs arrive as strings; the getters parse them.
/// </summary>
public sealed class CardActionData
{
    /// <param name="verb">The verb.</param>
    /// <param name="data">The data with the inputs merged in.</param>
    /// <param name="isInvoke">True for Action.Execute, false for the Submit fallback.</param>
    /// <param name="trigger">For invokes, <c>manual</c> or <c>automatic</c> (refresh).</param>
    public CardActionData(string verb, JsonObject data, bool isInvoke, string? trigger = null)
    {
        Verb = verb;
        Data = data;
        IsInvoke = isInvoke;
        Trigger = trigger;
    }

    /// <summary>The verb.</summary>
    public string Verb { get; }

    /// <summary>The data as a mutable object.</summary>
    public JsonObject Data { get; }

    /// <summary>The data as a JSON element.</summary>
    public JsonElement DataElement => JsonSerializer.SerializeToElement(Data, TeamsJsonContext.Default.JsonObject);

    /// <summary>True for an <c>adaptiveCard/action</c> invoke.</summary>
    public bool IsInvoke { get; }

    /// <summary><c>manual</c> or <c>automatic</c> for invokes; null for Submit.</summary>
    public string? Trigger { get; }

    /// <summary>The value as a string (numbers and booleans are written as JSON text); null when absent.</summary>
    public string? GetString(string name) => Data[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        var node => node.ToJsonString(),
    };

    /// <summary>The value as a decimal (invariant culture), or null when absent or not a number.</summary>
    public decimal? GetDecimal(string name) => Data[name] switch
    {
        JsonValue v when v.TryGetValue<decimal>(out var d) => d,
        JsonValue v when v.TryGetValue<string>(out var s)
            && decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    /// <summary>The value as an integer, or null when absent or not an integer.</summary>
    public int? GetInt32(string name) => GetDecimal(name) is { } d && d == decimal.Truncate(d) && d is >= int.MinValue and <= int.MaxValue ? (int)d : null;

    /// <summary>The value as a boolean (<c>true</c>/<c>false</c>, as Input.Toggle sends by default), or null.</summary>
    public bool? GetBoolean(string name) => Data[name] switch
    {
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<string>(out var s) && bool.TryParse(s, out var parsed) => parsed,
        _ => null,
    };

    /// <summary>The value as a date (<c>yyyy-MM-dd</c>, as Input.Date sends), or null.</summary>
    public DateOnly? GetDate(string name) =>
        GetString(name) is { } s && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    /// <summary>The values of a multi-select ChoiceSet (comma-separated), empty when absent.</summary>
    public IReadOnlyList<string> GetList(string name) =>
        GetString(name)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}

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

/// <summary>A feature module's routes; register it with <c>services.AddBotRoutes&lt;T&gt;()</c>.</summary>
public interface IBotRoutes
{
    /// <summary>Adds the module's commands, verbs and event handlers.</summary>
    void Map(BotRouter router);
}

/// <summary>What the HTTP endpoint answers: a status and, for invokes, a JSON body.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="Body">The invoke response body, or null for an empty body.</param>
public sealed record BotResponse(int StatusCode, AdaptiveCardInvokeResponse? Body = null)
{
    /// <summary>200 with an empty body.</summary>
    public static BotResponse Ok { get; } = new(200);

    /// <summary>501: an invoke nobody handles.</summary>
    public static BotResponse NotImplemented { get; } = new(501);
}
