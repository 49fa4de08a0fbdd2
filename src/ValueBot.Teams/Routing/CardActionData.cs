using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
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
