using System.Text.Json;
using System.Text.Json.Serialization;

namespace ValueBot.Teams.Schema;

/// <summary>A user or bot in a conversation (<c>from</c>, <c>recipient</c>, members).</summary>
public class ChannelAccount
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("aadObjectId")] public string? AadObjectId { get; set; }
    [JsonPropertyName("role")] public string? Role { get; set; }

    /// <summary>Fields this model does not name.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Properties { get; set; }
}

/// <summary>The conversation an activity belongs to.</summary>
public sealed class ConversationAccount
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("isGroup")] public bool? IsGroup { get; set; }
    [JsonPropertyName("conversationType")] public string? ConversationType { get; set; }
    [JsonPropertyName("tenantId")] public string? TenantId { get; set; }

    /// <summary>Fields this model does not name.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Properties { get; set; }
}

/// <summary>
/// A member as the Teams roster APIs return it. The REST docs show <c>objectId</c> where the SDKs use
/// <c>aadObjectId</c>; both are read and <see cref="ChannelAccount.AadObjectId"/> reflects either.
/// </summary>
public sealed class TeamsChannelAccount
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("aadObjectId")] public string? AadObjectId { get => _aadObjectId ?? ObjectId; set => _aadObjectId = value; }
    [JsonPropertyName("objectId")] public string? ObjectId { get; set; }
    [JsonPropertyName("givenName")] public string? GivenName { get; set; }
    [JsonPropertyName("surname")] public string? Surname { get; set; }
    [JsonPropertyName("email")] public string? Email { get; set; }
    [JsonPropertyName("userPrincipalName")] public string? UserPrincipalName { get; set; }
    [JsonPropertyName("tenantId")] public string? TenantId { get; set; }
    [JsonPropertyName("userRole")] public string? UserRole { get; set; }

    /// <summary>Fields this model does not name.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Properties { get; set; }

    private string? _aadObjectId;
}

/// <summary>An entity attached to an activity; for mentions, <see cref="Mentioned"/> and <see cref="Text"/> are set.</summary>
public sealed class Entity
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("text")] public string? Text { get; set; }
    [JsonPropertyName("mentioned")] public ChannelAccount? Mentioned { get; set; }

    /// <summary>Fields this model does not name.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Properties { get; set; }

    /// <summary>A mention entity whose text is <c>&lt;at&gt;name&lt;/at&gt;</c>; put the same text in the message.</summary>
    public static Entity CreateMention(string id, string name) =>
        new() { Type = EntityTypes.Mention, Text = $"<at>{name}</at>", Mentioned = new ChannelAccount { Id = id, Name = name } };
}

/// <summary>An attachment; for cards, <see cref="Content"/> holds the card JSON.</summary>
public sealed class Attachment
{
    [JsonPropertyName("contentType")] public string? ContentType { get; set; }
    [JsonPropertyName("contentUrl")] public string? ContentUrl { get; set; }
    [JsonPropertyName("content")] public JsonElement? Content { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("thumbnailUrl")] public string? ThumbnailUrl { get; set; }

    /// <summary>Fields this model does not name.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Properties { get; set; }
}

/// <summary>Teams-specific <c>channelData</c> (docs/protocol.md §4.1).</summary>
public sealed class TeamsChannelData
{
    [JsonPropertyName("tenant")] public TenantInfo? Tenant { get; set; }
    [JsonPropertyName("team")] public TeamInfo? Team { get; set; }
    [JsonPropertyName("channel")] public ChannelInfo? Channel { get; set; }
    [JsonPropertyName("eventType")] public string? EventType { get; set; }
    [JsonPropertyName("settings")] public TeamsChannelDataSettings? Settings { get; set; }

    /// <summary>Fields this model does not name (notification, meeting, onBehalfOf, source…).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Properties { get; set; }
}

/// <summary>The tenant of a Teams activity.</summary>
public sealed class TenantInfo
{
    [JsonPropertyName("id")] public string? Id { get; set; }
}

/// <summary>The team of a channel activity.</summary>
public sealed class TeamInfo
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("aadGroupId")] public string? AadGroupId { get; set; }
}

/// <summary>A Teams channel.</summary>
public sealed class ChannelInfo
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
}

/// <summary><c>channelData.settings</c>: the channel chosen at installation.</summary>
public sealed class TeamsChannelDataSettings
{
    [JsonPropertyName("selectedChannel")] public ChannelInfo? SelectedChannel { get; set; }

    /// <summary>Fields this model does not name.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Properties { get; set; }
}

/// <summary>The body of <c>POST /v3/conversations</c> (docs/protocol.md §3.3, §3.4).</summary>
public sealed class ConversationParameters
{
    [JsonPropertyName("isGroup")] public bool? IsGroup { get; set; }
    [JsonPropertyName("bot")] public ChannelAccount? Bot { get; set; }
    [JsonPropertyName("members")] public List<ChannelAccount>? Members { get; set; }
    [JsonPropertyName("topicName")] public string? TopicName { get; set; }
    [JsonPropertyName("tenantId")] public string? TenantId { get; set; }
    [JsonPropertyName("activity")] public Activity? Activity { get; set; }
    [JsonPropertyName("channelData")] public TeamsChannelData? ChannelData { get; set; }
}

/// <summary>The answer to create conversation.</summary>
public sealed class ConversationResourceResponse
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("activityId")] public string? ActivityId { get; set; }
    [JsonPropertyName("serviceUrl")] public string? ServiceUrl { get; set; }
}

/// <summary>The answer to send, reply and update: the id of the activity.</summary>
public sealed class ResourceResponse
{
    [JsonPropertyName("id")] public string? Id { get; set; }
}

/// <summary>One page of conversation members (docs/protocol.md §3.5).</summary>
public sealed class PagedMembersResult
{
    [JsonPropertyName("continuationToken")] public string? ContinuationToken { get; set; }
    [JsonPropertyName("members")] public List<TeamsChannelAccount>? Members { get; set; }
}
