using System.Text.Json;
using System.Text.Json.Serialization;
using ValueBot.Domain.CheckIns;

namespace ValueBot.Web.UseCases;

/// <summary>
/// The one format of <c>check_ins.answer_json</c>: camelCase members, enums as camelCase strings, money as
/// <c>{"amount":…, "currency":"EUR"}</c>. Whoever writes answers must use these options so they can be read back.
/// </summary>
public static class AnswerJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize(Answer answer) => JsonSerializer.Serialize(answer, Options);

    /// <summary>Null when the stored text is not a readable answer (it is then treated as "no data").</summary>
    public static Answer? TryDeserialize(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Answer>(json, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
