using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using ValueBot.Domain.Common;
using ValueBot.Domain.UseCases;

namespace ValueBot.Web.UseCases;

/// <summary>A row of <c>use_cases</c>: a <see cref="UseCase"/> as stored; people are referenced by object id.</summary>
public sealed class UseCaseRecord
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    public ValueModel ValueModel { get; set; }

    public Stage Stage { get; set; }

    public string? OwnerAadObjectId { get; set; }

    public string? DelegateAadObjectId { get; set; }

    public string? SponsorAadObjectId { get; set; }

    public string? OrgUnit { get; set; }

    public string? Workflow { get; set; }

    public PnlLine PnlLine { get; set; }

    public string? SuccessCriteria { get; set; }

    public DateOnly? LaunchDate { get; set; }

    public int TargetUsers { get; set; }

    public required string Currency { get; set; }

    public decimal BaselineMinutesPerTask { get; set; }

    public decimal BaselineTasksPerWeek { get; set; }

    public decimal HourlyCost { get; set; }

    public decimal? BaselineReworkRate { get; set; }

    public decimal MinutesPerException { get; set; }

    public decimal? DeclaredBenefit { get; set; }

    public decimal PlannedRunCostPerMonth { get; set; }

    /// <summary>The use case's own stop-loss thresholds and rule parameters as JSON (<see cref="PolicyOverridesJson"/>); null follows the organisation.</summary>
    public string? PolicyOverrides { get; set; }

    public DayOfWeek CheckInDay { get; set; }

    public TimeOnly CheckInTime { get; set; }

    public DateTime? RetiredAt { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>Raised by one on every update; an update based on an older version is a conflict.</summary>
    public int RowVersion { get; set; }

    /// <summary>Copies every field of <paramref name="useCase"/> into this row (not id, timestamps or version).</summary>
    public void CopyFrom(UseCase useCase, DateTime now)
    {
        Name = useCase.Name;
        Description = useCase.Description;
        ValueModel = useCase.ValueModel;
        Stage = useCase.Stage;
        OwnerAadObjectId = useCase.Owner?.AadObjectId;
        DelegateAadObjectId = useCase.Delegate?.AadObjectId;
        SponsorAadObjectId = useCase.Sponsor?.AadObjectId;
        OrgUnit = useCase.OrgUnit;
        Workflow = useCase.Workflow;
        PnlLine = useCase.PnlLine;
        SuccessCriteria = useCase.SuccessCriteria;
        LaunchDate = useCase.LaunchDate;
        TargetUsers = useCase.TargetUsers;
        Currency = useCase.Currency;
        BaselineMinutesPerTask = useCase.Baseline.MinutesPerTask;
        BaselineTasksPerWeek = useCase.Baseline.TasksPerWeek;
        HourlyCost = useCase.Baseline.HourlyCost.Amount;
        BaselineReworkRate = useCase.Baseline.ReworkRateBeforeAi;
        MinutesPerException = useCase.Baseline.MinutesPerException;
        DeclaredBenefit = useCase.DeclaredPilotBenefit;
        PlannedRunCostPerMonth = useCase.PlannedRunCostPerMonth.Amount;
        PolicyOverrides = PolicyOverridesJson.Write(useCase.PolicyOverrides);
        CheckInDay = useCase.CheckInSchedule.Day;
        CheckInTime = useCase.CheckInSchedule.LocalTime;
        RetiredAt = useCase.Retired ? RetiredAt ?? now : null;
    }

    /// <summary>The domain use case; <paramref name="people"/> supplies names and whether someone has left.</summary>
    public UseCase ToUseCase(IReadOnlyDictionary<string, Person> people) => new()
    {
        Id = Id,
        Name = Name,
        Description = Description ?? "",
        ValueModel = ValueModel,
        Stage = Stage,
        Owner = Ref(OwnerAadObjectId, people),
        Delegate = Ref(DelegateAadObjectId, people),
        Sponsor = Ref(SponsorAadObjectId, people),
        OrgUnit = OrgUnit ?? "",
        Workflow = Workflow ?? "",
        PnlLine = PnlLine,
        SuccessCriteria = SuccessCriteria ?? "",
        LaunchDate = LaunchDate,
        TargetUsers = TargetUsers,
        Baseline = new Baseline(
            BaselineMinutesPerTask,
            BaselineTasksPerWeek,
            new Money(HourlyCost, Currency),
            BaselineReworkRate ?? 0m,
            MinutesPerException),
        DeclaredPilotBenefit = DeclaredBenefit ?? 0m,
        PlannedRunCostPerMonth = new Money(PlannedRunCostPerMonth, Currency),
        PolicyOverrides = PolicyOverridesJson.Read(PolicyOverrides),
        CheckInSchedule = new CheckInSchedule(CheckInDay, CheckInTime),
        Retired = RetiredAt is not null,
    };

    private static PersonRef? Ref(string? aadObjectId, IReadOnlyDictionary<string, Person> people)
    {
        if (aadObjectId is null)
        {
            return null;
        }

        return people.TryGetValue(aadObjectId, out var person)
            ? new PersonRef(person.AadObjectId, person.DisplayName) { HasLeftOrganisation = person.HasLeft }
            : new PersonRef(aadObjectId, aadObjectId);
    }
}

internal sealed class UseCaseRecordConfiguration : IEntityTypeConfiguration<UseCaseRecord>
{
    public void Configure(EntityTypeBuilder<UseCaseRecord> builder)
    {
        builder.ToTable("use_cases");
        builder.HasKey(u => u.Id);
        // Every column is TEXT or NUMERIC on both engines, so ids, dates, enums and times are stored as text.
        builder.Property(u => u.Id).HasConversion(StoredText.Guid);
        builder.Property(u => u.ValueModel).HasConversion<string>();
        builder.Property(u => u.Stage).HasConversion<string>();
        builder.Property(u => u.PnlLine).HasConversion<string>();
        builder.Property(u => u.LaunchDate).HasConversion(StoredText.Date);
        builder.Property(u => u.CheckInDay).HasConversion<string>();
        builder.Property(u => u.CheckInTime).HasConversion(StoredText.Time);
        builder.Property(u => u.RowVersion).IsConcurrencyToken();
    }
}

/// <summary>Value converters for columns the migrations declare as TEXT on both engines.</summary>
internal static class StoredText
{
    public static ValueConverter<Guid, string> Guid { get; } =
        new(g => g.ToString("D"), s => System.Guid.Parse(s));

    public static ValueConverter<DateOnly, string> Date { get; } =
        new(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), s => DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture));

    public static ValueConverter<TimeOnly, string> Time { get; } =
        new(t => t.ToString("HH:mm", CultureInfo.InvariantCulture), s => TimeOnly.ParseExact(s, "HH:mm", CultureInfo.InvariantCulture));
}
