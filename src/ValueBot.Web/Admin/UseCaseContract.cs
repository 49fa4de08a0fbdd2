using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ValueBot.Domain.Common;
using ValueBot.Domain.Evaluation;
using ValueBot.Domain.Metrics;
using ValueBot.Domain.Policies;
using ValueBot.Domain.UseCases;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.Admin;

/// <summary>A person in a request: an Entra object id with a display name, or a UPN/email looked up in the directory.</summary>
public sealed record PersonInput(string? AadObjectId, string? DisplayName, string? Upn);

public sealed record BaselineInput(decimal? MinutesPerTask, decimal? TasksPerWeek, decimal? HourlyCost, decimal? ReworkRateBeforeAi, decimal? MinutesPerException);

/// <summary>Stop-loss thresholds as fractions; a value left out (null) follows the organisation's (<c>Policy:*</c>).</summary>
public sealed record StopLossInput(decimal? MaxReworkRate, decimal? MinAdoption, decimal? MaxExceptionRate);

/// <summary>
/// A policy in full: the organisation's with the use case's overrides applied. <see cref="EvidenceFactors"/> are the
/// organisation's source and confidence factors of the risk-adjusted value (no use case overrides them).
/// </summary>
public sealed record PolicyView(StopLossInput StopLoss, IReadOnlyDictionary<string, decimal?> Rules)
{
    public IReadOnlyDictionary<string, decimal?> EvidenceFactors { get; init; } = new Dictionary<string, decimal?>();

    public static PolicyView From(EvaluationPolicy policy) => new(
        new StopLossInput(policy.StopLoss.MaxReworkRate, policy.StopLoss.MinAdoption, policy.StopLoss.MaxExceptionRate),
        PolicyParameters.Rules.ToDictionary(p => p.Name, p => p.Of(policy), StringComparer.Ordinal))
    {
        EvidenceFactors = PolicyParameters.OrganisationOnly.ToDictionary(p => p.Name, p => p.Of(policy), StringComparer.Ordinal),
    };
}

public sealed record ScheduleInput(string? Day, string? LocalTime);

/// <summary>
/// The body of create and update. Choices (value model, stage, P&amp;L line, day) are strings so that an unknown
/// value is reported against its field. Shares are fractions (0.15 = 15 %). Money is in <see cref="Currency"/>.
/// </summary>
public sealed record UseCaseInput
{
    public Guid? Id { get; init; }
    public string? Name { get; init; }
    public string? Description { get; init; }
    public string? ValueModel { get; init; }
    public string? Stage { get; init; }
    public PersonInput? Owner { get; init; }
    public PersonInput? Delegate { get; init; }
    public PersonInput? Sponsor { get; init; }

    /// <summary>
    /// The owner's manager (who gets the manager digest), kept with the owner rather than the use case; left out, what
    /// ValueBot knows (from an earlier form or Graph) stays.
    /// </summary>
    public PersonInput? Manager { get; init; }

    public string? OrgUnit { get; init; }
    public string? Workflow { get; init; }
    public string? PnlLine { get; init; }
    public string? SuccessCriteria { get; init; }
    public string? LaunchDate { get; init; }
    public int? TargetUsers { get; init; }
    public string? Currency { get; init; }
    public BaselineInput? Baseline { get; init; }
    public decimal? DeclaredPilotBenefit { get; init; }
    public decimal? PlannedRunCostPerMonth { get; init; }
    public StopLossInput? StopLoss { get; init; }

    /// <summary>
    /// Rule parameters of the early warnings and the stage gate, by name (<c>costDriftFactor</c>, <c>staleWindow</c>, …;
    /// see <see cref="PolicyParameters"/>); a name left out or null follows the organisation's.
    /// </summary>
    public Dictionary<string, decimal?>? Rules { get; init; }

    public ScheduleInput? CheckInSchedule { get; init; }

    /// <summary>On update: the version read; a different stored version is a conflict (409).</summary>
    public int? RowVersion { get; init; }
}

