using ValueBot.Domain.Common;
using ValueBot.Domain.Evidence;
using ValueBot.Domain.UseCases;

namespace ValueBot.Domain.CheckIns;

/// <summary>The outcome of validating a submitted card: an answer, or the errors to show on the card.</summary>
public sealed record AnswerValidationResult(Answer? Answer, IReadOnlyList<FieldError> Errors)
{
    public bool IsValid => Answer is not null;
}

/// <summary>
/// Turns the raw values of a submitted check-in card (strings keyed by field id) into an
/// <see cref="Answer"/>, or into plain-language errors and nothing stored.
/// </summary>
public static class AnswerValidator
{
    public const int MaxTextLength = 2000;

    private const decimal MaxMinutes = 10_000m;
    private const decimal MaxMoney = 1_000_000_000m;
    private const int MaxCount = 100_000_000;

    public static AnswerValidationResult Validate(UseCase useCase, IReadOnlyDictionary<string, string?> raw)
    {
        var errors = new List<FieldError>();
        var reader = new Reader(raw, errors);

        var activeUsers = reader.Count(AnswerFields.ActiveUsers, "active users", required: true);
        var tasks = reader.Count(AnswerFields.Tasks, "tasks handled with AI", required: true);
        var minutesSaved = reader.Number(AnswerFields.MinutesSavedPerTask, "minutes saved per task", required: true,
            0m, MaxMinutes, "If AI made tasks slower, enter 0 and describe it as a blocker.");
        var reworkPercent = reader.Percent(AnswerFields.ReworkPercent, "rework", required: true);
        var minutesPerCorrection = reader.Number(AnswerFields.MinutesPerCorrection, "minutes per correction",
            required: reworkPercent > 0m, 0m, MaxMinutes);
        var exceptions = reader.Count(AnswerFields.Exceptions, "exceptions", required: true);
        var incidents = reader.Count(AnswerFields.QualityIncidents, "quality incidents", required: false);
        var incidentNote = reader.Text(AnswerFields.QualityIncidentNote);
        if (incidents > 0 && incidentNote is null)
        {
            errors.Add(new FieldError(AnswerFields.QualityIncidentNote,
                "Add a short note on what went wrong in the quality incidents."));
        }

        var modelChanged = reader.YesNo(AnswerFields.ModelChanged, "whether the model, prompt or configuration changed");
        var modelChangeNote = reader.Text(AnswerFields.ModelChangeNote);

        var currency = useCase.Currency;
        var licences = reader.Number(AnswerFields.RunCostLicences, "licence and token cost", required: false, 0m, MaxMoney);
        var support = reader.Number(AnswerFields.RunCostSupport, "support cost", required: false, 0m, MaxMoney);
        var integration = reader.Number(AnswerFields.RunCostIntegration, "integration and maintenance cost",
            required: false, 0m, MaxMoney);

        var backlog = reader.Choice(AnswerFields.BacklogShrinking, "whether the backlog is shrinking",
            BacklogShrinking.NotMeasured,
            ("yes", BacklogShrinking.Yes), ("no", BacklogShrinking.No), ("notMeasured", BacklogShrinking.NotMeasured));
        var win = reader.Text(AnswerFields.Win);
        var shareWin = reader.YesNo(AnswerFields.ShareWin, "whether to share the win with leadership");
        if (shareWin && win is null)
        {
            errors.Add(new FieldError(AnswerFields.Win, "Describe the win you want to share with leadership."));
        }

        var blocker = reader.Text(AnswerFields.Blocker);
        var call = reader.Choice(AnswerFields.OwnersCall, "your call", null,
            ("onTrack", OwnersCall.OnTrack), ("atRisk", OwnersCall.AtRisk), ("offTrack", OwnersCall.OffTrack));
        var proposesStop = reader.YesNo(AnswerFields.ProposeStop, "whether you propose stopping");

        var minutesEvidence = reader.Grade(AnswerFields.MinutesSavedSource, AnswerFields.MinutesSavedConfidence, "the minutes saved");
        var usersEvidence = reader.Grade(AnswerFields.ActiveUsersSource, AnswerFields.ActiveUsersConfidence, "the active users");
        var freedTime = reader.Choice(AnswerFields.FreedTime, "where the freed time went", FreedTime.NotSaid,
            ("capacity", FreedTime.Capacity), ("redeployed", FreedTime.Redeployed), ("absorbed", FreedTime.Absorbed),
            ("notSaid", FreedTime.NotSaid));

        var modelAnswers = new Dictionary<string, ModelAnswer>(StringComparer.Ordinal);
        foreach (var question in ModelQuestions.For(useCase.ValueModel))
        {
            var field = AnswerFields.Model(question.Key);
            var label = question.Label;
            ModelAnswer? value = question.Kind switch
            {
                ModelQuestionKind.Count => reader.OptionalCount(field, label) is { } n ? ModelAnswer.Of(n) : null,
                ModelQuestionKind.Hours => reader.Number(field, label, required: false, 0m, MaxMinutes) is { } h
                    ? ModelAnswer.Of(h) : null,
                ModelQuestionKind.Percent => reader.Percent(field, label, required: false) is { } p
                    ? ModelAnswer.Of(p / 100m) : null,
                _ => reader.Text(field) is { } t ? ModelAnswer.Of(t) : null,
            };
            if (value is { } answer)
            {
                modelAnswers[question.Key] = answer;
            }
        }

        if (errors.Count > 0)
        {
            return new AnswerValidationResult(null, errors);
        }

        var result = new Answer
        {
            ActiveUsers = activeUsers ?? 0,
            Tasks = tasks ?? 0,
            MinutesSavedPerTask = minutesSaved ?? 0m,
            ReworkShare = (reworkPercent ?? 0m) / 100m,
            MinutesPerCorrection = minutesPerCorrection ?? 0m,
            Exceptions = exceptions ?? 0,
            QualityIncidents = incidents ?? 0,
            QualityIncidentNote = incidentNote,
            ModelChanged = modelChanged,
            ModelChangeNote = modelChangeNote,
            RunCost = new RunCost(
                new Money(licences ?? 0m, currency),
                new Money(support ?? 0m, currency),
                new Money(integration ?? 0m, currency)),
            BacklogShrinking = backlog ?? BacklogShrinking.NotMeasured,
            Win = win,
            ShareWinWithLeadership = shareWin,
            Blocker = blocker,
            OwnersCall = call ?? OwnersCall.OnTrack,
            ProposesStopping = proposesStop,
            MinutesSavedEvidence = minutesEvidence,
            ActiveUsersEvidence = usersEvidence,
            FreedTime = freedTime ?? FreedTime.NotSaid,
            ModelAnswers = modelAnswers,
        };
        return new AnswerValidationResult(result, []);
    }

