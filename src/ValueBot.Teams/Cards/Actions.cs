using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ValueBot.Teams.Cards;

/// <summary>Base of every card action; the JSON <c>type</c> names the concrete action.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ExecuteAction), "Action.Execute")]
[JsonDerivedType(typeof(SubmitAction), "Action.Submit")]
[JsonDerivedType(typeof(OpenUrlAction), "Action.OpenUrl")]
[JsonDerivedType(typeof(ShowCardAction), "Action.ShowCard")]
[JsonDerivedType(typeof(ToggleVisibilityAction), "Action.ToggleVisibility")]
public abstract class CardAction
{
    [JsonPropertyName("title")] public string? Title { get; set; }
    [JsonPropertyName("id")] public string? Id { get; set; }

    /// <summary><c>default</c>, <c>positive</c> or <c>destructive</c> (Teams ignores the last two).</summary>
    [JsonPropertyName("style")] public string? Style { get; set; }
    [JsonPropertyName("iconUrl")] public string? IconUrl { get; set; }

    /// <summary><c>primary</c> or <c>secondary</c> (overflow menu).</summary>
    [JsonPropertyName("mode")] public string? Mode { get; set; }
    [JsonPropertyName("tooltip")] public string? Tooltip { get; set; }
    [JsonPropertyName("isEnabled")] public bool? IsEnabled { get; set; }

    /// <summary>The action a client that cannot run this one shows instead.</summary>
    [JsonPropertyName("fallback")] public CardAction? Fallback { get; set; }
}

/// <summary>
/// Universal Action: Teams sends an <c>adaptiveCard/action</c> invoke carrying <see cref="Verb"/> and the data.
/// The serialized <c>data</c> always carries <c>"verb"</c> too, so that the <see cref="SubmitAction"/> fallback
/// (a message whose value contains the verb) reaches the same handler.
/// </summary>
public sealed class ExecuteAction : CardAction
{
    /// <summary>Key under which the verb is repeated in <c>data</c>.</summary>
    public const string VerbKey = "verb";

    public ExecuteAction() { }

    public ExecuteAction(string title, string verb, JsonObject? data = null)
    {
        Title = title;
        Verb = verb;
        Data = data;
    }

    [JsonPropertyName("verb")] public string? Verb { get; set; }

    /// <summary>The hidden data merged with the inputs; <see cref="SerializedData"/> adds the verb.</summary>
    [JsonIgnore] public JsonObject? Data { get; set; }

    /// <summary>What is written as <c>data</c>: <see cref="Data"/> plus <c>"verb"</c>.</summary>
    [JsonPropertyName("data")]
    public JsonObject? SerializedData
    {
        get
        {
            var data = Data?.DeepClone().AsObject() ?? [];
            if (Verb is not null)
            {
                data[VerbKey] = Verb;
            }

            return data.Count == 0 ? null : data;
        }
    }

    /// <summary><c>auto</c> or <c>none</c>.</summary>
    [JsonPropertyName("associatedInputs")] public string? AssociatedInputs { get; set; }

    /// <summary>
    /// Sets an <c>Action.Submit</c> fallback carrying the same title and data (including the verb). Teams docs
    /// write this as <c>"fallback": "Action.Submit"</c>, which the published schema rejects; an action object is
    /// the schema-valid form.
    /// </summary>
    public ExecuteAction WithSubmitFallback()
    {
        Fallback = new SubmitAction { Title = Title, Data = SerializedData, AssociatedInputs = AssociatedInputs };
        return this;
    }
}

/// <summary>Classic submit: arrives as a message activity whose <c>value</c> holds the data and inputs.</summary>
public sealed class SubmitAction : CardAction
{
    [JsonPropertyName("data")] public JsonObject? Data { get; set; }
    [JsonPropertyName("associatedInputs")] public string? AssociatedInputs { get; set; }
}

/// <summary>Opens a URL.</summary>
public sealed class OpenUrlAction : CardAction
{
    public OpenUrlAction() { }

    public OpenUrlAction(string title, string url)
    {
        Title = title;
        Url = url;
    }

    [JsonPropertyName("url")] public string? Url { get; set; }
}

/// <summary>Reveals a nested card.</summary>
public sealed class ShowCardAction : CardAction
{
    [JsonPropertyName("card")] public AdaptiveCard? Card { get; set; }
}

/// <summary>
/// Shows or hides elements of the card on the client, without a round trip to the bot (Adaptive Cards 1.2; Teams
/// desktop, web and mobile). Each target is an element id; its visibility flips on every click.
/// </summary>
public sealed class ToggleVisibilityAction : CardAction
{
    public ToggleVisibilityAction() { }

    public ToggleVisibilityAction(string title, params string[] targetElements)
    {
        Title = title;
        TargetElements = [.. targetElements];
    }

    [JsonPropertyName("targetElements")] public List<string> TargetElements { get; set; } = [];
}