public sealed record PersonView(string AadObjectId, string DisplayName, bool HasLeftOrganisation);

public sealed record UseCaseView(
    Guid Id, string Name, string Description, string ValueModel, string Stage,
    PersonView? Owner, PersonView? Delegate, PersonView? Sponsor,
    string OrgUnit, string Workflow, string PnlLine, string SuccessCriteria, string? LaunchDate,
    int TargetUsers, string Currency, BaselineInput Baseline, decimal DeclaredPilotBenefit, decimal PlannedRunCostPerMonth,
    StopLossInput StopLoss, IReadOnlyDictionary<string, decimal?> Rules, PolicyView EffectivePolicy,
    ScheduleInput CheckInSchedule, bool Retired, int RowVersion, DateTime CreatedAt, DateTime UpdatedAt)
{
    /// <summary>
    /// The stored use case: <see cref="StopLoss"/> and <see cref="Rules"/> are its own values (null: the organisation's),
    /// <see cref="EffectivePolicy"/> what it is evaluated with.
    /// </summary>
    public static UseCaseView From(StoredUseCase stored, EvaluationPolicy organisation)
    {
        var u = stored.UseCase;
        var own = u.PolicyOverrides ?? EvaluationPolicyOverrides.None;
        return new UseCaseView(
            u.Id, u.Name, u.Description, AdminJson.Name(u.ValueModel), AdminJson.Name(u.Stage),
            Person(u.Owner), Person(u.Delegate), Person(u.Sponsor),
            u.OrgUnit, u.Workflow, AdminJson.Name(u.PnlLine), u.SuccessCriteria,
            u.LaunchDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            u.TargetUsers, u.Currency,
            new BaselineInput(u.Baseline.MinutesPerTask, u.Baseline.TasksPerWeek, u.Baseline.HourlyCost.Amount,
                u.Baseline.ReworkRateBeforeAi, u.Baseline.MinutesPerException),
            u.DeclaredPilotBenefit, u.PlannedRunCostPerMonth.Amount,
            new StopLossInput(own.MaxReworkRate, own.MinAdoption, own.MaxExceptionRate),
            PolicyParameters.Rules.ToDictionary(p => p.Name, p => p.Get(own), StringComparer.Ordinal),
            PolicyView.From(organisation.For(u)),
            new ScheduleInput(AdminJson.Name(u.CheckInSchedule.Day), u.CheckInSchedule.LocalTime.ToString("HH:mm", CultureInfo.InvariantCulture)),
            u.Retired, stored.RowVersion, stored.CreatedAt, stored.UpdatedAt);
    }

    private static PersonView? Person(PersonRef? person) =>
        person is null ? null : new PersonView(person.AadObjectId, person.DisplayName, person.HasLeftOrganisation);
}

public sealed record UseCasePageView(IReadOnlyList<UseCaseView> Items, int Page, int PageSize, int Total);

public sealed record AuditEntryView(string Field, string? OldValue, string? NewValue, string ChangedBy, DateTime ChangedAt);

public sealed record DecisionInput(string? Decision, string? Reason);

public sealed record DecisionView(long Id, Guid UseCaseId, string Decision, string? Recommendation, string Reason, string DecidedBy, DateTime DecidedAt);

public sealed record MoneyView(decimal Amount, string Currency)
{
    public static MoneyView? Of(Money? money) => money is { } m ? new MoneyView(m.Amount, m.Currency) : null;
}

