using System.Diagnostics;

namespace ValueBot.Teams.Hosting;

/// <summary>
/// The protocol layer's own trace source: one <c>bot.turn</c> span per inbound activity, around the router dispatch.
/// The host decides whether anything listens (it exports the source by <see cref="SourceName"/>).
/// </summary>
public static class BotTelemetry
{
    /// <summary>The <see cref="ActivitySource"/> name.</summary>
    public const string SourceName = "ValueBot.Teams";

    /// <summary>The span name of one inbound activity.</summary>
    public const string TurnSpanName = "bot.turn";

    internal static readonly ActivitySource Source = new(SourceName);
}
