using System.Globalization;
using System.Text.Json.Nodes;
using ValueBot.Domain.Common;
using ValueBot.Domain.UseCases;
using ValueBot.Teams.Cards;
using ValueBot.Web.Admin;

namespace ValueBot.Web.AdminCards;

/// <summary>
/// The "new use case" form an admin fills in their 1:1 chat, and the confirmation that replaces it. The card's
/// inputs are turned into the admin API's <see cref="UseCaseInput"/>, so validation is the API's.
/// </summary>
public static class UseCaseFormCard
{
    public const string CreateVerb = "admin.useCase.create";
    public const string UpdateVerb = "admin.useCase.update";

    /// <summary>The "Edit" button of the registered and updated cards: replaces the card with the edit form.</summary>
    public const string OpenEditVerb = "admin.useCase.edit";

    /// <summary>Data the edit form carries back (not inputs): which use case, the version shown, and the owner as shown.</summary>
    public const string UseCaseIdKey = "useCaseId";
    public const string RowVersionKey = "rowVersion";
    public const string OwnerShownKey = "ownerShown";

    public const string Name = "name";
    public const string Description = "description";
    public const string ValueModelField = "valueModel";
    public const string StageField = "stage";
    public const string OwnerUpn = "ownerUpn";
    public const string PnlLineField = "pnlLine";
    public const string TargetUsers = "targetUsers";
    public const string MinutesPerTask = "minutesPerTask";
    public const string TasksPerWeek = "tasksPerWeek";
    public const string HourlyCost = "hourlyCost";
    public const string Currency = "currency";
    public const string MinutesPerException = "minutesPerException";
    public const string DeclaredPilotBenefitPercent = "declaredPilotBenefitPercent";
    public const string PlannedRunCostPerMonth = "plannedRunCostPerMonth";

    /// <summary>The ids of the card's inputs, in order.</summary>
    public static IReadOnlyList<string> Fields { get; } =
    [
        Name, Description, ValueModelField, StageField, OwnerUpn, PnlLineField, TargetUsers, MinutesPerTask, TasksPerWeek,
        HourlyCost, Currency, MinutesPerException, DeclaredPilotBenefitPercent, PlannedRunCostPerMonth,
    ];

    private static readonly string[] NumberFields =
        [TargetUsers, MinutesPerTask, TasksPerWeek, HourlyCost, MinutesPerException, DeclaredPilotBenefitPercent, PlannedRunCostPerMonth];

    /// <summary>
    /// Reads the submitted values into the admin API's input. A number that does not parse is reported against its
    /// card field (the API's validation then reports it as missing, which is dropped as a duplicate by the caller).
    /// </summary>
    public static (UseCaseInput Input, List<FieldError> FormErrors) ToInput(IReadOnlyDictionary<string, string?> values)
    {
        var errors = new List<FieldError>();
        string? Text(string id) => values.TryGetValue(id, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        decimal? Number(string id)
        {
            if (Text(id) is not { } text)
            {
                return null;
            }

            if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            errors.Add(new FieldError(id, $"'{text}' is not a number."));
            return null;
        }

        int? targetUsers = null;
        if (Number(TargetUsers) is { } users)
        {
            if (users == decimal.Truncate(users) && users is >= int.MinValue and <= int.MaxValue)
            {
                targetUsers = (int)users;
            }
            else
            {
                errors.Add(new FieldError(TargetUsers, "Give the number of target users as a whole number."));
            }
        }

        var input = new UseCaseInput
        {
            Name = Text(Name),
            Description = Text(Description),
            ValueModel = Text(ValueModelField),
            Stage = Text(StageField),
            Owner = new PersonInput(null, null, Text(OwnerUpn) ?? ""),
            PnlLine = Text(PnlLineField),
            TargetUsers = targetUsers,
            Currency = Text(Currency)?.ToUpperInvariant(),
            Baseline = new BaselineInput(Number(MinutesPerTask), Number(TasksPerWeek), Number(HourlyCost), null, Number(MinutesPerException)),
            DeclaredPilotBenefit = Number(DeclaredPilotBenefitPercent) / 100m,
            PlannedRunCostPerMonth = Number(PlannedRunCostPerMonth),
        };
        return (input, errors);
    }

    /// <summary>Maps a field of the admin API's validation to the card input it belongs to.</summary>
    public static string CardField(string apiField) => apiField switch
    {
        "owner" or "owner.upn" or "owner.aadObjectId" or "owner.displayName" => OwnerUpn,
        "baseline.minutesPerTask" => MinutesPerTask,
        "baseline.tasksPerWeek" => TasksPerWeek,
        "baseline.hourlyCost" => HourlyCost,
        "baseline.minutesPerException" => MinutesPerException,
        "baseline" => MinutesPerTask,
        "declaredPilotBenefit" => DeclaredPilotBenefitPercent,
        _ => apiField,
    };

    public static AdaptiveCard Build(IReadOnlyList<FieldError>? errors = null, IReadOnlyDictionary<string, string?>? submitted = null)
    {
        var values = submitted ?? new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [StageField] = "pilot",
            [PnlLineField] = "cost",
            [Currency] = "EUR",
        };
        return Form(
            "New use case", "Register a new AI use case", "register the use case", "Nothing was stored.",
            new ExecuteAction("Register use case", CreateVerb, new JsonObject()) { Style = "positive" },
            values, errors);
    }