public sealed record WeekMetricsView(
    string Week, decimal? Adoption, decimal ReworkRate, decimal? ExceptionRate, decimal HoursSaved,
    MoneyView GrossValue, MoneyView ReworkCost, MoneyView ExceptionCost, MoneyView RunCost, MoneyView AbsorptionCost,
    MoneyView NetValue, MoneyView? CostPerOutcome)
{
    /// <summary>s × k of the minutes saved.</summary>
    public decimal EvidenceFactor { get; init; }

    /// <summary>G′ = G × s × k.</summary>
    public MoneyView? AdjustedGrossValue { get; init; }

    /// <summary>Net value (risk-adjusted): G′ − absorption cost; <see cref="NetValue"/> is the net as reported.</summary>
    public MoneyView? AdjustedNetValue { get; init; }

    public static WeekMetricsView? Of(WeeklyMetrics? m) => m is null ? null : new WeekMetricsView(
        m.Week.ToString(), m.Adoption, m.ReworkRate, m.ExceptionRate, m.HoursSaved,
        MoneyView.Of(m.GrossValue)!, MoneyView.Of(m.ReworkCost)!, MoneyView.Of(m.ExceptionCost)!, MoneyView.Of(m.RunCost)!,
        MoneyView.Of(m.AbsorptionCost)!, MoneyView.Of(m.NetValue)!, MoneyView.Of(m.CostPerOutcome))
    {
        EvidenceFactor = m.EvidenceFactor,
        AdjustedGrossValue = MoneyView.Of(m.AdjustedGrossValue),
        AdjustedNetValue = MoneyView.Of(m.AdjustedNetValue),
    };
}

public sealed record RollingView(string From, string To, int AnsweredWeeks, MoneyView? GrossValue, MoneyView? AbsorptionCost, MoneyView? NetValue, decimal? HoursSaved, int Tasks)
{
    /// <summary>Σ G′ over the window.</summary>
    public MoneyView? AdjustedGrossValue { get; init; }

    /// <summary>Net value (risk-adjusted) over the window: Σ of the weekly risk-adjusted nets.</summary>
    public MoneyView? AdjustedNetValue { get; init; }

    /// <summary>Share of the window's gross value resting on measured minutes saved.</summary>
    public decimal? MeasuredShare { get; init; }
}

public sealed record LeakageView(
    decimal? TranslationPoints, MoneyView? Translation, MoneyView? Adoption, MoneyView? Execution, MoneyView? Control, MoneyView? Total,
    int WeeksWithoutData, int MissedCheckIns, int WeeksWithoutOwner);

public sealed record WarningView(string RuleId, string Name, string Reason);

public sealed record GateReasonView(string RuleId, string Text);

public sealed record RecommendationView(string Recommendation, string Headline, bool IsHealthyKill, IReadOnlyList<GateReasonView> Rules);

public sealed record ComplianceView(int Answered, int Due, decimal? Rate);

