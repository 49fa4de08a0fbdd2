using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ValueBot.Teams.Cards;

namespace ValueBot.Teams.Schema;

/// <summary>
/// Source-generated System.Text.Json metadata for every protocol and card type: no reflection at run time,
/// nulls omitted on output.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(Activity))]
[JsonSerializable(typeof(ConversationParameters))]
[JsonSerializable(typeof(ConversationResourceResponse))]
[JsonSerializable(typeof(ResourceResponse))]
[JsonSerializable(typeof(PagedMembersResult))]
[JsonSerializable(typeof(TeamsChannelAccount))]
[JsonSerializable(typeof(List<ChannelAccount>))]
[JsonSerializable(typeof(AdaptiveCardInvokeResponse))]
[JsonSerializable(typeof(InvokeError))]
[JsonSerializable(typeof(AdaptiveCard))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string))]
public sealed partial class TeamsJsonContext : JsonSerializerContext;
