using ValueBot.Domain.Common;

namespace ValueBot.Domain.Evidence;

/// <summary>
/// How much of a benefit to believe, by its evidence (the Forrester TEI practice of risk-adjusting benefits):
/// adjusted gross G′ = G × s × k. Costs are never discounted. Organisation policy; the defaults are DOMAIN.md's.
/// </summary>
public sealed record EvidenceFactors
{
    public static EvidenceFactors Default { get; } = new();

    /// <summary>s for a measured number.</summary>
    public decimal Measured { get; init; } = 1.0m;

    public decimal Estimated { get; init; } = 0.8m;

    public decimal Guessed { get; init; } = 0.5m;

    /// <summary>k for high confidence.</summary>
    public decimal High { get; init; } = 1.0m;

    public decimal Medium { get; init; } = 0.85m;

    public decimal Low { get; init; } = 0.6m;

    public decimal SourceFactor(EvidenceSource source) => source switch
    {
        EvidenceSource.Measured => Measured,
        EvidenceSource.Guessed => Guessed,
        _ => Estimated,
    };

    public decimal ConfidenceFactor(EvidenceConfidence confidence) => confidence switch
    {
        EvidenceConfidence.High => High,
        EvidenceConfidence.Low => Low,
        _ => Medium,
    };

    /// <summary>s × k.</summary>
    public decimal Of(EvidenceGrade grade) => SourceFactor(grade.Source) * ConfidenceFactor(grade.Confidence);

    /// <summary>G′ = G × s × k, rounded to cents half away from zero like every other weekly component.</summary>
    public Money Adjust(Money gross, EvidenceGrade grade) =>
        new(Math.Round(gross.Amount * Of(grade), 2, MidpointRounding.AwayFromZero), gross.Currency);

    /// <summary>Weaker evidence may never be believed more than stronger evidence.</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (!(Measured >= Estimated && Estimated >= Guessed))
        {
            errors.Add(new FieldError("sourceFactorEstimated",
                $"Source factors must not rise as evidence weakens: measured {Measured} ≥ estimated {Estimated} ≥ guessed {Guessed}."));
        }

        if (!(High >= Medium && Medium >= Low))
        {
            errors.Add(new FieldError("confidenceFactorMedium",
                $"Confidence factors must not rise as confidence falls: high {High} ≥ medium {Medium} ≥ low {Low}."));
        }

        return errors;
    }
}
