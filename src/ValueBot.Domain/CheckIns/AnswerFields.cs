using System.Globalization;
using ValueBot.Domain.Evidence;
using ValueBot.Domain.UseCases;

namespace ValueBot.Domain.CheckIns;

/// <summary>Field ids of the check-in card's inputs, shared by the card and <see cref="AnswerValidator"/>.</summary>
public static class AnswerFields
{
    public const string ActiveUsers = "activeUsers";
    public const string Tasks = "tasks";
    public const string MinutesSavedPerTask = "minutesSavedPerTask";
    public const string ReworkPercent = "reworkPercent";
    public const string MinutesPerCorrection = "minutesPerCorrection";
    public const string Exceptions = "exceptions";
    public const string QualityIncidents = "qualityIncidents";
    public const string QualityIncidentNote = "qualityIncidentNote";
    public const string ModelChanged = "modelChanged";
    public const string ModelChangeNote = "modelChangeNote";
    public const string RunCostLicences = "runCostLicences";
    public const string RunCostSupport = "runCostSupport";
    public const string RunCostIntegration = "runCostIntegration";
    public const string BacklogShrinking = "backlogShrinking";
    public const string Win = "win";
    public const string ShareWin = "shareWin";
    public const string Blocker = "blocker";
    public const string OwnersCall = "ownersCall";
    public const string ProposeStop = "proposeStop";
    public const string MinutesSavedSource = "minutesSavedSource";
    public const string MinutesSavedConfidence = "minutesSavedConfidence";
    public const string ActiveUsersSource = "activeUsersSource";
    public const string ActiveUsersConfidence = "activeUsersConfidence";
    public const string FreedTime = "freedTime";

    /// <summary>The owner's "yes, these numbers are right" for an implausible answer.</summary>
    public const string ConfirmOutlier = "confirmOutlier";

    /// <summary>Value-model questions use "model." followed by the question key.</summary>
    public const string ModelPrefix = "model.";

    public static string Model(string key) => ModelPrefix + key;

    /// <summary>The card's input values for an answer: prefills next week's card ("nothing changed").</summary>
    public static Dictionary<string, string> ToFormValues(Answer answer, ValueModel valueModel)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ActiveUsers] = Format(answer.ActiveUsers),
            [Tasks] = Format(answer.Tasks),
            [MinutesSavedPerTask] = Format(answer.MinutesSavedPerTask),
            [ReworkPercent] = Format(answer.ReworkShare * 100m),
            [MinutesPerCorrection] = Format(answer.MinutesPerCorrection),
            [Exceptions] = Format(answer.Exceptions),
            [QualityIncidents] = Format(answer.QualityIncidents),
            [ModelChanged] = answer.ModelChanged ? "true" : "false",
            [RunCostLicences] = Format(answer.RunCost.LicencesAndTokens.Amount),
            [RunCostSupport] = Format(answer.RunCost.Support.Amount),
            [RunCostIntegration] = Format(answer.RunCost.IntegrationAndMaintenance.Amount),
            [BacklogShrinking] = answer.BacklogShrinking switch
            {
                CheckIns.BacklogShrinking.Yes => "yes",
                CheckIns.BacklogShrinking.No => "no",
                _ => "notMeasured",
            },
            [OwnersCall] = answer.OwnersCall switch
            {
                CheckIns.OwnersCall.AtRisk => "atRisk",
                CheckIns.OwnersCall.OffTrack => "offTrack",
                _ => "onTrack",
            },
        };
        values[MinutesSavedSource] = EvidenceGrade.Word(answer.MinutesSavedEvidence.Source);
        values[MinutesSavedConfidence] = EvidenceGrade.Word(answer.MinutesSavedEvidence.Confidence);
        values[ActiveUsersSource] = EvidenceGrade.Word(answer.ActiveUsersEvidence.Source);
        values[ActiveUsersConfidence] = EvidenceGrade.Word(answer.ActiveUsersEvidence.Confidence);
        foreach (var question in ModelQuestions.For(valueModel))
        {
            if (!answer.ModelAnswers.TryGetValue(question.Key, out var value))
            {
                continue;
            }

            if (value.Number is { } number)
            {
                values[Model(question.Key)] = Format(question.Kind == ModelQuestionKind.Percent ? number * 100m : number);
            }
            else if (value.Text is { } text)
            {
                values[Model(question.Key)] = text;
            }
        }

        return values;
    }

    /// <summary>
    /// Every input value of a stored answer, its texts and flags included: prefills the card of the week it answers, so
    /// that sending that card again changes only what the owner changed.
    /// </summary>
    public static Dictionary<string, string> ToStoredFormValues(Answer answer, ValueModel valueModel)
    {
        var values = ToFormValues(answer, valueModel);
        values[ShareWin] = answer.ShareWinWithLeadership ? "true" : "false";
        values[ProposeStop] = answer.ProposesStopping ? "true" : "false";
        values[FreedTime] = answer.FreedTime switch
        {
            Evidence.FreedTime.Capacity => "capacity",
            Evidence.FreedTime.Redeployed => "redeployed",
            Evidence.FreedTime.Absorbed => "absorbed",
            _ => "notSaid",
        };
        foreach (var (field, text) in new[]
                 {
                     (QualityIncidentNote, answer.QualityIncidentNote), (ModelChangeNote, answer.ModelChangeNote),
                     (Win, answer.Win), (Blocker, answer.Blocker),
                 })
        {
            if (text is not null)
            {
                values[field] = text;
            }
        }

        return values;
    }

    private static string Format(decimal value) => EnteredNumber.Format(value);

    private static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);
}
