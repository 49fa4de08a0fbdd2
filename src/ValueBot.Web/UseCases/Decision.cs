using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ValueBot.Web.UseCases;

/// <summary>A leader's stage-gate decision, recorded next to what ValueBot recommended at the time.</summary>
public sealed class Decision
{
    public long Id { get; set; }

    public Guid UseCaseId { get; set; }

    /// <summary>scale, redesign, hold or stop.</summary>
    public required string Outcome { get; set; }

    public string? Recommendation { get; set; }

    public required string Reason { get; set; }

    public required string DecidedBy { get; set; }

    public DateTime DecidedAt { get; set; }
}

internal sealed class DecisionConfiguration : IEntityTypeConfiguration<Decision>
{
    public void Configure(EntityTypeBuilder<Decision> builder)
    {
        builder.ToTable("decisions");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.UseCaseId).HasConversion(StoredText.Guid);
        builder.Property(d => d.Outcome).HasColumnName("decision");
    }
}
