using System.Globalization;
using System.Text.Json.Nodes;
using ValueBot.Domain.Common;
using ValueBot.Domain.Policies;
using ValueBot.Domain.Scheduling;
using ValueBot.Domain.UseCases;
using ValueBot.Teams.Cards;
using ValueBot.Web.Admin;

namespace ValueBot.Web.AdminCards;

/// <summary>The page of the use-case form an admin sees.</summary>
public enum FormPage
{
    /// <summary>What every use case needs: name, model, stage, owner, baseline, plan.</summary>
    Essentials,

    /// <summary>The rest of DOMAIN.md's use case: delegate, sponsor, the owner's manager, org unit, workflow, success
    /// criteria, launch date, stop-loss thresholds, check-in schedule.</summary>
    More,
}

/// <summary>What the form shows as the organisation's: the stop-loss thresholds a blank field follows, and when the week closes.</summary>
public sealed record FormSettings(StopLossThresholds StopLoss, WeeklyMoment Deadline)
{
    public static FormSettings Default { get; } = new(StopLossThresholds.Default, CadenceSettings.Default.Deadline);
}

/// <summary>
/// The "new use case" form an admin fills in their 1:1 chat, and the confirmation that replaces it. The card's
/// inputs are turned into the admin API's <see cref="UseCaseInput"/>, so validation is the API's. The form has two
/// pages (<see cref="FormPage"/>); each carries the other page's values in its actions' data, so either page's
/// button submits every field, and "More settings" / "Back" (<see cref="PageVerb"/>) only turn the page.
/// </summary>
public static class UseCaseFormCard
{
    public const string CreateVerb = "admin.useCase.create";
    public const string UpdateVerb = "admin.useCase.update";

    /// <summary>The "Edit" button of the registered and updated cards: replaces the card with the edit form.</summary>
    public const string OpenEditVerb = "admin.useCase.edit";

    /// <summary>"More settings" and "Back": the same form on its other page, nothing stored.</summary>
    public const string PageVerb = "admin.useCase.page";

    /// <summary>Data the edit form carries back (not inputs): which use case, the version shown, and the people as shown.</summary>
    public const string UseCaseIdKey = "useCaseId";
    public const string RowVersionKey = "rowVersion";
    public const string OwnerShownKey = "ownerShown";
    public const string DelegateShownKey = "delegateShown";
    public const string SponsorShownKey = "sponsorShown";
    public const string ManagerShownKey = "managerShown";

    /// <summary>In <see cref="PageVerb"/>'s data: the page to show (<c>essentials</c> or <c>more</c>).</summary>
    public const string PageKey = "page";

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
    public const string ReworkBeforeAiPercent = "reworkRateBeforeAiPercent";
    public const string DeclaredPilotBenefitPercent = "declaredPilotBenefitPercent";
    public const string PlannedRunCostPerMonth = "plannedRunCostPerMonth";

    public const string DelegateUpn = "delegateUpn";
    public const string SponsorUpn = "sponsorUpn";
    public const string ManagerUpn = "managerUpn";
    public const string OrgUnit = "orgUnit";
    public const string Workflow = "workflow";
    public const string SuccessCriteria = "successCriteria";
    public const string LaunchDate = "launchDate";
    public const string MaxReworkPercent = "maxReworkPercent";
    public const string MinAdoptionPercent = "minAdoptionPercent";
    public const string MaxExceptionRatePercent = "maxExceptionRatePercent";
    public const string CheckInDay = "checkInDay";
    public const string CheckInTime = "checkInTime";

    /// <summary>The inputs of the first page, in order.</summary>
    public static IReadOnlyList<string> EssentialFields { get; } =
    [
        Name, Description, ValueModelField, StageField, OwnerUpn, PnlLineField, TargetUsers, MinutesPerTask, TasksPerWeek,
        HourlyCost, Currency, MinutesPerException, ReworkBeforeAiPercent, DeclaredPilotBenefitPercent, PlannedRunCostPerMonth,
    ];

    /// <summary>The inputs of "More settings", in order.</summary>
    public static IReadOnlyList<string> MoreFields { get; } =
    [
        DelegateUpn, SponsorUpn, ManagerUpn, OrgUnit, Workflow, SuccessCriteria, LaunchDate,
        MaxReworkPercent, MinAdoptionPercent, MaxExceptionRatePercent, CheckInDay, CheckInTime,
    ];

