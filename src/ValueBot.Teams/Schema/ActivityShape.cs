using System.Text.Json;
using ValueBot.Teams.Connector;

namespace ValueBot.Teams.Schema;

/// <summary>
/// The shape every activity must have before it is routed (docs/protocol.md §4.1, §3.8): a <c>type</c>, a
/// <c>conversation</c> with an id, lists (members, entities, attachments) without null entries, a <c>serviceUrl</c> the bot trusts (<c>Bot:TrustedServiceUrls</c>; loopback
/// only in local mode), because handlers reply there and the installation store keeps it as the conversation's
/// address; and only well-formed text (no lone surrogate, no U+0000, which neither a card nor PostgreSQL can hold).
/// An activity that fails is refused with 400 before any handler runs, so nothing is stored and nothing is sent.
/// </summary>
public static class ActivityShape
{
    /// <summary>Why <paramref name="activity"/> (read from <paramref name="json"/>) cannot be routed; null when it can.</summary>
    /// <param name="json">The request body the activity was read from.</param>
    /// <param name="activity">The activity read from it.</param>
    /// <param name="serviceUrls">Which serviceUrls the bot trusts.</param>
    public static string? FindProblem(ReadOnlySpan<byte> json, Activity activity, ServiceUrlPolicy serviceUrls)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(serviceUrls);
        if (string.IsNullOrWhiteSpace(activity.Type))
        {
            return "The activity has no type.";
        }

        if (string.IsNullOrWhiteSpace(activity.Conversation?.Id))
        {
            return "The activity has no conversation id.";
        }

        if (string.IsNullOrWhiteSpace(activity.ServiceUrl))
        {
            return "The activity has no serviceUrl.";
        }

        if (!serviceUrls.IsTrusted(activity.ServiceUrl))
        {
            return "The activity's serviceUrl is not a Teams address this bot trusts (Bot:TrustedServiceUrls).";
        }

        if ((HasNullEntry(activity.MembersAdded, "membersAdded") ?? HasNullEntry(activity.MembersRemoved, "membersRemoved")
            ?? HasNullEntry(activity.Entities, "entities") ?? HasNullEntry(activity.Attachments, "attachments")) is { } nullEntry)
        {
            return nullEntry;
        }

        return FindMalformedText(json);
    }

    private static string? HasNullEntry<T>(List<T>? list, string name) where T : class =>
        list?.Contains(null!) == true ? $"The activity's {name} list has a null entry." : null;

    /// <summary>The first string or member name that is not well-formed text; null when every one is.</summary>
    private static string? FindMalformedText(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
                {
                    continue;
                }

                // GetString refuses escaped lone surrogates and invalid UTF-8.
                if (reader.GetString()!.Contains('\0', StringComparison.Ordinal))
                {
                    return $"The text at {Where(reader)} contains U+0000.";
                }
            }
        }
        catch (InvalidOperationException)
        {
            return $"The text at {Where(reader)} is not well-formed UTF-16 (a lone surrogate or invalid UTF-8).";
        }
        catch (JsonException)
        {
            return "The body is not valid JSON.";
        }

        return null;
    }

    private static string Where(Utf8JsonReader reader) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"byte {reader.TokenStartIndex}");
}
