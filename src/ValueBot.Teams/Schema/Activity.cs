using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using ValueBot.Teams.Cards;

namespace ValueBot.Teams.Schema;

/// <summary>
/// A Bot Framework activity as Teams sends and receives it (docs/protocol.md §4). Unknown fields are kept in
/// <see cref="Properties"/> so that an activity read and written again loses nothing.
/// </summary>
public sealed partial class Activity
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("timestamp")] public DateTimeOffset? Timestamp { get; set; }
    [JsonPropertyName("localTimestamp")] public DateTimeOffset? LocalTimestamp { get; set; }
    [JsonPropertyName("localTimezone")] public string? LocalTimezone { get; set; }
    [JsonPropertyName("serviceUrl")] public string? ServiceUrl { get; set; }
    [JsonPropertyName("channelId")] public string? ChannelId { get; set; }
    [JsonPropertyName("from")] public ChannelAccount? From { get; set; }
    [JsonPropertyName("recipient")] public ChannelAccount? Recipient { get; set; }
    [JsonPropertyName("conversation")] public ConversationAccount? Conversation { get; set; }
    [JsonPropertyName("text")] public string? Text { get; set; }
    [JsonPropertyName("textFormat")] public string? TextFormat { get; set; }
    [JsonPropertyName("locale")] public string? Locale { get; set; }
    [JsonPropertyName("replyToId")] public string? ReplyToId { get; set; }
    [JsonPropertyName("value")] public JsonElement? Value { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("action")] public string? Action { get; set; }
    [JsonPropertyName("membersAdded")] public List<ChannelAccount>? MembersAdded { get; set; }
    [JsonPropertyName("membersRemoved")] public List<ChannelAccount>? MembersRemoved { get; set; }
    [JsonPropertyName("entities")] public List<Entity>? Entities { get; set; }
    [JsonPropertyName("attachments")] public List<Attachment>? Attachments { get; set; }
    [JsonPropertyName("channelData")] public TeamsChannelData? ChannelData { get; set; }

    /// <summary>Fields this model does not name.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Properties { get; set; }

    /// <summary>
    /// The sender's time zone as their Teams client reports it (an IANA id such as <c>Europe/Berlin</c>): the
    /// activity's <c>localTimezone</c>, else the <c>timezone</c> of its <c>clientInfo</c> entity; null when neither is sent.
    /// </summary>
    public string? GetClientTimeZone()
    {
        if (!string.IsNullOrWhiteSpace(LocalTimezone))
        {
            return LocalTimezone.Trim();
        }

        var clientInfo = Entities?.FirstOrDefault(e => string.Equals(e.Type, EntityTypes.ClientInfo, StringComparison.OrdinalIgnoreCase));
        return clientInfo?.Properties is { } properties
            && properties.TryGetValue("timezone", out var zone)
            && zone.ValueKind == JsonValueKind.String
            && zone.GetString() is { Length: > 0 } id
                ? id.Trim()
                : null;
    }

    /// <summary>A plain-text message activity.</summary>
    public static Activity CreateMessage(string text) => new() { Type = ActivityTypes.Message, Text = text };

    /// <summary>A message activity carrying one Adaptive Card, plus the card's mentions when it has any.</summary>
    public static Activity CreateCardMessage(AdaptiveCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return new Activity { Type = ActivityTypes.Message, Attachments = [card.ToAttachment()] };
    }

    /// <summary>
    /// The message text with every <c>&lt;at&gt;…&lt;/at&gt;</c> mention removed and whitespace collapsed
    /// (Teams puts the bot's name in the text of channel and group messages, docs/protocol.md §3.7).
    /// </summary>
    public string GetTextWithoutMentions()
    {
        if (string.IsNullOrEmpty(Text))
        {
            return string.Empty;
        }

        var withoutMentions = MentionPattern().Replace(Text, " ");
        return Whitespace().Replace(System.Net.WebUtility.HtmlDecode(withoutMentions), " ").Trim();
    }

    /// <summary>The mention entities of this activity.</summary>
    public IEnumerable<Entity> GetMentions() =>
        Entities?.Where(e => string.Equals(e.Type, EntityTypes.Mention, StringComparison.OrdinalIgnoreCase)) ?? [];

    [GeneratedRegex("<at[^>]*>.*?</at>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex MentionPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

/// <summary>Activity type names (an open set: Teams may send others, which get 200 and are ignored).</summary>
public static class ActivityTypes
{
    public const string Message = "message";
    public const string ConversationUpdate = "conversationUpdate";
    public const string InstallationUpdate = "installationUpdate";
    public const string Invoke = "invoke";
    public const string Event = "event";
    public const string Typing = "typing";
    public const string MessageUpdate = "messageUpdate";
    public const string MessageDelete = "messageDelete";
    public const string MessageReaction = "messageReaction";
    public const string EndOfConversation = "endOfConversation";
}

/// <summary>Teams conversation types (<c>conversation.conversationType</c>).</summary>
public static class ConversationTypes
{
    public const string Personal = "personal";
    public const string GroupChat = "groupChat";
    public const string Channel = "channel";
}

/// <summary>Values of <c>action</c> on an <c>installationUpdate</c> activity (docs/protocol.md §4.3).</summary>
public static class InstallationActions
{
    public const string Add = "add";
    public const string Remove = "remove";
    public const string AddUpgrade = "add-upgrade";
    public const string RemoveUpgrade = "remove-upgrade";
}

/// <summary>Names of invoke activities this layer understands.</summary>
public static class InvokeNames
{
    public const string AdaptiveCardAction = "adaptiveCard/action";
}

/// <summary>Entity type names.</summary>
public static class EntityTypes
{
    public const string Mention = "mention";

    /// <summary>Sent by Teams clients with locale, country, platform and time zone.</summary>
    public const string ClientInfo = "clientInfo";
}
