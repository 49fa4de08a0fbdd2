using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ValueBot.Web.UseCases;

/// <summary>One changed field in the audit trail: who, when, old value, new value.</summary>
public sealed class AuditEntry
{
    public const string UseCaseEntity = "use_case";

    public long Id { get; set; }

    public required string Entity { get; set; }

    public required string EntityId { get; set; }

    public required string Field { get; set; }

    public string? OldValue { get; set; }

    public string? NewValue { get; set; }

    public required string ChangedBy { get; set; }

    public DateTime ChangedAt { get; set; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_entries");
        builder.HasKey(a => a.Id);
    }
}