    private sealed class Reader(IReadOnlyDictionary<string, string?> raw, List<FieldError> errors)
    {
        private string? Get(string field) =>
            raw.TryGetValue(field, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        public int? Count(string field, string label, bool required)
        {
            var text = Get(field);
            if (text is null)
            {
                if (required)
                {
                    errors.Add(new FieldError(field, $"Enter the number of {label} this week (0 if none)."));
                }

                return null;
            }

            return Whole(field, text, label, $"The number of {label} must be a whole number of 0 or more.");
        }

        public int? OptionalCount(string field, string label)
        {
            var text = Get(field);
            if (text is null)
            {
                return null;
            }

            return Whole(field, text, label, $"{label}: enter a whole number of 0 or more.");
        }

        private int? Whole(string field, string text, string label, string message)
        {
            if (!EnteredNumber.TryParse(text, out var number, out var problem))
            {
                errors.Add(new FieldError(field, problem == EnteredNumberProblem.Ambiguous ? EnteredNumber.AmbiguousMessage(label, text) : message));
                return null;
            }

            if (number < 0m || number > MaxCount || number != decimal.Truncate(number))
            {
                errors.Add(new FieldError(field, message));
                return null;
            }

            return (int)number;
        }

        public decimal? Number(string field, string label, bool required, decimal min, decimal max, string? hint = null)
        {
            var text = Get(field);
            if (text is null)
            {
                if (required)
                {
                    errors.Add(new FieldError(field, $"Enter the {label}."));
                }

                return null;
            }

            if (!EnteredNumber.TryParse(text, out var value, out var problem))
            {
                errors.Add(new FieldError(field, problem == EnteredNumberProblem.Ambiguous
                    ? EnteredNumber.AmbiguousMessage(label, text)
                    : $"The {label} must be a number, like 12 or 7.5."));
                return null;
            }

            if (value < min || value > max)
            {
                var message = $"The {label} must be between {Figures.Number(min)} and {Figures.Number(max)}.";
                errors.Add(new FieldError(field, hint is null ? message : message + " " + hint));
                return null;
            }

            return value;
        }

        /// <summary>Entered as a percentage 0–100; returned as entered.</summary>
        public decimal? Percent(string field, string label, bool required)
        {
            var text = Get(field);
            if (text is null)
            {
                if (required)
                {
                    errors.Add(new FieldError(field, $"Enter the {label} as a percentage from 0 to 100."));
                }

                return null;
            }

            var number = text.TrimEnd('%').TrimEnd();
            if (!EnteredNumber.TryParse(number, out var value, out var problem))
            {
                errors.Add(new FieldError(field, problem == EnteredNumberProblem.Ambiguous
                    ? EnteredNumber.AmbiguousMessage(label, number)
                    : $"The {label} must be a percentage from 0 to 100."));
                return null;
            }

            if (value < 0m || value > 100m)
            {
                errors.Add(new FieldError(field, $"The {label} must be a percentage from 0 to 100."));
                return null;
            }

            return value;
        }

        public string? Text(string field)
        {
            var text = Get(field);
            if (text is not null && text.Length > MaxTextLength)
            {
                errors.Add(new FieldError(field, $"Keep this under {MaxTextLength} characters."));
                return null;
            }

            return text;
        }

        public bool YesNo(string field, string label)
        {
            var text = Get(field);
            switch (text?.ToLowerInvariant())
            {
                case null or "false" or "no" or "0":
                    return false;
                case "true" or "yes" or "1":
                    return true;
                default:
                    errors.Add(new FieldError(field, $"Answer yes or no for {label}."));
                    return false;
            }
        }

        public T? Choice<T>(string field, string label, T? fallback, params (string Value, T Choice)[] choices)
            where T : struct
        {
            var text = Get(field);
            if (text is null)
            {
                if (fallback is null)
                {
                    errors.Add(new FieldError(field, $"Pick {label}."));
                }

                return fallback;
            }

            foreach (var (value, choice) in choices)
            {
                if (string.Equals(value, text, StringComparison.OrdinalIgnoreCase))
                {
                    return choice;
                }
            }

            errors.Add(new FieldError(field, $"Pick one of the offered options for {label}."));
            return null;
        }

        /// <summary>Source and confidence of one figure; each left out is DOMAIN.md's default (estimated, medium).</summary>
        public EvidenceGrade Grade(string sourceField, string confidenceField, string label)
        {
            var source = Choice(sourceField, $"where {label} come from", EvidenceSource.Estimated,
                ("measured", EvidenceSource.Measured), ("estimated", EvidenceSource.Estimated), ("guessed", EvidenceSource.Guessed));
            var confidence = Choice(confidenceField, $"how sure you are of {label}", EvidenceConfidence.Medium,
                ("high", EvidenceConfidence.High), ("medium", EvidenceConfidence.Medium), ("low", EvidenceConfidence.Low));
            return new EvidenceGrade(source ?? EvidenceSource.Estimated, confidence ?? EvidenceConfidence.Medium);
        }
    }
}
