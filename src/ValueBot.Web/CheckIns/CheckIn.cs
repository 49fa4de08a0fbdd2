using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Periods;

namespace ValueBot.Web.CheckIns;

/// <summary>A row of <c>check_ins</c>: one use case's check-in for one ISO week (unique per use case and week).</summary>
public sealed class CheckIn
{
    public long Id { get; set; }

    public Guid UseCaseId { get; set; }

    public IsoWeek Week { get; set; }

    public CheckInStatus Status { get; set; }

    /// <summary>The answer in <see cref="UseCases.AnswerJson"/> format; null unless answered.</summary>
    public string? AnswerJson { get; set; }

    /// <summary>Entra object id of whoever answered (owner or delegate).</summary>
    public string? AnsweredBy { get; set; }

    public DateTime? AnsweredAt { get; set; }

    /// <summary>How many answers were written to this week (0 = none yet); a card carries the one it was built from.</summary>
    public int AnswerRevision { get; set; }

    public string? ConversationId { get; set; }

    public string? ActivityId { get; set; }

    public DateTime? SentAt { get; set; }

    public DateTime? RemindedAt { get; set; }

    /// <summary>The time zone the week was scheduled in (the owner's, else the organisation's).</summary>
    public string? TimeZone { get; set; }

    /// <summary>When the week closes for this check-in (Friday 12:00 in <see cref="TimeZone"/>); null for rows from before scheduling.</summary>
    public DateTime? DeadlineAt { get; set; }

    /// <summary>When the owner's manager was told of two missed check-ins in a row ending with this one.</summary>
    public DateTime? EscalatedAt { get; set; }

    /// <summary>Why the card could not reach the owner, when <see cref="Status"/> is undeliverable.</summary>
    public string? UndeliverableReason { get; set; }

    /// <summary>
    /// When the card went in doubt: handed to Teams without a clear answer, so it may not have arrived. The status stays
    /// <c>sent</c> (the owner can answer); the reminder makes it good, marked as such.
    /// </summary>
    public DateTime? InDoubtAt { get; set; }

    /// <summary>When the admins were told this check-in could not be delivered (or is in doubt); each is reported once.</summary>
    public DateTime? DeliveryReportedAt { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>A copy of this row's values (for an untracked row, to describe it after a write without reading it again).</summary>
    public CheckIn Copy() => (CheckIn)MemberwiseClone();
}

internal sealed class CheckInConfiguration : IEntityTypeConfiguration<CheckIn>
{
    // Statuses are stored lower-case ("answered"), as the registry's readers and exports expect.
    private static readonly ValueConverter<CheckInStatus, string> StatusText = new(
        s => s.ToString().ToLowerInvariant(),
        s => Enum.Parse<CheckInStatus>(s, true));

    private static readonly ValueConverter<IsoWeek, string> WeekText = new(w => w.ToString(), s => IsoWeek.Parse(s));

    private static readonly ValueConverter<Guid, string> GuidText = new(g => g.ToString("D"), s => Guid.Parse(s));

    public void Configure(EntityTypeBuilder<CheckIn> builder)
    {
        builder.ToTable("check_ins");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.UseCaseId).HasConversion(GuidText);
        builder.Property(c => c.Week).HasConversion(WeekText);
        builder.Property(c => c.Status).HasConversion(StatusText);
        builder.HasIndex(c => new { c.UseCaseId, c.Week }).IsUnique();
    }
}
