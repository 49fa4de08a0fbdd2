using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ValueBot.Web.Installations;

/// <summary>
/// A place ValueBot is installed — a personal chat with one user, or a team — and the conversation reference
/// needed to write there proactively. Only ever filled from authenticated activities.
/// </summary>
public sealed class Installation
{
    public long Id { get; set; }

    public required string ConversationId { get; set; }

    /// <summary><c>personal</c>, <c>team</c> or <c>groupChat</c>.</summary>
    public required string Scope { get; set; }

    public required string ServiceUrl { get; set; }

    public string? TenantId { get; set; }

    /// <summary>The user's Teams id (<c>29:…</c>) for a personal installation.</summary>
    public string? UserId { get; set; }

    public string? AadObjectId { get; set; }

    public string? UserName { get; set; }

    public string? TeamId { get; set; }

    public string? TeamName { get; set; }

    public string? ChannelId { get; set; }

    /// <summary>The user's time zone as their Teams client reported it, kept even before they are registered as a person.</summary>
    public string? TimeZone { get; set; }

    public DateTime InstalledAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public DateTime? RemovedAt { get; set; }

    public bool IsActive => RemovedAt is null;
}

internal sealed class InstallationConfiguration : IEntityTypeConfiguration<Installation>
{
    public void Configure(EntityTypeBuilder<Installation> builder)
    {
        builder.ToTable("installations");
        builder.HasKey(i => i.Id);
        builder.Ignore(i => i.IsActive);
        builder.HasIndex(i => i.ConversationId).IsUnique();
    }
}