    /// <summary>A use case being edited, as the edit form's hidden state.</summary>
    public sealed record EditState(Guid UseCaseId, int RowVersion, string OwnerShown);

    /// <summary>
    /// The edit form for a stored use case: <paramref name="values"/> prefilled (see <see cref="ValuesOf"/>) or as submitted,
    /// with the use case's id, the version shown and the owner as shown carried in the action's data.
    /// </summary>
    public static AdaptiveCard BuildEdit(EditState state, IReadOnlyDictionary<string, string?> values, IReadOnlyList<FieldError>? errors = null)
    {
        var data = new JsonObject
        {
            [UseCaseIdKey] = state.UseCaseId.ToString("D"),
            [RowVersionKey] = state.RowVersion,
            [OwnerShownKey] = state.OwnerShown,
        };
        return Form(
            "Edit use case", "Edit a use case", "save the change", "Nothing was changed.",
            new ExecuteAction("Save changes", UpdateVerb, data) { Style = "positive" },
            values, errors);
    }

    /// <summary>The card's values for a stored use case; <paramref name="ownerText"/> is how the owner is shown (UPN, email or id).</summary>
    public static Dictionary<string, string?> ValuesOf(UseCase useCase, string ownerText) => new(StringComparer.Ordinal)
    {
        [Name] = useCase.Name,
        [Description] = useCase.Description,
        [ValueModelField] = AdminJson.Name(useCase.ValueModel),
        [StageField] = AdminJson.Name(useCase.Stage),
        [OwnerUpn] = ownerText,
        [PnlLineField] = AdminJson.Name(useCase.PnlLine),
        [TargetUsers] = useCase.TargetUsers.ToString(CultureInfo.InvariantCulture),
        [MinutesPerTask] = UseCaseCsv.Number(useCase.Baseline.MinutesPerTask),
        [TasksPerWeek] = UseCaseCsv.Number(useCase.Baseline.TasksPerWeek),
        [HourlyCost] = UseCaseCsv.Number(useCase.Baseline.HourlyCost.Amount),
        [Currency] = useCase.Currency,
        [MinutesPerException] = UseCaseCsv.Number(useCase.Baseline.MinutesPerException),
        [DeclaredPilotBenefitPercent] = UseCaseCsv.Number(useCase.DeclaredPilotBenefit * 100m),
        [PlannedRunCostPerMonth] = UseCaseCsv.Number(useCase.PlannedRunCostPerMonth.Amount),
    };

