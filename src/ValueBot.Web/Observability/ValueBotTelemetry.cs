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

    /// <summary>Trace sources listened to by name: the bot turn span and Npgsql's (ASP.NET Core and HttpClient come through their instrumentation).</summary>
    public static readonly IReadOnlyList<string> Sources = [BotTelemetry.SourceName, "Npgsql"];

    /// <summary>Meters listened to by name, besides the instrumentation libraries' (ASP.NET Core, Kestrel, HttpClient).</summary>
    public static readonly IReadOnlyList<string> Meters = [MeterName, "System.Runtime", "Npgsql"];
}
