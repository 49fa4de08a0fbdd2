using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ValueBot.Web.Tests.Support;

/// <summary>
/// Reads an Adaptive Card as a client sees it: its inputs with their values and choices, the texts and facts shown, and
/// its actions with their data. An assertion then names the field it means (<c>card.Input("tasks").Value</c>,
/// <c>card.Fact("Net value")</c>) instead of looking for a substring anywhere in the JSON. <see cref="Submit"/> is what
/// a client sends on a click: the action's data with every input's value merged in (an input without a value sends an
/// empty string, as Teams does).
/// </summary>
public sealed class CardReader
{
    public const string ContentType = "application/vnd.microsoft.card.adaptive";

    private readonly JsonNode _card;

    public CardReader(JsonNode card) => _card = card;

    /// <summary>The card JSON itself (to draw it with <see cref="CardRenderer"/>).</summary>
    public JsonNode Card => _card;

    /// <summary>The card of a message the bot sent (the first Adaptive Card attachment of an activity).</summary>
    public static CardReader FromActivity(string activityJson) =>
        new((JsonNode.Parse(activityJson)!["attachments"]?.AsArray()
            .FirstOrDefault(a => a!["contentType"]!.GetValue<string>() == ContentType)
            ?? throw new InvalidOperationException($"The activity carries no Adaptive Card: {activityJson}"))["content"]!);

    /// <summary>The input with <paramref name="id"/>; fails, naming the inputs there are, when the card has none.</summary>
    public CardInput Input(string id) =>
        InputNodes().FirstOrDefault(n => n["id"]!.GetValue<string>() == id) is { } node
            ? ReadInput(node)
            : throw new InvalidOperationException($"The card has no input '{id}'; it has: {string.Join(", ", Inputs().Keys)}");

    public bool HasInput(string id) => InputNodes().Any(n => n["id"]!.GetValue<string>() == id);

    /// <summary>Every input id with its value as text ("" when it has none).</summary>
    public Dictionary<string, string> Inputs() =>
        InputNodes().Select(ReadInput).ToDictionary(i => i.Id, i => i.Value, StringComparer.Ordinal);

    /// <summary>The texts shown, in order: text blocks, and each rich text block as the text of its runs.</summary>
    public IReadOnlyList<string> Texts() =>
        Objects().Select(n => Type(n) switch
            {
                "TextBlock" => n["text"]?.GetValue<string>(),
                "RichTextBlock" => string.Concat(n["inlines"]!.AsArray().Select(r => r is JsonValue v ? v.GetValue<string>() : r!["text"]?.GetValue<string>())),
                _ => null,
            })
            .OfType<string>()
            .ToList();

    /// <summary>The first text of the card: its heading.</summary>
    public string Heading => Texts().FirstOrDefault() ?? throw new InvalidOperationException($"The card shows no text: {_card.ToJsonString()}");

