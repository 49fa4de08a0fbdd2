namespace ValueBot.Domain.UseCases;

/// <summary>Limits past which a use case is losing value; fractions (0.15 = 15 %).</summary>
public sealed record StopLossThresholds(
    decimal MaxReworkRate = 0.15m,
    decimal MinAdoption = 0.60m,
    decimal? MaxExceptionRate = null)
{
    public static StopLossThresholds Default { get; } = new();
}
