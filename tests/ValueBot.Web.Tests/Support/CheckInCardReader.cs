using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ValueBot.Web.Tests.Support;

/// <summary>
/// Reads a check-in card as a client sees it: the inputs with their prefilled values, the texts shown, and the data of
/// an action. <see cref="Submit"/> is what a client sends on a click: the action's data with every input's value merged
/// in (an input without a value sends an empty string, as Teams does).
/// </summary>
public sealed class CheckInCardReader
{
    private readonly JsonNode _card;

    public CheckInCardReader(JsonNode card) => _card = card;

    /// <summary>The card JSON itself (to draw it with <see cref="CardRenderer"/>).</summary>
    public JsonNode Card => _card;

    /// <summary>The card of a message the bot sent (the first Adaptive Card attachment of an activity).</summary>
    public static CheckInCardReader FromActivity(string activityJson) =>
        new(JsonNode.Parse(activityJson)!["attachments"]!.AsArray()
            .First(a => a!["contentType"]!.GetValue<string>() == "application/vnd.microsoft.card.adaptive")!["content"]!);

    /// <summary>Every input id with its value as text ("" when it has none).</summary>
    public Dictionary<string, string> Inputs()
    {
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in Walk(_card).OfType<JsonObject>())
        {
            if (node["type"] is JsonValue type && type.GetValueKind() == JsonValueKind.String
                && type.GetValue<string>().StartsWith("Input.", StringComparison.Ordinal) && node["id"] is JsonValue id)
            {
                inputs[id.GetValue<string>()] = node["value"] switch
                {
                    null => "",
                    JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<decimal>().ToString(CultureInfo.InvariantCulture),
                    JsonValue v => v.GetValue<string>(),
                    var other => other.ToJsonString(),
                };
            }
        }

        return inputs;
    }

    /// <summary>The texts of the card's text blocks, in order.</summary>
    public IReadOnlyList<string> Texts() =>
        Walk(_card).OfType<JsonObject>()
            .Where(n => n["type"]?.GetValue<string>() == "TextBlock")
            .Select(n => n["text"]!.GetValue<string>())
            .ToList();

    public bool HasAction(string verb) => Action(verb) is not null;

    /// <summary>The hidden data of the Action.Execute with <paramref name="verb"/>.</summary>
    public JsonObject Data(string verb) =>
        (Action(verb) ?? throw new InvalidOperationException($"The card has no {verb} action: {_card.ToJsonString()}"))["data"]!.DeepClone().AsObject();

    /// <summary>The click: the action's data with every input merged in, after <paramref name="change"/> edited the inputs.</summary>
    public JsonObject Submit(string verb, Action<Dictionary<string, string>>? change = null)
    {
        var inputs = Inputs();
        change?.Invoke(inputs);
        var data = Data(verb);
        foreach (var (key, value) in inputs)
        {
            data[key] = value;
        }

        return data;
    }

    private JsonObject? Action(string verb) =>
        Walk(_card).OfType<JsonObject>().FirstOrDefault(n => n["type"]?.GetValueKind() == JsonValueKind.String
            && n["type"]!.GetValue<string>() == "Action.Execute" && n["verb"]?.GetValue<string>() == verb);

    private static IEnumerable<JsonNode> Walk(JsonNode node)
    {
        yield return node;
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a,
            _ => [],
        };
        foreach (var child in children)
        {
            if (child is not null)
            {
                foreach (var descendant in Walk(child))
                {
                    yield return descendant;
                }
            }
        }
    }
}