    private static AdaptiveCard Form(
        string title, string fallback, string purpose, string nothingDone, ExecuteAction action,
        IReadOnlyDictionary<string, string?> values, IReadOnlyList<FieldError>? errors)
    {
        var byField = (errors ?? [])
            .GroupBy(e => CardField(e.Field), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => string.Join(" ", g.Select(e => e.Message).Distinct()), StringComparer.Ordinal);

        var card = new AdaptiveCard { FallbackText = fallback };
        card.Add(new TextBlock(title) { Size = "Medium", Weight = "Bolder" });
        card.Add(new TextBlock("Name the owner by email or UPN. Capture the baseline as it was before AI; shares are in %.") { IsSubtle = true });
        if (byField.Count > 0)
        {
            card.Add(new TextBlock(byField.Count == 1
                ? $"One field needs fixing before I can {purpose} (see below). {nothingDone}"
                : $"{byField.Count} fields need fixing before I can {purpose} (see below). {nothingDone}")
            { Color = "Attention", Weight = "Bolder" });
            // Errors that belong to no input of this card (e.g. a field the card does not show).
            foreach (var (field, message) in byField.Where(p => !Fields.Contains(p.Key)))
            {
                card.Add(new TextBlock($"{field}: {CardText.Escape(message)}") { Color = "Attention", Size = "Small" });
            }
        }

        void Field(CardInput input)
        {
            card.Add(input);
            if (input.Id is { } id && byField.TryGetValue(id, out var message))
            {
                input.ErrorMessage = message;
                card.Add(new TextBlock(CardText.Escape(message)) { Color = "Attention", Spacing = "None", Size = "Small" });
            }
        }

        Field(Text(Name, "Name", values, isRequired: true, maxLength: UseCase.MaxNameLength));
        Field(Text(Description, "Description", values, multiline: true, maxLength: 4000));
        Field(Choices<ValueModel>(ValueModelField, "Value model", values, isRequired: true));
        Field(Choices<Stage>(StageField, "Stage", values));
        Field(Text(OwnerUpn, "Owner (email or UPN)", values, isRequired: true, maxLength: 320));
        Field(Choices<PnlLine>(PnlLineField, "P&L line it moves", values));
        Field(Number(TargetUsers, "Target users (the population expected to use it)", values, min: 1m));
        card.Add(new TextBlock("Baseline before AI") { Weight = "Bolder", Separator = true });
        Field(Number(MinutesPerTask, "Minutes per task", values));
        Field(Number(TasksPerWeek, "Tasks per week", values));
        Field(Number(HourlyCost, "Loaded hourly cost of the people doing the work", values));
        Field(Text(Currency, "Currency (three letters, e.g. EUR)", values, isRequired: true, maxLength: 3));
        Field(Number(MinutesPerException, "Minutes to handle one exception by hand", values));
        card.Add(new TextBlock("Plan") { Weight = "Bolder", Separator = true });
        Field(Number(DeclaredPilotBenefitPercent, "Declared pilot benefit (% less effort per task)", values, max: 100m));
        Field(Number(PlannedRunCostPerMonth, "Planned run cost per month", values));

        card.AddAction(action.WithSubmitFallback());
        return card;
    }

    /// <summary>What replaces the edit form once the change is stored: the updated summary and what changed.</summary>
    public static AdaptiveCard Updated(UseCase useCase, IReadOnlyList<FieldChange> changes, int rowVersion, string changedBy)
    {
        var owner = CardText.Escape(useCase.Owner?.DisplayName ?? "nobody");
        var name = CardText.Escape(useCase.Name);
        var card = new AdaptiveCard { FallbackText = $"Updated {CardText.Clean(useCase.Name)}: {changes.Count} change(s)" };
        card.Add(new TextBlock(changes.Count == 0 ? $"No change: {name}" : $"Updated: {name}") { Size = "Medium", Weight = "Bolder" });
        card.Add(new FactSet
        {
            Facts =
            {
                new Fact("Owner", owner),
                new Fact("Value model", AdminJson.Name(useCase.ValueModel)),
                new Fact("Stage", AdminJson.Name(useCase.Stage)),
                new Fact("Target users", useCase.TargetUsers.ToString(CultureInfo.InvariantCulture)),
                new Fact("Baseline", $"{UseCaseCsv.Number(useCase.Baseline.MinutesPerTask)} min per task, {UseCaseCsv.Number(useCase.Baseline.TasksPerWeek)} tasks per week at {useCase.Baseline.HourlyCost} per hour"),
                new Fact("Declared pilot benefit", $"{UseCaseCsv.Number(useCase.DeclaredPilotBenefit * 100m)} %"),
                new Fact("Planned run cost per month", useCase.PlannedRunCostPerMonth.ToString()),
                new Fact("Version", rowVersion.ToString(CultureInfo.InvariantCulture)),
                new Fact("Changed by", CardText.Escape(changedBy)),
            },
        });
        if (changes.Count > 0)
        {
            card.Add(new TextBlock("What changed") { Weight = "Bolder", Separator = true });
            var facts = new FactSet();
            foreach (var change in changes)
            {
                facts.Facts.Add(new Fact(change.Field, $"{CardText.Escape(change.OldValue ?? "–")} → {CardText.Escape(change.NewValue ?? "–")}"));
            }

            card.Add(facts);
        }
        else
        {
            card.Add(new TextBlock("The values you saved are the ones already stored; nothing was changed.") { IsSubtle = true, Wrap = true });
        }

        card.AddAction(EditAction(useCase.Id));
        return card;
    }

