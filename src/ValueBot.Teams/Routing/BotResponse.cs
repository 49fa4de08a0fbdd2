using ValueBot.Teams.Schema;

namespace ValueBot.Teams.Routing;

/// <summary>What the HTTP endpoint answers: a status and, for invokes, a JSON body.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="Body">The invoke response body, or null for an empty body.</param>
public sealed record BotResponse(int StatusCode, AdaptiveCardInvokeResponse? Body = null)
{
    /// <summary>200 with an empty body.</summary>
    public static BotResponse Ok { get; } = new(200);

    /// <summary>501: an invoke nobody handles.</summary>
    public static BotResponse NotImplemented { get; } = new(501);
}
