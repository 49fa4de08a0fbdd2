using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ValueBot.Teams.Schema;

namespace ValueBot.Teams.Cards;

/// <summary>
/// An Adaptive Card 1.5 (the highest version Teams renders, docs/protocol.md §6), built as typed objects and
/// serialized with System.Text.Json. Null members are omitted.
/// </summary>
public sealed class AdaptiveCard
{
    /// <summary>Attachment content type of an Adaptive Card.</summary>
    public const string ContentType = "application/vnd.microsoft.card.adaptive";

    /// <summary>The <c>$schema</c> value the card declares.</summary>
    public const string SchemaUrl = "http://adaptivecards.io/schemas/adaptive-card.json";

    [JsonPropertyName("type")] public string Type => "AdaptiveCard";
    [JsonPropertyName("$schema")] public string? Schema { get; set; } = SchemaUrl;
    [JsonPropertyName("version")] public string? Version { get; set; } = "1.5";
    [JsonPropertyName("refresh")] public CardRefresh? Refresh { get; set; }
    [JsonPropertyName("body")] public List<CardElement>? Body { get; set; }
    [JsonPropertyName("actions")] public List<CardAction>? Actions { get; set; }
    [JsonPropertyName("fallbackText")] public string? FallbackText { get; set; }
    [JsonPropertyName("speak")] public string? Speak { get; set; }
    [JsonPropertyName("lang")] public string? Lang { get; set; }

    /// <summary>
    /// Teams' extension of the card root (full width, mentions). It is not part of the published
    /// 1.5 schema, which forbids unknown root members: schema checks must remove it first.
    /// </summary>
    [JsonPropertyName("msteams")] public TeamsCardProperties? MsTeams { get; set; }

    /// <summary>Adds an element to the body and returns the card (for fluent building).</summary>
    public AdaptiveCard Add(CardElement element)
    {
        (Body ??= []).Add(element);
        return this;
    }

    /// <summary>Adds an action to the card's action bar.</summary>
    public AdaptiveCard AddAction(CardAction action)
    {
        (Actions ??= []).Add(action);
        return this;
    }

    /// <summary>Makes the card use the full width of the Teams message pane.</summary>
    public AdaptiveCard WithFullWidth()
    {
        (MsTeams ??= new TeamsCardProperties()).Width = TeamsCardWidth.Full;
        return this;
    }

    /// <summary>Registers a mention so that Teams resolves its <c>&lt;at&gt;</c> text in the card body.</summary>
    public AdaptiveCard AddMention(Mention mention)
    {
        ArgumentNullException.ThrowIfNull(mention);
        ((MsTeams ??= new TeamsCardProperties()).Entities ??= []).Add(mention.ToEntity());
        return this;
    }

    /// <summary>The card as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, TeamsJsonContext.Default.AdaptiveCard);

    /// <summary>The card as a JSON element (for attachments and invoke responses).</summary>
    public JsonElement ToJsonElement() => JsonSerializer.SerializeToElement(this, TeamsJsonContext.Default.AdaptiveCard);

    /// <summary>
    /// Approximate size Teams counts against its ~100 KB message limit: the payload measured as UTF-16
    /// (docs/protocol.md §6; the docs recommend staying under 80 KB).
    /// </summary>
    public int SizeInBytes() => Encoding.Unicode.GetByteCount(ToJson());

    /// <summary>The card wrapped as a message attachment.</summary>
    public Attachment ToAttachment() => new() { ContentType = ContentType, Content = ToJsonElement() };
}

/// <summary>The <c>msteams</c> object at the card root.</summary>
public sealed class TeamsCardProperties
{
    [JsonPropertyName("width")] public string? Width { get; set; }
    [JsonPropertyName("entities")] public List<Entity>? Entities { get; set; }
}

/// <summary>Card-level refresh (Universal Actions, docs/protocol.md §4.5).</summary>
public sealed class CardRefresh
{
    [JsonPropertyName("action")] public ExecuteAction? Action { get; set; }
    [JsonPropertyName("userIds")] public List<string>? UserIds { get; set; }
}

/// <summary>
/// A person mentioned in a card or message: <see cref="Text"/> goes into a TextBlock or fact,
/// <see cref="ToEntity"/> into <c>msteams.entities</c> (or the activity's entities).
/// </summary>
/// <param name="Id">The user's 29: id, Entra object id or UPN.</param>
/// <param name="Name">The display name shown in the mention.</param>
public sealed record Mention(string Id, string Name)
{
    /// <summary>
    /// The text that must appear in the card or message: <c>&lt;at&gt;Name&lt;/at&gt;</c>, the name escaped
    /// (<see cref="CardText.Escape"/>) so that it can neither close the tag nor carry Markdown.
    /// </summary>
    public string Text => $"<at>{CardText.Escape(Name)}</at>";

    /// <summary>The mention entity: its text is <see cref="Text"/>, so Teams finds it in the card.</summary>
    public Entity ToEntity()
    {
        var entity = Entity.CreateMention(Id, CardText.Clean(Name));
        entity.Text = Text;
        return entity;
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
