using System.Globalization;
using Microsoft.Extensions.Options;
using ValueBot.Domain.Common;
using ValueBot.Domain.Policies;
using ValueBot.Domain.Scheduling;
using ValueBot.Domain.UseCases;
using ValueBot.Teams.Hosting;
using ValueBot.Web.People;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.Admin;

/// <summary>
/// Resolves a person given in a request: an object id with a display name is taken as is; a UPN or email is looked
/// up in the directory (Graph) and, when Graph is not configured or unavailable, among the people ValueBot knows.
/// </summary>
public sealed class PersonResolver(KnownPeople known, IServiceProvider services)
{
    private readonly HashSet<string> _lookedUp = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Object ids this resolver found by UPN or email, in the directory or among the people ValueBot knows: they come
    /// from Entra or Teams, not from what someone typed (the Agents Playground's users have ids that are not GUIDs).
    /// </summary>
    public IReadOnlySet<string> LookedUp => _lookedUp;

    /// <summary>Local mode (the Agents Playground), where <see cref="UseCaseLimits.IsPersonId"/> also takes the playground's user id.</summary>
    public bool IsLocalMode => services.GetService<IOptions<BotOptions>>()?.Value.LocalMode == true;

    public async Task<PersonRef?> ResolveAsync(string field, PersonInput? input, List<FieldError> errors, CancellationToken cancellationToken)
    {
        if (input is null)
        {
            return null;
        }

        if (!string.IsNullOrWhiteSpace(input.AadObjectId))
        {
            return new PersonRef(input.AadObjectId.Trim(), input.DisplayName?.Trim() ?? "");
        }

        if (string.IsNullOrWhiteSpace(input.Upn))
        {
            errors.Add(new FieldError(field, "Give the person's UPN (email) or Entra object id and display name."));
            return null;
        }

        var upn = input.Upn.Trim();
        // The directory is another feature's service; it may not be registered in every composition.
        if (services.GetService<GraphPeopleDirectory>() is { } directory)
        {
            var lookup = await directory.FindAsync(upn, cancellationToken);
            switch (lookup)
            {
                case DirectoryLookup.Found found:
                    var person = found.Person;
                    await known.RememberAsync(new Person
                    {
                        AadObjectId = person.ObjectId,
                        DisplayName = person.DisplayName ?? upn,
                        UserPrincipalName = person.UserPrincipalName ?? upn,
                        Mail = person.Mail,
                        ManagerAadObjectId = person.Manager?.ObjectId,
                        HasLeft = person.AccountEnabled == false,
                    }, cancellationToken);
                    _lookedUp.Add(person.ObjectId);
                    return new PersonRef(person.ObjectId, person.DisplayName ?? upn) { HasLeftOrganisation = person.AccountEnabled == false };
                case DirectoryLookup.NotFound or DirectoryLookup.NotAUser:
                    errors.Add(new FieldError(field + ".upn", $"'{upn}': {lookup.Describe()}."));
                    return null;
            }
        }

        // Without Graph (or while it cannot answer): the people ValueBot already knows, by UPN, email or object id.
        var knownPerson = await known.FindByUpnOrMailAsync(upn, cancellationToken) ?? await known.FindAsync(upn, cancellationToken);
        if (knownPerson is null)
        {
            errors.Add(new FieldError(field + ".upn", $"'{upn}' is not a person ValueBot knows; give the Entra object id and display name."));
            return null;
        }

        _lookedUp.Add(knownPerson.AadObjectId);
        return new PersonRef(knownPerson.AadObjectId, knownPerson.DisplayName) { HasLeftOrganisation = knownPerson.HasLeft };
    }
}

/// <summary>
/// A create/update body read: the use case (null when there are errors), the owner's manager when the body names one,
/// and the field errors.
/// </summary>
public sealed record UseCaseDraft(UseCase? UseCase, PersonRef? Manager, IReadOnlyList<FieldError> Errors);

