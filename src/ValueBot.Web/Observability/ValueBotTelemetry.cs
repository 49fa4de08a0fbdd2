using ValueBot.Teams.Hosting;

namespace ValueBot.Web.Observability;

/// <summary>Every telemetry name ValueBot emits or listens to, in one place.</summary>
public static class ValueBotTelemetry
{
    /// <summary>ValueBot's own meter (<see cref="ValueBotMetrics"/>).</summary>
    public const string MeterName = "ValueBot";

    public const string CheckInsSent = "valuebot.checkins.sent";
    public const string AnswersStored = "valuebot.answers.stored";
    public const string Deliveries = "valuebot.deliveries";
    public const string OutboxBacklog = "valuebot.outbox.backlog";
    public const string OutboxOldestPendingAge = "valuebot.outbox.oldest_pending_age";

    /// <summary>Trace sources exported over OTLP: the bot turn span, and what .NET and Npgsql emit themselves.</summary>
    public static readonly IReadOnlyList<string> Sources = [BotTelemetry.SourceName, "Microsoft.AspNetCore", "System.Net.Http", "Npgsql"];

    /// <summary>Meters exported over OTLP.</summary>
    public static readonly IReadOnlyList<string> Meters =
        [MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "System.Runtime", "Npgsql"];
}
