using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ValueBot.Web.Digests;

/// <summary>
/// The channel an admin chose with <c>post digests here</c>: the leadership digest, shared wins and the reviews
/// are posted there. One per deployment (<see cref="Leadership"/>); choosing again moves it.
/// </summary>
public sealed class DigestChannel
{
    public const string Leadership = "leadership";

    public string Purpose { get; set; } = Leadership;

    public string? TenantId { get; set; }

    public required string TeamId { get; set; }

    public string? TeamName { get; set; }

    /// <summary>The channel's conversation id (<c>19:…@thread.tacv2</c>); a post to it starts a new thread.</summary>
    public required string ChannelId { get; set; }

    public required string ServiceUrl { get; set; }

    /// <summary>The admin who chose it: display name and Entra object id.</summary>
    public required string SetBy { get; set; }

    public DateTime SetAt { get; set; }
}

internal sealed class DigestChannelConfiguration : IEntityTypeConfiguration<DigestChannel>
{
    public void Configure(EntityTypeBuilder<DigestChannel> builder)
    {
        builder.ToTable("digest_channels");
        builder.HasKey(c => c.Purpose);
    }
}