/// <summary>The evaluation endpoint's answer: the three figures side by side, leakage, warnings and the recommendation with its rules.</summary>
public sealed record EvaluationView(
    Guid UseCaseId, string Week, WeekMetricsView? Latest, WeekMetricsView? Previous, RollingView Rolling, LeakageView Leakage,
    IReadOnlyList<WarningView> Warnings, RecommendationView Recommendation, ComplianceView Compliance)
{
    /// <summary>For a use case linked to Microsoft 365 Copilot: the latest answered week's measured active users beside the owner's.</summary>
    public MeasuredBesideReportedView? Measured { get; init; }

    /// <summary>Risk-adjusted beside raw: the nets believed by their evidence (G × s × k − absorption), which the stage gate reads.</summary>
    public RiskAdjustedView RiskAdjusted { get; init; } = new(null, null, null);

    /// <summary>The manager's verdict on the latest answered week's adoption figure, while it stands (a new answer lifts it).</summary>
    public AdoptionReviewView? AdoptionReview { get; init; }

    public static EvaluationView From(UseCaseEvaluation e) => new(
        e.UseCaseId, e.Week.ToString(), WeekMetricsView.Of(e.Latest?.Metrics), WeekMetricsView.Of(e.Previous?.Metrics),
        new RollingView(e.Rolling.From.ToString(), e.Rolling.To.ToString(), e.Rolling.AnsweredWeeks, MoneyView.Of(e.Rolling.GrossValue),
            MoneyView.Of(e.Rolling.AbsorptionCost), MoneyView.Of(e.Rolling.NetValue), e.Rolling.HoursSaved, e.Rolling.Tasks)
        {
            AdjustedGrossValue = MoneyView.Of(e.Rolling.AdjustedGrossValue),
            AdjustedNetValue = MoneyView.Of(e.Rolling.AdjustedNetValue),
            MeasuredShare = e.Rolling.MeasuredShare,
        },
        new LeakageView(e.Leakage.TranslationPoints, MoneyView.Of(e.Leakage.Translation), MoneyView.Of(e.Leakage.Adoption),
            MoneyView.Of(e.Leakage.Execution), MoneyView.Of(e.Leakage.Control), MoneyView.Of(e.Leakage.Total),
            e.Leakage.WeeksWithoutData, e.Leakage.MissedCheckIns, e.Leakage.WeeksWithoutOwner),
        e.Warnings.Select(w => new WarningView(w.RuleId, w.Name, w.Reason)).ToList(),
        new RecommendationView(UseCaseRegistry.Name(e.Recommendation.Recommendation), e.Recommendation.Headline, e.Recommendation.IsHealthyKill,
            e.Recommendation.Reasons.Select(r => new GateReasonView(r.RuleId, r.Text)).ToList()),
        new ComplianceView(e.Compliance.Answered, e.Compliance.Due, e.Compliance.Rate))
    {
        RiskAdjusted = new RiskAdjustedView(MoneyView.Of(e.Latest?.Metrics.AdjustedNetValue), MoneyView.Of(e.Rolling.AdjustedNetValue), e.Rolling.MeasuredShare),
        AdoptionReview = e.Latest is { Review: { } review } reviewed
            ? new AdoptionReviewView(reviewed.Week.ToString(), review.Verdict == Domain.Evidence.AdoptionVerdict.Disputed ? Evidence.AdoptionReviews.Disputed : Evidence.AdoptionReviews.Confirmed,
                review.ManagerName, review.ReviewedAt)
            : null,
        Measured = e.Latest is { Measured: { } m } latest
            ? new MeasuredBesideReportedView(latest.Week.ToString(), latest.Answer.ActiveUsers, m.ActiveUsers, m.GroupMembers, m.NamesConcealed,
                m.TenantActiveUsers, m.NamesConcealed ? Evidence.EvidenceApi.ConcealedNote : null)
            : null,
    };
}

/// <summary>A manager's verdict ("confirmed" or "disputed") on one week's adoption figure, who gave it and when.</summary>
public sealed record AdoptionReviewView(string Week, string Verdict, string ManagerName, DateTimeOffset? ReviewedAt);

/// <summary>Risk-adjusted net value of the latest week and over the rolling window, and the share of gross value resting on measured minutes.</summary>
public sealed record RiskAdjustedView(MoneyView? LatestAdjustedNetValue, MoneyView? RollingAdjustedNetValue, decimal? MeasuredShare);

/// <summary>Measured beside reported: the owner's active users and those Graph's Copilot usage report shows (null when names are concealed).</summary>
public sealed record MeasuredBesideReportedView(
    string Week, int ReportedActiveUsers, int? MeasuredActiveUsers, int GroupMembers, bool NamesConcealed, int TenantActiveUsers, string? Note);

/// <summary>JSON conventions of the admin API and the names of choices (camelCase, as in the domain's field names).</summary>
public static class AdminJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    public static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    /// <summary>Accepts "processReengineering", "ProcessReengineering" or "process-reengineering"; never a number.</summary>
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var compact = text.Trim().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        return !char.IsAsciiDigit(compact[0]) && Enum.TryParse(compact, ignoreCase: true, out value) && Enum.IsDefined(value);
    }

    public static string Choices<T>() where T : struct, Enum => string.Join(", ", Enum.GetValues<T>().Select(v => Name(v)));
}