    /// <summary>The ids of every input of the form, both pages.</summary>
    public static IReadOnlyList<string> Fields { get; } = [.. EssentialFields, .. MoreFields];

    private static readonly DayOfWeek[] WeekDays =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    /// <summary>
    /// Reads the submitted values into the admin API's input. A number that does not parse is reported against its
    /// card field (the API's validation then reports it as missing, which is dropped as a duplicate by the caller).
    /// People are given by UPN or email; shares in %, turned into the API's fractions.
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

        decimal? Share(string id) => Number(id) / 100m;
        PersonInput? Person(string id) => Text(id) is { } upn ? new PersonInput(null, null, upn) : null;

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
            Delegate = Person(DelegateUpn),
            Sponsor = Person(SponsorUpn),
            Manager = Person(ManagerUpn),
            OrgUnit = Text(OrgUnit),
            Workflow = Text(Workflow),
            PnlLine = Text(PnlLineField),
            SuccessCriteria = Text(SuccessCriteria),
            LaunchDate = Text(LaunchDate),
            TargetUsers = targetUsers,
            Currency = Text(Currency)?.ToUpperInvariant(),
            Baseline = new BaselineInput(Number(MinutesPerTask), Number(TasksPerWeek), Number(HourlyCost), Share(ReworkBeforeAiPercent), Number(MinutesPerException)),
            DeclaredPilotBenefit = Share(DeclaredPilotBenefitPercent),
            PlannedRunCostPerMonth = Number(PlannedRunCostPerMonth),
            StopLoss = new StopLossInput(Share(MaxReworkPercent), Share(MinAdoptionPercent), Share(MaxExceptionRatePercent)),
            CheckInSchedule = new ScheduleInput(Text(CheckInDay), Text(CheckInTime)),
        };
        return (input, errors);
    }

    /// <summary>Maps a field of the admin API's validation to the card input it belongs to.</summary>
    public static string CardField(string apiField) => apiField switch
    {
        "owner" or "owner.upn" or "owner.aadObjectId" or "owner.displayName" => OwnerUpn,
        "delegate" or "delegate.upn" or "delegate.aadObjectId" or "delegate.displayName" => DelegateUpn,
        "sponsor" or "sponsor.upn" or "sponsor.aadObjectId" or "sponsor.displayName" => SponsorUpn,
        "manager" or "manager.upn" or "manager.aadObjectId" or "manager.displayName" => ManagerUpn,
        "baseline.minutesPerTask" => MinutesPerTask,
        "baseline.tasksPerWeek" => TasksPerWeek,
        "baseline.hourlyCost" => HourlyCost,
        "baseline.minutesPerException" => MinutesPerException,
        "baseline.reworkRateBeforeAi" => ReworkBeforeAiPercent,
        "baseline" => MinutesPerTask,
        "declaredPilotBenefit" => DeclaredPilotBenefitPercent,
        "stopLoss.maxReworkRate" => MaxReworkPercent,
        "stopLoss.minAdoption" => MinAdoptionPercent,
        "stopLoss.maxExceptionRate" => MaxExceptionRatePercent,
        "checkInSchedule" or "checkInSchedule.day" => CheckInDay,
        "checkInSchedule.localTime" => CheckInTime,
        _ => apiField,
    };

    /// <summary>The page that shows the first of <paramref name="errors"/>: essentials unless every error is on "More settings".</summary>
    public static FormPage PageOf(IReadOnlyList<FieldError>? errors) =>
        errors is { Count: > 0 } && errors.All(e => MoreFields.Contains(CardField(e.Field))) ? FormPage.More : FormPage.Essentials;

    public static AdaptiveCard Build(
        IReadOnlyList<FieldError>? errors = null, IReadOnlyDictionary<string, string?>? submitted = null, FormPage? page = null, FormSettings? settings = null)
    {
        var values = submitted ?? new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [StageField] = "pilot",
            [PnlLineField] = "cost",
            [Currency] = "EUR",
            [CheckInDay] = AdminJson.Name(CheckInSchedule.Default.Day),
            [CheckInTime] = CheckInSchedule.Default.LocalTime.ToString("HH:mm", CultureInfo.InvariantCulture),
        };
        return Form(
            "New use case", "Register a new AI use case", "register the use case", "Nothing was stored.",
            "Register use case", CreateVerb, new JsonObject(), values, errors, page ?? PageOf(errors), settings ?? FormSettings.Default);
    }

    /// <summary>A use case being edited, as the edit form's hidden state: its id, the version shown and the people as shown.</summary>
    public sealed record EditState(Guid UseCaseId, int RowVersion, string OwnerShown)
    {
        public string DelegateShown { get; init; } = "";

        public string SponsorShown { get; init; } = "";

        public string ManagerShown { get; init; } = "";

        public JsonObject ToData() => new()
        {
            [UseCaseIdKey] = UseCaseId.ToString("D"),
            [RowVersionKey] = RowVersion,
            [OwnerShownKey] = OwnerShown,
            [DelegateShownKey] = DelegateShown,
            [SponsorShownKey] = SponsorShown,
            [ManagerShownKey] = ManagerShown,
        };
    }

    /// <summary>
    /// The edit form for a stored use case: <paramref name="values"/> prefilled (see <see cref="ValuesOf"/>) or as submitted,
    /// with the use case's id, the version shown and the people as shown carried in the actions' data.
    /// </summary>
    public static AdaptiveCard BuildEdit(
        EditState state, IReadOnlyDictionary<string, string?> values, IReadOnlyList<FieldError>? errors = null, FormPage? page = null, FormSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        return Form(
            "Edit use case", "Edit a use case", "save the change", "Nothing was changed.",
            "Save changes", UpdateVerb, state.ToData(), values, errors, page ?? PageOf(errors), settings ?? FormSettings.Default);
    }

    /// <summary>The people of a use case as the form shows them (UPN, email or object id; empty for nobody).</summary>
    public sealed record PeopleShown(string Owner, string Delegate = "", string Sponsor = "", string Manager = "");

    /// <summary>The card's values for a stored use case; <paramref name="ownerText"/> is how the owner is shown (UPN, email or id).</summary>
    public static Dictionary<string, string?> ValuesOf(UseCase useCase, string ownerText) => ValuesOf(useCase, new PeopleShown(ownerText));

    /// <summary>The card's values for a stored use case, every field of both pages.</summary>
    public static Dictionary<string, string?> ValuesOf(UseCase useCase, PeopleShown people)
    {
        ArgumentNullException.ThrowIfNull(useCase);
        ArgumentNullException.ThrowIfNull(people);
        var own = useCase.PolicyOverrides ?? EvaluationPolicyOverrides.None;
        static string? Percent(decimal? share) => share is { } s ? UseCaseCsv.Number(s * 100m) : null;
        return new(StringComparer.Ordinal)
        {
            [Name] = useCase.Name,
            [Description] = useCase.Description,
            [ValueModelField] = AdminJson.Name(useCase.ValueModel),
            [StageField] = AdminJson.Name(useCase.Stage),
            [OwnerUpn] = people.Owner,
            [PnlLineField] = AdminJson.Name(useCase.PnlLine),
            [TargetUsers] = useCase.TargetUsers.ToString(CultureInfo.InvariantCulture),
            [MinutesPerTask] = UseCaseCsv.Number(useCase.Baseline.MinutesPerTask),
            [TasksPerWeek] = UseCaseCsv.Number(useCase.Baseline.TasksPerWeek),
            [HourlyCost] = UseCaseCsv.Number(useCase.Baseline.HourlyCost.Amount),
            [Currency] = useCase.Currency,
            [MinutesPerException] = UseCaseCsv.Number(useCase.Baseline.MinutesPerException),
            [ReworkBeforeAiPercent] = Percent(useCase.Baseline.ReworkRateBeforeAi),
            [DeclaredPilotBenefitPercent] = Percent(useCase.DeclaredPilotBenefit),
            [PlannedRunCostPerMonth] = UseCaseCsv.Number(useCase.PlannedRunCostPerMonth.Amount),
            [DelegateUpn] = people.Delegate,
            [SponsorUpn] = people.Sponsor,
            [ManagerUpn] = people.Manager,
            [OrgUnit] = useCase.OrgUnit,
            [Workflow] = useCase.Workflow,
            [SuccessCriteria] = useCase.SuccessCriteria,
            [LaunchDate] = useCase.LaunchDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            [MaxReworkPercent] = Percent(own.MaxReworkRate),
            [MinAdoptionPercent] = Percent(own.MinAdoption),
            [MaxExceptionRatePercent] = Percent(own.MaxExceptionRate),
            [CheckInDay] = AdminJson.Name(useCase.CheckInSchedule.Day),
            [CheckInTime] = useCase.CheckInSchedule.LocalTime.ToString("HH:mm", CultureInfo.InvariantCulture),
        };
    }

    private static AdaptiveCard Form(
        string title, string fallback, string purpose, string nothingDone, string saveTitle, string saveVerb, JsonObject state,
        IReadOnlyDictionary<string, string?> values, IReadOnlyList<FieldError>? errors, FormPage page, FormSettings settings)
    {
        var byField = (errors ?? [])
            .GroupBy(e => CardField(e.Field), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => string.Join(" ", g.Select(e => e.Message).Distinct()), StringComparer.Ordinal);
        var shown = page == FormPage.More ? MoreFields : EssentialFields;
        var other = page == FormPage.More ? EssentialFields : MoreFields;

        var card = new AdaptiveCard { FallbackText = fallback };
        card.Add(new TextBlock(page == FormPage.More ? $"{title}: more settings" : title) { Size = TextSize.Medium, Weight = TextWeight.Bolder });
        card.Add(new TextBlock(page == FormPage.More
            ? "People by email or UPN. Empty thresholds follow the organisation's; shares are in %."
            : "Name the owner by email or UPN. Capture the baseline as it was before AI; shares are in %.")
        { IsSubtle = true, Wrap = true });
        if (byField.Count > 0)
        {
            card.Add(new TextBlock(byField.Count == 1
                ? $"One field needs fixing before I can {purpose} (see below). {nothingDone}"
                : $"{byField.Count} fields need fixing before I can {purpose} (see below). {nothingDone}")
            { Color = TextColor.Attention, Weight = TextWeight.Bolder, Wrap = true });
            // Errors that belong to no input of this page: the other page's (named by their label) or a field the card does not show.
            foreach (var (field, message) in byField.Where(p => !shown.Contains(p.Key)))
            {
                var where = other.Contains(field)
                    ? $"{(page == FormPage.More ? "Essentials" : "More settings")}, {Labels.GetValueOrDefault(field, field)}"
                    : field;
                card.Add(new TextBlock($"{where}: {CardText.Escape(message)}") { Color = TextColor.Attention, Size = TextSize.Small, Wrap = true });
            }
        }

        void Field(CardInput input)
        {
            card.Add(input);
            if (input.Id is { } id && byField.TryGetValue(id, out var message))
            {
                input.ErrorMessage = message;
                card.Add(new TextBlock(CardText.Escape(message)) { Color = TextColor.Attention, Spacing = ElementSpacing.None, Size = TextSize.Small, Wrap = true });
            }
        }

        void Section(string heading) => card.Add(new TextBlock(heading) { Weight = TextWeight.Bolder, Separator = true, Wrap = true });

        if (page == FormPage.Essentials)
        {
            Field(Text(Name, values, isRequired: true, maxLength: UseCase.MaxNameLength));
            Field(Text(Description, values, multiline: true, maxLength: UseCaseLimits.DescriptionLength));
            Field(Choices<ValueModel>(ValueModelField, values, isRequired: true));
            Field(Choices<Stage>(StageField, values));
            Field(Text(OwnerUpn, values, isRequired: true, maxLength: 320));
            Field(Choices<PnlLine>(PnlLineField, values));
            Field(Number(TargetUsers, values, min: 1m));
            Section("Baseline before AI");
            Field(Number(MinutesPerTask, values));
            Field(Number(TasksPerWeek, values));
            Field(Number(HourlyCost, values));
            Field(Text(Currency, values, isRequired: true, maxLength: 3));
            Field(Number(MinutesPerException, values));
            Field(Number(ReworkBeforeAiPercent, values, max: 100m));
            Section("Plan");
            Field(Number(DeclaredPilotBenefitPercent, values, max: 100m));
            Field(Number(PlannedRunCostPerMonth, values));
        }
        else
        {
            Section("People");
            Field(Text(DelegateUpn, values, maxLength: 320));
            Field(Text(SponsorUpn, values, maxLength: 320));
            Field(Text(ManagerUpn, values, maxLength: 320));
            Section("Where it fits");
            Field(Text(OrgUnit, values, maxLength: UseCaseLimits.OrgUnitLength));
            Field(Text(Workflow, values, multiline: true, maxLength: UseCaseLimits.WorkflowLength));
            Field(Text(SuccessCriteria, values, multiline: true, maxLength: UseCaseLimits.SuccessCriteriaLength));
            Field(new DateInput { Id = LaunchDate, Label = Labels[LaunchDate], Value = ValueOf(values, LaunchDate) });
            Section("Stop-loss thresholds");
            Field(Number(MaxReworkPercent, values, max: 100m, placeholder: $"Organisation's: {Percent(settings.StopLoss.MaxReworkRate)}"));
            Field(Number(MinAdoptionPercent, values, max: 100m, placeholder: $"Organisation's: {Percent(settings.StopLoss.MinAdoption)}"));
            Field(Number(MaxExceptionRatePercent, values, max: 100m,
                placeholder: settings.StopLoss.MaxExceptionRate is { } rate ? $"Organisation's: {Percent(rate)}" : "Organisation's: none"));
            Section($"Check-in schedule (the owner's local time; the week closes {settings.Deadline.Day} {settings.Deadline.LocalTime.ToString("HH:mm", CultureInfo.InvariantCulture)})");
            var day = new ChoiceSetInput { Id = CheckInDay, Label = Labels[CheckInDay], Style = ChoiceInputStyle.Compact };
            foreach (var weekDay in WeekDays)
            {
                day.Choices.Add(new Choice(weekDay.ToString(), AdminJson.Name(weekDay)));
            }

            day.Value = ValueOf(values, CheckInDay) is { } d && day.Choices.Any(c => c.Value == d) ? d : null;
            Field(day);
            Field(new TextInput
            {
                Id = CheckInTime,
                Label = Labels[CheckInTime],
                Placeholder = "09:00",
                MaxLength = 5,
                Regex = "^([01][0-9]|2[0-3]):[0-5][0-9]$",
                Value = ValueOf(values, CheckInTime),
            });
        }

        // Each action carries the other page's values; the inputs of this page come with the click.
        var carried = state.DeepClone().AsObject();
        foreach (var field in other)
        {
            if (ValueOf(values, field) is { } value)
            {
                carried[field] = value;
            }
        }

        var turn = carried.DeepClone().AsObject();
        turn[PageKey] = page == FormPage.More ? "essentials" : "more";
        turn[ModeKey] = saveVerb == CreateVerb ? "create" : "edit";
        card.AddAction(new ExecuteAction(saveTitle, saveVerb, carried) { Style = ActionStyle.Positive }.WithSubmitFallback());
        card.AddAction(new ExecuteAction(page == FormPage.More ? "Back to essentials" : "More settings", PageVerb, turn).WithSubmitFallback());
        return card;
    }

    /// <summary>In <see cref="PageVerb"/>'s data: <c>create</c> or <c>edit</c>.</summary>
    public const string ModeKey = "form";

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        [Name] = "Name",
        [Description] = "Description",
        [ValueModelField] = "Value model",
        [StageField] = "Stage",
        [OwnerUpn] = "Owner (email or UPN)",
        [PnlLineField] = "P&L line it moves",
        [TargetUsers] = "Target users (the population expected to use it)",
        [MinutesPerTask] = "Minutes per task",
        [TasksPerWeek] = "Tasks per week",
        [HourlyCost] = "Loaded hourly cost of the people doing the work",
        [Currency] = "Currency (three letters, e.g. EUR)",
        [MinutesPerException] = "Minutes to handle one exception by hand",
        [ReworkBeforeAiPercent] = "Rework before AI (% of tasks corrected)",
        [DeclaredPilotBenefitPercent] = "Declared pilot benefit (% less effort per task)",
        [PlannedRunCostPerMonth] = "Planned run cost per month",
        [DelegateUpn] = "Delegate (may answer for the owner; email or UPN)",
        [SponsorUpn] = "Sponsor (email or UPN)",
        [ManagerUpn] = "Owner's manager (gets the manager digest; email or UPN)",
        [OrgUnit] = "Org unit",
        [Workflow] = "Workflow it redesigns",
        [SuccessCriteria] = "Success criteria",
        [LaunchDate] = "Launch date",
        [MaxReworkPercent] = "Max rework (%)",
        [MinAdoptionPercent] = "Min active adoption (%)",
        [MaxExceptionRatePercent] = "Max exception rate (%)",
        [CheckInDay] = "Check-in day",
        [CheckInTime] = "Check-in time (HH:mm)",
    };

    private static string Percent(decimal share) => UseCaseCsv.Number(share * 100m) + " %";

    private static string? ValueOf(IReadOnlyDictionary<string, string?> values, string id) =>
        values.TryGetValue(id, out var text) && !string.IsNullOrWhiteSpace(text) ? text : null;

    /// <summary>What replaces the edit form once the change is stored: the updated summary and what changed.</summary>
    public static AdaptiveCard Updated(UseCase useCase, IReadOnlyList<FieldChange> changes, int rowVersion, string changedBy)
    {
        var owner = CardText.Escape(useCase.Owner?.DisplayName ?? "nobody");
        var name = CardText.Escape(useCase.Name);
        var card = new AdaptiveCard { FallbackText = $"Updated {CardText.Clean(useCase.Name)}: {changes.Count} change(s)" };
        card.Add(new TextBlock(changes.Count == 0 ? $"No change: {name}" : $"Updated: {name}") { Size = TextSize.Medium, Weight = TextWeight.Bolder });
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
                new Fact("Check-in", Schedule(useCase.CheckInSchedule)),
                new Fact("Version", rowVersion.ToString(CultureInfo.InvariantCulture)),
                new Fact("Changed by", CardText.Escape(changedBy)),
            },
        });
        if (changes.Count > 0)
        {
            card.Add(new TextBlock("What changed") { Weight = TextWeight.Bolder, Separator = true });
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
        card.Add(new TextBlock($"Registered: {CardText.Escape(useCase.Name)}") { Size = TextSize.Medium, Weight = TextWeight.Bolder });
        card.Add(new FactSet
        {
            Facts =
            {
                new Fact("Owner", owner),
                new Fact("Value model", AdminJson.Name(useCase.ValueModel)),
                new Fact("Stage", AdminJson.Name(useCase.Stage)),
                new Fact("Check-in", Schedule(useCase.CheckInSchedule)),
                new Fact("Registered by", CardText.Escape(registeredBy)),
            },
        });
        card.Add(new TextBlock($"{owner} gets the weekly check-in from the next scheduled week.") { IsSubtle = true });
        card.AddAction(EditAction(useCase.Id));
        return card;
    }

    private static string Schedule(CheckInSchedule schedule) =>
        $"{schedule.Day} {schedule.LocalTime.ToString("HH:mm", CultureInfo.InvariantCulture)}, the owner's local time";

    private static ExecuteAction EditAction(Guid useCaseId) =>
        new ExecuteAction("Edit", OpenEditVerb, new JsonObject { [UseCaseIdKey] = useCaseId.ToString("D") }).WithSubmitFallback();

    private static TextInput Text(string id, IReadOnlyDictionary<string, string?> values, bool multiline = false, bool isRequired = false, int? maxLength = null) => new()
    {
        Id = id,
        Label = Labels[id],
        IsRequired = isRequired ? true : null,
        IsMultiline = multiline ? true : null,
        MaxLength = maxLength,
        Value = ValueOf(values, id),
    };

    private static NumberInput Number(string id, IReadOnlyDictionary<string, string?> values, decimal min = 0m, decimal? max = null, string? placeholder = null) => new()
    {
        Id = id,
        Label = Labels[id],
        Min = min,
        Max = max,
        Placeholder = placeholder,
        Value = values.TryGetValue(id, out var text) && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : null,
    };

    private static ChoiceSetInput Choices<T>(string id, IReadOnlyDictionary<string, string?> values, bool isRequired = false) where T : struct, Enum
    {
        var names = Enum.GetValues<T>().Select(v => AdminJson.Name(v)).ToList();
        var input = new ChoiceSetInput
        {
            Id = id,
            Label = Labels[id],
            Style = ChoiceInputStyle.Compact,
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
