using ValueBot.Domain.Common;

namespace ValueBot.Domain.CheckIns;

/// <summary>R: what running the use case cost this week.</summary>
public sealed record RunCost(Money LicencesAndTokens, Money Support, Money IntegrationAndMaintenance)
{
    public static RunCost Zero(string currency) =>
        new(Money.Zero(currency), Money.Zero(currency), Money.Zero(currency));

    public Money Total => LicencesAndTokens + Support + IntegrationAndMaintenance;
}