    /// <summary>The one text that contains <paramref name="fragment"/>; fails, listing the texts, when none does.</summary>
    public string TextWith(string fragment) =>
        Texts().FirstOrDefault(t => t.Contains(fragment, StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"No text on the card contains \"{fragment}\". Its texts:\n{string.Join("\n", Texts())}");

    /// <summary>Every fact of every fact set, in order, as title and value.</summary>
    public IReadOnlyList<(string Title, string Value)> Facts() =>
        Objects().Where(n => Type(n) == "FactSet")
            .SelectMany(n => n["facts"]!.AsArray())
            .Select(f => (f!["title"]?.GetValue<string>() ?? "", f["value"]?.GetValue<string>() ?? ""))
            .ToList();

    /// <summary>The value of the first fact titled <paramref name="title"/>; fails, listing the facts, when there is none.</summary>
    public string Fact(string title) =>
        Facts().Where(f => f.Title == title).Select(f => f.Value).FirstOrDefault()
        ?? throw new Xunit.Sdk.XunitException($"The card has no fact '{title}'; it has: {string.Join(", ", Facts().Select(f => f.Title))}");

    /// <summary>Every action (of the card, of action sets, of cards behind Action.ShowCard), in order.</summary>
    public IReadOnlyList<CardActionView> Actions() =>
        Objects().Where(n => Type(n) is { } type && type.StartsWith("Action.", StringComparison.Ordinal))
            .Select(n => new CardActionView(Type(n)!, n["title"]?.GetValue<string>(), n["verb"]?.GetValue<string>(),
                n["data"] as JsonObject, n["url"]?.GetValue<string>()))
            .ToList();

    /// <summary>The titles of the actions, in order.</summary>
    public IReadOnlyList<string> ActionTitles() => Actions().Select(a => a.Title ?? "").ToList();

    public bool HasAction(string verb) => Execute(verb) is not null;

    /// <summary>The Action.Execute with <paramref name="verb"/>.</summary>
    public CardActionView Action(string verb) =>
        Actions().FirstOrDefault(a => a.Type == "Action.Execute" && a.Verb == verb)
        ?? throw new InvalidOperationException($"The card has no {verb} action: {_card.ToJsonString()}");

    /// <summary>The hidden data of the Action.Execute with <paramref name="verb"/>.</summary>
    public JsonObject Data(string verb) =>
        (Execute(verb) ?? throw new InvalidOperationException($"The card has no {verb} action: {_card.ToJsonString()}"))["data"]!.DeepClone().AsObject();

    /// <summary>The element with <paramref name="id"/> (any element, input or action).</summary>
    public JsonObject Element(string id) =>
        Objects().FirstOrDefault(n => n["type"] is not null && n["id"] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == id)
        ?? throw new InvalidOperationException($"The card has no element '{id}'");

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

    /// <summary>The click on the Action.Execute with <paramref name="verb"/> titled <paramref name="title"/> (one of several with that verb).</summary>
    public JsonObject Submit(string verb, string title)
    {
        var action = Objects().FirstOrDefault(n => Type(n) == "Action.Execute" && n["verb"]?.GetValue<string>() == verb && n["title"]?.GetValue<string>() == title)
            ?? throw new InvalidOperationException($"The card has no {verb} action titled '{title}': {_card.ToJsonString()}");
        var data = action["data"]!.DeepClone().AsObject();
        foreach (var (key, value) in Inputs())
        {
            data[key] = value;
        }

        return data;
    }

    private JsonObject? Execute(string verb) =>
        Objects().FirstOrDefault(n => Type(n) == "Action.Execute" && n["verb"]?.GetValue<string>() == verb);

    private IEnumerable<JsonObject> InputNodes() =>
        Objects().Where(n => Type(n) is { } type && type.StartsWith("Input.", StringComparison.Ordinal) && n["id"] is JsonValue);

    private static CardInput ReadInput(JsonObject node) => new(
        node["id"]!.GetValue<string>(),
        Type(node)!,
        node["value"] switch
        {
            null => "",
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<decimal>().ToString(CultureInfo.InvariantCulture),
            JsonValue v => v.GetValue<string>(),
            var other => other.ToJsonString(),
        },
        node["label"]?.GetValue<string>(),
        node["isRequired"]?.GetValue<bool>() ?? false,
        node["errorMessage"]?.GetValue<string>(),
        node["choices"]?.AsArray().Select(c => new CardChoice(c!["title"]?.GetValue<string>() ?? "", c["value"]?.GetValue<string>() ?? "")).ToList() ?? []);

    private static string? Type(JsonObject node) =>
        node["type"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private IEnumerable<JsonObject> Objects() => Walk(_card).OfType<JsonObject>();

    private static IEnumerable<JsonNode> Walk(JsonNode node)
    {
        yield return node;
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject o => o.Where(p => p.Key != "data").Select(p => p.Value), // an action's data is not part of what is shown
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

/// <summary>One input of a card as a client shows it: its value as text ("" when it has none) and, for a choice set, its choices.</summary>
public sealed record CardInput(string Id, string Type, string Value, string? Label, bool IsRequired, string? ErrorMessage, IReadOnlyList<CardChoice> Choices)
{
    /// <summary>The value as a number (a number input's value, or a text that is one).</summary>
    public decimal Number => decimal.Parse(Value, NumberStyles.Number, CultureInfo.InvariantCulture);
}

/// <summary>One choice of a choice set: what is shown and what is sent.</summary>
public sealed record CardChoice(string Title, string Value);

/// <summary>One action of a card: its type, title, verb (Action.Execute), data and url (Action.OpenUrl).</summary>
public sealed record CardActionView(string Type, string? Title, string? Verb, JsonObject? Data, string? Url);
