using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.Evidence;

/// <summary>A row of <c>copilot_links</c>: the use case is a Microsoft 365 Copilot rollout to the members of an Entra group.</summary>
public sealed class CopilotLink
{
    public Guid UseCaseId { get; set; }

    /// <summary>The target group's Entra object id.</summary>
    public required string GroupId { get; set; }

    public required string LinkedBy { get; set; }

    public DateTime LinkedAt { get; set; }
}

/// <summary>A row of <c>measured_usage</c>: what Graph's Copilot usage report showed for the use case's group in one ISO week.</summary>
public sealed class MeasuredUsageRecord
{
    public Guid UseCaseId { get; set; }

    /// <summary>ISO week, "2026-W11".</summary>
    public required string Week { get; set; }

    public required string GroupId { get; set; }

    /// <summary>Members of the group active in the week; null when names are concealed.</summary>
    public int? ActiveUsers { get; set; }

    /// <summary>Object ids of those members as a JSON array (the union over the week's readings); null when concealed.</summary>
    public string? ActiveMemberIds { get; set; }

    public int GroupMembers { get; set; }

    public bool NamesConcealed { get; set; }

    public int TenantActiveUsers { get; set; }

    /// <summary>The report's "Report Refresh Date" (yyyy-MM-dd), as Graph gave it.</summary>
    public string? ReportRefreshDate { get; set; }

    public DateTime MeasuredAt { get; set; }
}

/// <summary>A row of <c>adoption_reviews</c>: a manager confirmed or disputed one week's adoption figure of a report's use case.</summary>
public sealed class AdoptionReviewRecord
{
    public Guid UseCaseId { get; set; }

    public required string Week { get; set; }

    /// <summary>"confirmed" or "disputed".</summary>
    public required string Verdict { get; set; }

    /// <summary>The active users the manager saw.</summary>
    public int ActiveUsers { get; set; }

    /// <summary>When the answer the verdict is about was stored; a later answer of the week lifts a dispute.</summary>
    public DateTime? AnsweredAt { get; set; }

    public required string ManagerAadObjectId { get; set; }

    public required string ManagerName { get; set; }

    public DateTime ReviewedAt { get; set; }
}

internal sealed class CopilotLinkConfiguration : IEntityTypeConfiguration<CopilotLink>
{
    public void Configure(EntityTypeBuilder<CopilotLink> builder)
    {
        builder.ToTable("copilot_links");
        builder.HasKey(l => l.UseCaseId);
        builder.Property(l => l.UseCaseId).HasConversion(StoredText.Guid);
    }
}

internal sealed class MeasuredUsageConfiguration : IEntityTypeConfiguration<MeasuredUsageRecord>
{
    public void Configure(EntityTypeBuilder<MeasuredUsageRecord> builder)
    {
        builder.ToTable("measured_usage");
        builder.HasKey(m => new { m.UseCaseId, m.Week });
        builder.Property(m => m.UseCaseId).HasConversion(StoredText.Guid);
    }
}

internal sealed class AdoptionReviewConfiguration : IEntityTypeConfiguration<AdoptionReviewRecord>
{
    public void Configure(EntityTypeBuilder<AdoptionReviewRecord> builder)
    {
        builder.ToTable("adoption_reviews");
        builder.HasKey(r => new { r.UseCaseId, r.Week });
        builder.Property(r => r.UseCaseId).HasConversion(StoredText.Guid);
    }
}

/// <summary>The verdicts stored in <c>adoption_reviews.verdict</c>.</summary>
public static class AdoptionReviews
{
    public const string Confirmed = "confirmed";
    public const string Disputed = "disputed";
}
