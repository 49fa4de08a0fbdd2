using ValueBot.Domain.Common;

namespace ValueBot.Domain.UseCases;

/// <summary>How the work ran before AI: the yardstick every weekly figure is measured against.</summary>
/// <param name="MinutesPerTask">b: minutes one task took by hand.</param>
/// <param name="TasksPerWeek">Typical weekly volume before AI.</param>
/// <param name="HourlyCost">h: loaded hourly cost of the people doing the work.</param>
/// <param name="ReworkRateBeforeAi">Share of outputs corrected before AI (0–1).</param>
/// <param name="MinutesPerException">x: minutes to handle one exception by hand.</param>
public sealed record Baseline(
    decimal MinutesPerTask,
    decimal TasksPerWeek,
    Money HourlyCost,
    decimal ReworkRateBeforeAi,
    decimal MinutesPerException);