/// <summary>Turns a create/update body into a <see cref="UseCase"/>, or into field errors (never an exception).</summary>
public static class UseCaseInputs
{
    public static async Task<(UseCase? UseCase, IReadOnlyList<FieldError> Errors)> ToUseCaseAsync(
        UseCaseInput input, Guid id, PersonResolver people, CancellationToken cancellationToken, EvaluationPolicy? organisation = null, Cadence? cadence = null)
    {
        var draft = await ToDraftAsync(input, id, people, cancellationToken, organisation, cadence);
        return (draft.UseCase, draft.Errors);
    }

    /// <summary>
    /// As <see cref="ToUseCaseAsync"/>, with the owner's manager. <paramref name="cadence"/> is the organisation's weekly
    /// rhythm (default DOMAIN.md's): a check-in schedule at or after the week's close is refused.
    /// </summary>
    public static async Task<UseCaseDraft> ToDraftAsync(
        UseCaseInput input, Guid id, PersonResolver people, CancellationToken cancellationToken, EvaluationPolicy? organisation = null, Cadence? cadence = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(people);
        var errors = new List<FieldError>();
        var overrides = Overrides(input, errors);
        var valueModel = Choice<ValueModel>(errors, "valueModel", input.ValueModel, required: true, ValueModel.WorkforceEmpowerment);
        var stage = Choice(errors, "stage", input.Stage, required: false, Stage.Pilot);
        var pnlLine = Choice(errors, "pnlLine", input.PnlLine, required: false, PnlLine.Cost);
        var day = Choice(errors, "checkInSchedule.day", input.CheckInSchedule?.Day, required: false, CheckInSchedule.Default.Day);
        var localTime = CheckInSchedule.Default.LocalTime;
        if (!string.IsNullOrWhiteSpace(input.CheckInSchedule?.LocalTime)
            && !TimeOnly.TryParseExact(input.CheckInSchedule.LocalTime.Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out localTime))
        {
            errors.Add(new FieldError("checkInSchedule.localTime", "Give the local time as HH:mm, for example 09:00."));
        }

        DateOnly? launchDate = null;
        if (!string.IsNullOrWhiteSpace(input.LaunchDate))
        {
            if (DateOnly.TryParseExact(input.LaunchDate.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                launchDate = date;
            }
            else
            {
                errors.Add(new FieldError("launchDate", "Give the launch date as yyyy-MM-dd."));
            }
        }

        Required(errors, "targetUsers", input.TargetUsers, "Give the number of target users.");
        Required(errors, "currency", input.Currency, "Give the currency as a three-letter code such as EUR.");
        Required(errors, "baseline", input.Baseline, "Capture the baseline before AI.");
        Required(errors, "plannedRunCostPerMonth", input.PlannedRunCostPerMonth, "Give the planned run cost per month.");
        if (input.Baseline is { } b)
        {
            Required(errors, "baseline.minutesPerTask", b.MinutesPerTask, "Give the minutes one task took before AI.");
            Required(errors, "baseline.hourlyCost", b.HourlyCost, "Give the loaded hourly cost.");
        }

        var currency = input.Currency?.Trim() ?? "";
        if (currency.Length > 0 && !(currency.Length == 3 && currency.All(char.IsAsciiLetterUpper)))
        {
            errors.Add(new FieldError("currency", "Give the currency as a three-letter code in capitals, such as EUR."));
        }

        var owner = await people.ResolveAsync("owner", input.Owner, errors, cancellationToken);
        var @delegate = await people.ResolveAsync("delegate", input.Delegate, errors, cancellationToken);
        var sponsor = await people.ResolveAsync("sponsor", input.Sponsor, errors, cancellationToken);
        var manager = await people.ResolveAsync("manager", input.Manager, errors, cancellationToken);
        if (manager is not null && owner is not null && string.Equals(manager.AadObjectId, owner.AadObjectId, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(new FieldError("manager", "The owner cannot be their own manager."));
        }
        else if (manager is not null && input.Owner is null)
        {
            errors.Add(new FieldError("manager", "A manager is the owner's: name the owner too."));
        }

        var schedule = new CheckInSchedule(day, localTime);
        if (!errors.Any(e => e.Field.StartsWith("checkInSchedule", StringComparison.Ordinal))
            && (cadence ?? Cadence.Default).WhyNeverAnswered(schedule) is { } neverAnswered)
        {
            errors.Add(new FieldError("checkInSchedule", neverAnswered));
        }

        var baseline = input.Baseline ?? new BaselineInput(0, 0, 0, 0, 0);
        var useCase = new UseCase
        {
            Id = id,
            Name = input.Name?.Trim() ?? "",
            Description = input.Description?.Trim() ?? "",
            ValueModel = valueModel,
            Stage = stage,
            Owner = owner,
            Delegate = @delegate,
            Sponsor = sponsor,
            OrgUnit = input.OrgUnit?.Trim() ?? "",
            Workflow = input.Workflow?.Trim() ?? "",
            PnlLine = pnlLine,
            SuccessCriteria = input.SuccessCriteria?.Trim() ?? "",
            LaunchDate = launchDate,
            TargetUsers = input.TargetUsers ?? 1,
            Baseline = new Baseline(
                baseline.MinutesPerTask ?? 0m,
                baseline.TasksPerWeek ?? 0m,
                new Money(baseline.HourlyCost ?? 0m, currency),
                baseline.ReworkRateBeforeAi ?? 0m,
                baseline.MinutesPerException ?? 0m),
            DeclaredPilotBenefit = input.DeclaredPilotBenefit ?? 0m,
            PlannedRunCostPerMonth = new Money(input.PlannedRunCostPerMonth ?? 0m, currency),
            PolicyOverrides = overrides.IsEmpty ? null : overrides,
            CheckInSchedule = schedule,
        };

        // The domain's rules; a field already reported for its form is not reported twice.
        foreach (var error in useCase.Validate())
        {
            if (!errors.Any(e => e.Field == error.Field || error.Field.StartsWith(e.Field + ".", StringComparison.Ordinal))
                && !(error.Field == "baseline.hourlyCost" && errors.Any(e => e.Field == "currency")))
            {
                errors.Add(error);
            }
        }

        AddPolicyErrors(errors, organisation ?? EvaluationPolicy.OrganisationDefault, overrides);
        UseCaseLimits.AddErrors(errors, useCase, people.IsLocalMode, people.LookedUp);
        if (manager is not null && !people.LookedUp.Contains(manager.AadObjectId) && !UseCaseLimits.IsPersonId(manager.AadObjectId, people.IsLocalMode))
        {
            errors.Add(new FieldError("manager.aadObjectId", "Give the person's Entra object id, a GUID such as 6a1c0e52-0000-4000-8000-000000000001."));
        }

        return errors.Count == 0 ? new UseCaseDraft(useCase, manager, errors) : new UseCaseDraft(null, null, errors);
    }

    /// <summary>
    /// The checks that need the organisation's policy: with the use case's overrides applied, the scale requirements
    /// must fit the scale window. Reported against the use case's own field, unless that is already wrong.
    /// </summary>
    public static void AddPolicyErrors(List<FieldError> errors, EvaluationPolicy organisation, EvaluationPolicyOverrides overrides)
    {
        foreach (var error in organisation.Merge(overrides).Validate())
        {
            // Named after what this use case sets: the requirement itself, else the window it does not fit.
            var parameter = PolicyParameters.Find(error.Field);
            var window = PolicyParameters.Find("scaleWindowWeeks")!;
            var field = parameter is null ? error.Field
                : parameter.Get(overrides) is null && window.Get(overrides) is not null ? window.Field
                : parameter.Field;
            if (!errors.Any(e => e.Field == field))
            {
                errors.Add(new FieldError(field, error.Message + " (with the organisation's policy for the values not set here)"));
            }
        }
    }

    /// <summary>The <c>stopLoss</c> and <c>rules</c> of the body; unknown rule names and values out of range are field errors.</summary>
    private static EvaluationPolicyOverrides Overrides(UseCaseInput input, List<FieldError> errors)
    {
        var overrides = EvaluationPolicyOverrides.None;
        void Set(PolicyParameter parameter, decimal? value)
        {
            if (value is not { } v)
            {
                return;
            }

            if (parameter.Check(v) is { } problem)
            {
                errors.Add(new FieldError(parameter.Field, problem));
                return;
            }

            overrides = parameter.With(overrides, v);
        }

        if (input.StopLoss is { } stopLoss)
        {
            Set(PolicyParameters.Find("maxReworkRate")!, stopLoss.MaxReworkRate);
            Set(PolicyParameters.Find("minAdoption")!, stopLoss.MinAdoption);
            Set(PolicyParameters.Find("maxExceptionRate")!, stopLoss.MaxExceptionRate);
        }

        foreach (var (name, value) in input.Rules ?? [])
        {
            var parameter = PolicyParameters.Find(name);
            if (parameter is null)
            {
                errors.Add(new FieldError("rules." + name,
                    $"'{name}' is not a rule parameter; they are: {string.Join(", ", PolicyParameters.Rules.Select(p => p.Name))}."));
            }
            else if (parameter.IsStopLoss)
            {
                errors.Add(new FieldError("rules." + name, $"'{name}' is a stop-loss threshold; give it as stopLoss.{parameter.Name}."));
            }
            else if (parameter.IsOrganisationOnly)
            {
                errors.Add(new FieldError("rules." + name,
                    $"'{name}' is set for the whole organisation (Policy:{char.ToUpperInvariant(name[0])}{name[1..]}); a use case cannot change it."));
            }
            else
            {
                Set(parameter, value);
            }
        }

        return overrides;
    }

    /// <summary>The body that would store <paramref name="useCase"/> as it is (people by object id): the start of an edit.</summary>
    public static UseCaseInput From(UseCase useCase)
    {
        var own = useCase.PolicyOverrides ?? EvaluationPolicyOverrides.None;
        return new UseCaseInput
        {
            Id = useCase.Id,
            Name = useCase.Name,
            Description = useCase.Description,
            ValueModel = AdminJson.Name(useCase.ValueModel),
            Stage = AdminJson.Name(useCase.Stage),
            Owner = Person(useCase.Owner),
            Delegate = Person(useCase.Delegate),
            Sponsor = Person(useCase.Sponsor),
            OrgUnit = useCase.OrgUnit,
            Workflow = useCase.Workflow,
            PnlLine = AdminJson.Name(useCase.PnlLine),
            SuccessCriteria = useCase.SuccessCriteria,
            LaunchDate = useCase.LaunchDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            TargetUsers = useCase.TargetUsers,
            Currency = useCase.Currency,
            Baseline = new BaselineInput(useCase.Baseline.MinutesPerTask, useCase.Baseline.TasksPerWeek, useCase.Baseline.HourlyCost.Amount,
                useCase.Baseline.ReworkRateBeforeAi, useCase.Baseline.MinutesPerException),
            DeclaredPilotBenefit = useCase.DeclaredPilotBenefit,
            PlannedRunCostPerMonth = useCase.PlannedRunCostPerMonth.Amount,
            StopLoss = new StopLossInput(own.MaxReworkRate, own.MinAdoption, own.MaxExceptionRate),
            Rules = PolicyParameters.Rules.Where(p => p.Get(own) is not null).ToDictionary(p => p.Name, p => p.Get(own), StringComparer.Ordinal),
            CheckInSchedule = new ScheduleInput(AdminJson.Name(useCase.CheckInSchedule.Day), useCase.CheckInSchedule.LocalTime.ToString("HH:mm", CultureInfo.InvariantCulture)),
        };

        static PersonInput? Person(PersonRef? person) => person is null ? null : new PersonInput(person.AadObjectId, person.DisplayName, null);
    }

    public static Dictionary<string, string[]> ToProblemErrors(IEnumerable<FieldError> errors) =>
        errors.GroupBy(e => e.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal);

    private static T Choice<T>(List<FieldError> errors, string field, string? text, bool required, T fallback) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                errors.Add(new FieldError(field, $"Pick one of: {AdminJson.Choices<T>()}."));
            }

            return fallback;
        }

        if (AdminJson.TryParse<T>(text, out var value))
        {
            return value;
        }

        errors.Add(new FieldError(field, $"'{text}' is not one of: {AdminJson.Choices<T>()}."));
        return fallback;
    }

    private static void Required(List<FieldError> errors, string field, object? value, string message)
    {
        if (value is null || value is string s && string.IsNullOrWhiteSpace(s))
        {
            errors.Add(new FieldError(field, message));
        }
    }
}
