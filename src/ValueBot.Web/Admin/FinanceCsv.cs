using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using ValueBot.Domain.Common;
using ValueBot.Domain.Evidence;
using ValueBot.Domain.Metrics;
using ValueBot.Web.Persistence;
using ValueBot.Web.UseCases;


namespace ValueBot.Web.Admin;

/// <summary>CSV for finance: every stored answer, and the weekly metrics per use case per answered week.</summary>
public static class FinanceCsv
{
    public static async Task<FileContentHttpResult> AnswersAsync(UseCaseRegistry registry, CheckIns.CheckInHistory history, CancellationToken cancellationToken)
    {
        var useCases = (await registry.AllAsync(cancellationToken)).ToDictionary(s => s.UseCase.Id, s => s.UseCase);
        var output = new StringBuilder();
        CsvText.WriteRow(output,
        [
            "useCaseId", "useCaseName", "week", "status", "answeredBy", "answeredAt", "activeUsers", "tasks", "minutesSavedPerTask",
            "reworkShare", "minutesPerCorrection", "exceptions", "qualityIncidents", "modelChanged", "runCostLicencesAndTokens",
            "runCostSupport", "runCostIntegrationAndMaintenance", "runCostTotal", "currency", "backlogShrinking", "ownersCall",
            "proposesStopping", "win", "blocker",
        ]);
        foreach (var week in await history.StoredWeeksAsync(null, cancellationToken))
        {
            var name = useCases.TryGetValue(week.UseCaseId, out var u) ? u.Name : "";
            var a = week.Answer;
            CsvText.WriteRow(output,
            [
                week.UseCaseId.ToString("D"), name, week.Week.ToString(), AdminJson.Name(week.Status), week.AnsweredBy,
                week.AnsweredAt?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                a?.ActiveUsers.ToString(CultureInfo.InvariantCulture), a?.Tasks.ToString(CultureInfo.InvariantCulture),
                N(a?.MinutesSavedPerTask), N(a?.ReworkShare), N(a?.MinutesPerCorrection),
                a?.Exceptions.ToString(CultureInfo.InvariantCulture), a?.QualityIncidents.ToString(CultureInfo.InvariantCulture),
                a is null ? null : a.ModelChanged ? "true" : "false",
                N(a?.RunCost.LicencesAndTokens.Amount), N(a?.RunCost.Support.Amount), N(a?.RunCost.IntegrationAndMaintenance.Amount),
                N(a?.RunCost.Total.Amount), a?.RunCost.Total.Currency ?? u?.Currency,
                a is null ? null : AdminJson.Name(a.BacklogShrinking), a is null ? null : AdminJson.Name(a.OwnersCall),
                a is null ? null : a.ProposesStopping ? "true" : "false", a?.Win, a?.Blocker,
            ]);
        }

        return CsvText.File(output.ToString(), "answers.csv");
    }

    /// <summary>
    /// The weekly metrics, with the risk-adjusted figures beside the raw ones (the organisation's evidence factors, as the
    /// digests and the API use them) and the evidence behind them: the source and confidence of the minutes saved, the
    /// manager's verdict on the adoption figure, whether the week is an unconfirmed outlier.
    /// </summary>
    public static async Task<FileContentHttpResult> MetricsAsync(UseCaseRegistry registry, CheckIns.CheckInHistory history, ValueBotDbContext db, CancellationToken cancellationToken)
    {
        var useCases = (await registry.AllAsync(cancellationToken)).ToDictionary(s => s.UseCase.Id, s => s.UseCase);
        var factors = registry.OrganisationPolicy.Evidence;
        var reviews = await Evidence.WeekEvidence.ReviewsAsync(db, cancellationToken);
        var output = new StringBuilder();
        CsvText.WriteRow(output,
        [
            "useCaseId", "useCaseName", "week", "currency", "adoption", "reworkRate", "exceptionRate", "hoursSaved", "grossValue",
            "reworkCost", "exceptionCost", "runCost", "absorptionCost", "netValue", "costPerOutcome",
            "translationLeakagePoints", "translationLeakage", "adoptionLeakage", "executionLeakage", "controlLeakage",
            "minutesSavedSource", "minutesSavedConfidence", "evidenceFactor", "adjustedGrossValue", "netValueRiskAdjusted", "adoptionReview",
            "unconfirmedOutlier",
        ]);
        foreach (var week in await history.StoredWeeksAsync(null, cancellationToken))
        {
            if (week.Answer is null || !useCases.TryGetValue(week.UseCaseId, out var useCase))
            {
                continue;
            }

            var computed = AnsweredWeek.Compute(useCase, week.Week, week.Answer, factors);
            var review = reviews.TryGetValue((useCase.Id, week.Week.ToString()), out var r) && Evidence.WeekEvidence.StillStands(r, week.AnsweredAt) ? r.Verdict : null;
            var grade = week.Answer.MinutesSavedEvidence;
            var m = computed.Metrics;
            var l = computed.Leakage;
            CsvText.WriteRow(output,
            [
                useCase.Id.ToString("D"), useCase.Name, week.Week.ToString(), useCase.Currency, N(m.Adoption), N(m.ReworkRate),
                N(m.ExceptionRate), N(m.HoursSaved), M(m.GrossValue), M(m.ReworkCost), M(m.ExceptionCost), M(m.RunCost),
                M(m.AbsorptionCost), M(m.NetValue), M(m.CostPerOutcome), N(l.TranslationPoints), M(l.Translation), M(l.Adoption),
                M(l.Execution), M(l.Control), EvidenceGrade.Word(grade.Source), EvidenceGrade.Word(grade.Confidence), N(m.EvidenceFactor),
                M(m.AdjustedGrossValue), M(m.AdjustedNetValue), review, week.Answer.IsOutlier ? "true" : "false",
            ]);
        }

        return CsvText.File(output.ToString(), "metrics.csv");
    }

    // Ratios with a zero denominator are "not defined": an empty cell, never 0.
    private static string? N(decimal? value) => value is { } v ? v.ToString("0.######", CultureInfo.InvariantCulture) : null;

    private static string? M(Money? value) => value is { } m ? m.Amount.ToString("0.00", CultureInfo.InvariantCulture) : null;
}
