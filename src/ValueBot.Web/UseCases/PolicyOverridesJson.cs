using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ValueBot.Domain.Policies;

namespace ValueBot.Web.UseCases;

/// <summary>
/// The <c>use_cases.policy_overrides</c> column: a JSON object of the values a use case sets, by parameter name
/// (<c>{"maxReworkRate":0.12,"costDriftFactor":1.5}</c>), in <see cref="PolicyParameters.All"/> order; null when none is set.
/// </summary>
public static class PolicyOverridesJson
{
    public static string? Write(EvaluationPolicyOverrides? overrides)
    {
        if (overrides is null || overrides.IsEmpty)
        {
            return null;
        }

        var json = new JsonObject();
        foreach (var parameter in PolicyParameters.All)
        {
            if (parameter.Get(overrides) is { } value)
            {
                json[parameter.Name] = Normal(value);
            }
        }

        return json.ToJsonString();
    }

    /// <summary>The overrides in the column; unknown names and unreadable values are dropped (they follow the organisation).</summary>
    public static EvaluationPolicyOverrides? Read(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        JsonObject? json;
        try
        {
            json = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }

        var overrides = EvaluationPolicyOverrides.None;
        foreach (var (name, node) in json ?? [])
        {
            if (PolicyParameters.Find(name) is { } parameter && Number(node) is { } value && parameter.Check(value) is null)
            {
                overrides = parameter.With(overrides, value);
            }
        }

        return overrides.IsEmpty ? null : overrides;
    }

    private static decimal? Number(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        if (value.TryGetValue<decimal>(out var number))
        {
            return Normal(number);
        }

        // The migration from the old columns writes SQLite's TEXT decimals as they were stored.
        return value.TryGetValue<string>(out var text)
            && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) ? Normal(parsed) : null;
    }

    /// <summary>0.150000 → 0.15, so the value reads the same whatever the engine's scale.</summary>
    private static decimal Normal(decimal value) => value / 1.000000000000000000000000000000000m;
}