    /// <summary>What replaces the form once the use case is stored.</summary>
    public static AdaptiveCard Registered(UseCase useCase, string registeredBy)
    {
        var owner = CardText.Escape(useCase.Owner?.DisplayName ?? "nobody");
        var card = new AdaptiveCard { FallbackText = $"Registered {CardText.Clean(useCase.Name)}, owned by {CardText.Clean(useCase.Owner?.DisplayName ?? "nobody")}" };
        card.Add(new TextBlock($"Registered: {CardText.Escape(useCase.Name)}") { Size = "Medium", Weight = "Bolder" });
        card.Add(new FactSet
        {
            Facts =
            {
                new Fact("Owner", owner),
                new Fact("Value model", AdminJson.Name(useCase.ValueModel)),
                new Fact("Stage", AdminJson.Name(useCase.Stage)),
                new Fact("Registered by", CardText.Escape(registeredBy)),
            },
        });
        card.Add(new TextBlock($"{owner} gets the weekly check-in from the next scheduled week.") { IsSubtle = true });
        card.AddAction(EditAction(useCase.Id));
        return card;
    }

    private static ExecuteAction EditAction(Guid useCaseId) =>
        new ExecuteAction("Edit", OpenEditVerb, new JsonObject { [UseCaseIdKey] = useCaseId.ToString("D") }).WithSubmitFallback();

    private static TextInput Text(string id, string label, IReadOnlyDictionary<string, string?> values, bool multiline = false, bool isRequired = false, int? maxLength = null) => new()
    {
        Id = id,
        Label = label,
        IsRequired = isRequired ? true : null,
        IsMultiline = multiline ? true : null,
        MaxLength = maxLength,
        Value = values.TryGetValue(id, out var text) && !string.IsNullOrEmpty(text) ? text : null,
    };

    private static NumberInput Number(string id, string label, IReadOnlyDictionary<string, string?> values, decimal min = 0m, decimal? max = null) => new()
    {
        Id = id,
        Label = label,
        Min = min,
        Max = max,
        Value = values.TryGetValue(id, out var text) && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : null,
    };

    private static ChoiceSetInput Choices<T>(string id, string label, IReadOnlyDictionary<string, string?> values, bool isRequired = false) where T : struct, Enum
    {
        var names = Enum.GetValues<T>().Select(v => AdminJson.Name(v)).ToList();
        var input = new ChoiceSetInput
        {
            Id = id,
            Label = label,
            Style = "compact",
            IsRequired = isRequired ? true : null,
            Value = values.TryGetValue(id, out var text) && text is not null && names.Contains(text) ? text : null,
        };
        foreach (var value in Enum.GetValues<T>())
        {
            input.Choices.Add(new Choice(Title(value.ToString()), AdminJson.Name(value)));
        }

        return input;
    }

    /// <summary>"ProcessReengineering" → "Process reengineering".</summary>
    private static string Title(string pascal) =>
        string.Concat(pascal.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString()));
}
