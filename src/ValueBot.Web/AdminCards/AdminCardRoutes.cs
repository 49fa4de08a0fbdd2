using ValueBot.Domain.Common;
using ValueBot.Domain.UseCases;
using ValueBot.Teams.Cards;
using ValueBot.Teams.Routing;
using ValueBot.Web.Admin;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Installations;
using ValueBot.Web.UseCases;
using ValueBot.Web.People;

namespace ValueBot.Web.AdminCards;

/// <summary>
/// Admins register and edit use cases from a card in their 1:1 chat: <c>new use case</c> sends the form, <c>edit use
/// case &lt;name or id&gt;</c> sends it prefilled with the stored values. Submits are validated as the admin API validates
/// a create or update and stored through <see cref="UseCaseRegistry"/> (an edit only if nobody changed the use case since
/// the card was sent).
/// </summary>
public sealed class AdminCardRoutes(TeamsAdmins admins, UseCaseRegistry registry, CheckInCalendar calendar, PersonResolver resolver, KnownPeople knownPeople) : IBotRoutes
{
    public static void Map(BotRouter router)
    {
        // Admin cards belong in the admin's 1:1 chat: typed elsewhere, they are sent there.
        router.OnCommand("new use case", "Admins: register a new AI use case from a card", PersonalAnswers.Command<AdminCardRoutes>(r => r.NewUseCaseAsync));
        router.OnVerb(UseCaseFormCard.CreateVerb, PersonalAnswers.Verb<AdminCardRoutes>(r => r.CreateAsync));
        router.OnCommand("edit use case", "Admins: change a use case from a card (edit use case followed by its name or id)", PersonalAnswers.Command<AdminCardRoutes>(r => r.EditUseCaseAsync));
        router.OnVerb(UseCaseFormCard.UpdateVerb, PersonalAnswers.Verb<AdminCardRoutes>(r => r.UpdateAsync));
        router.OnVerb(UseCaseFormCard.OpenEditVerb, PersonalAnswers.Verb<AdminCardRoutes>(r => r.OpenEditAsync));
        router.OnVerb(UseCaseFormCard.PageVerb, PersonalAnswers.Verb<AdminCardRoutes>(r => r.TurnPageAsync));
    }

    private const int MaxMatchesListed = 10;

    public async Task EditUseCaseAsync(TurnContext turn, CancellationToken ct)
    {
        if (!await IsAdminAsync(turn, ct))
        {
            await turn.SendTextAsync(NotAnAdmin, ct);
            return;
        }

        var key = turn.CommandArguments?.Trim() ?? "";
        if (key.Length == 0)
        {
            await turn.SendTextAsync("Which use case? Type edit use case followed by its name or id, for example: edit use case Invoice triage", ct);
            return;
        }

        StoredUseCase? stored;
        if (Guid.TryParse(key, out var id))
        {
            stored = await registry.GetAsync(id, ct);
            if (stored is null)
            {
                await turn.SendTextAsync($"No use case has the id {id}.", ct);
                return;
            }
        }
        else
        {
            var (exact, partial) = await registry.FindByNameAsync(key, MaxMatchesListed, ct);
            if (exact.Count == 1)
            {
                stored = exact[0];
            }
            else
            {
                var matches = exact.Count > 1 ? exact : partial;
                await turn.SendTextAsync(matches.Count switch
                {
                    0 => $"No use case is called '{CardText.Escape(key)}'.",
                    _ when exact.Count > 1 => $"Several use cases are called '{CardText.Escape(key)}'; give the id instead: " + List(matches),
                    1 => $"No use case is called '{CardText.Escape(key)}'. Did you mean: " + List(matches) + " Type edit use case followed by its exact name or id.",
                    _ => $"No use case is called exactly '{CardText.Escape(key)}'. Did you mean one of: " + List(matches) + " Type edit use case followed by the exact name or id.",
                }, ct);
                return;
            }
        }

        await turn.SendCardAsync(await EditFormAsync(stored, ct), ct);
    }

    /// <summary>The "Edit" button of a registered or updated card: the form for the use case as it is now.</summary>
    public async Task<CardActionResult> OpenEditAsync(TurnContext turn, CardActionData action, CancellationToken ct)
    {
        if (!await IsAdminAsync(turn, ct))
        {
            return CardActionResult.Message(NotAnAdmin);
        }

        if (!Guid.TryParse(action.GetString(UseCaseFormCard.UseCaseIdKey), out var id) || await registry.GetAsync(id, ct) is not { } stored)
        {
            return CardActionResult.Message("That use case no longer exists.");
        }

        return CardActionResult.Card(await EditFormAsync(stored, ct));
    }

    private async Task<Teams.Cards.AdaptiveCard> EditFormAsync(StoredUseCase stored, CancellationToken ct)
    {
        var people = await PeopleShownAsync(stored.UseCase, ct);
        var state = new UseCaseFormCard.EditState(stored.UseCase.Id, stored.RowVersion, people.Owner)
        {
            DelegateShown = people.Delegate,
            SponsorShown = people.Sponsor,
            ManagerShown = people.Manager,
        };
        return UseCaseFormCard.BuildEdit(state, UseCaseFormCard.ValuesOf(stored.UseCase, people), settings: Settings());
    }

    /// <summary>"More settings" and "Back": the same form, with everything typed so far, on its other page. Nothing is stored.</summary>
    public async Task<CardActionResult> TurnPageAsync(TurnContext turn, CardActionData action, CancellationToken ct)
    {
        if (!await IsAdminAsync(turn, ct))
        {
            return CardActionResult.Message(NotAnAdmin);
        }

        var page = action.GetString(UseCaseFormCard.PageKey) == "more" ? FormPage.More : FormPage.Essentials;
        var submitted = Submitted(action);
        if (action.GetString(UseCaseFormCard.ModeKey) != "edit")
        {
            return CardActionResult.Card(UseCaseFormCard.Build(null, submitted, page, Settings()));
        }

        if (State(action) is not { } state)
        {
            return CardActionResult.Message(NoState);
        }

        return CardActionResult.Card(UseCaseFormCard.BuildEdit(state, submitted, null, page, Settings()));
    }

    private static UseCaseFormCard.EditState? State(CardActionData action) =>
        Guid.TryParse(action.GetString(UseCaseFormCard.UseCaseIdKey), out var id) && action.GetInt32(UseCaseFormCard.RowVersionKey) is { } rowVersion
            ? new UseCaseFormCard.EditState(id, rowVersion, action.GetString(UseCaseFormCard.OwnerShownKey) ?? "")
            {
                DelegateShown = action.GetString(UseCaseFormCard.DelegateShownKey) ?? "",
                SponsorShown = action.GetString(UseCaseFormCard.SponsorShownKey) ?? "",
                ManagerShown = action.GetString(UseCaseFormCard.ManagerShownKey) ?? "",
            }
            : null;

    private const string NoState = "This card does not say which use case it edits. Nothing was changed; type edit use case followed by its name to start again.";

    private FormSettings Settings() =>
        new(registry.OrganisationPolicy.StopLoss, calendar.Cadence.Settings.Deadline);

    public async Task<CardActionResult> UpdateAsync(TurnContext turn, CardActionData action, CancellationToken ct)
    {
        if (!await IsAdminAsync(turn, ct))
        {
            return CardActionResult.Message(NotAnAdmin + " Nothing was changed.");
        }

        if (State(action) is not { } state)
        {
            return CardActionResult.Message(NoState);
        }

        var id = state.UseCaseId;
        var stored = await registry.GetAsync(id, ct);
        if (stored is null)
        {
            return CardActionResult.Message($"The use case {id} no longer exists. Nothing was changed.");
        }

        var settings = Settings();
        var submitted = Submitted(action);
        var (form, formErrors) = UseCaseFormCard.ToInput(submitted);
        // A person shown as stored and left so stays as stored (with what ValueBot knows of them, e.g. that they left).
        var current = UseCaseInputs.From(stored.UseCase);
        bool Unchanged(string field, string shown, PersonRef? person) =>
            person is not null && string.Equals(submitted[field]?.Trim() ?? "", shown, StringComparison.OrdinalIgnoreCase);
        var ownerUnchanged = Unchanged(UseCaseFormCard.OwnerUpn, state.OwnerShown, stored.UseCase.Owner);
        var delegateUnchanged = Unchanged(UseCaseFormCard.DelegateUpn, state.DelegateShown, stored.UseCase.Delegate);
        var sponsorUnchanged = Unchanged(UseCaseFormCard.SponsorUpn, state.SponsorShown, stored.UseCase.Sponsor);
        var managerUnchanged = string.Equals(submitted[UseCaseFormCard.ManagerUpn]?.Trim() ?? "", state.ManagerShown, StringComparison.OrdinalIgnoreCase);
        var input = form with
        {
            Owner = ownerUnchanged ? current.Owner : form.Owner,
            Delegate = delegateUnchanged ? current.Delegate : form.Delegate,
            Sponsor = sponsorUnchanged ? current.Sponsor : form.Sponsor,
            Manager = managerUnchanged ? null : form.Manager,
            // Rule parameters are not on the card: kept as stored.
            Rules = current.Rules,
        };
        var draft = await UseCaseInputs.ToDraftAsync(input, id, resolver, ct, registry.OrganisationPolicy, calendar.Cadence);
        var errors = Merge(formErrors, draft.Errors);
        if (draft.UseCase is not { } useCase || errors.Count > 0)
        {
            return CardActionResult.Card(UseCaseFormCard.BuildEdit(state, submitted, errors, settings: settings));
        }

        useCase = useCase with
        {
            Owner = ownerUnchanged ? stored.UseCase.Owner : useCase.Owner,
            Delegate = delegateUnchanged ? stored.UseCase.Delegate : useCase.Delegate,
            Sponsor = sponsorUnchanged ? stored.UseCase.Sponsor : useCase.Sponsor,
            Retired = stored.UseCase.Retired,
        };
        var adminName = AdminName(turn);
        var result = await registry.UpdateAsync(id, useCase, state.RowVersion, adminName, ct);
        if (result.Outcome == RegistryOutcome.Done && result.UseCase is { } updated)
        {
            var changes = new List<FieldChange>(result.Changes ?? []);
            if (draft.Manager is { } manager && useCase.Owner is { } owner)
            {
                await knownPeople.SetManagerAsync(owner.AadObjectId, manager.AadObjectId, adminName, ct);
                changes.Add(new FieldChange("owner's manager", state.ManagerShown.Length == 0 ? null : state.ManagerShown, submitted[UseCaseFormCard.ManagerUpn]?.Trim()));
            }

            return CardActionResult.Card(UseCaseFormCard.Updated(updated.UseCase, changes, updated.RowVersion, adminName));
        }

        return result.Outcome switch
        {
            RegistryOutcome.NotFound => CardActionResult.Message($"The use case {id} no longer exists. Nothing was changed."),
            _ => CardActionResult.Message(
                $"{CardText.Escape(stored.UseCase.Name)} was changed by someone else meanwhile (this card shows version {state.RowVersion}, the stored one is newer). " +
                $"Nothing was changed. Type edit use case {id} to edit the current version."),
        };
    }

    /// <summary>A value the form could not read is reported once, as unreadable, not again as missing.</summary>
    private static List<FieldError> Merge(List<FieldError> formErrors, IReadOnlyList<FieldError> apiErrors)
    {
        var errors = new List<FieldError>(formErrors);
        errors.AddRange(apiErrors.Where(e => !formErrors.Any(f => f.Field == UseCaseFormCard.CardField(e.Field))));
        return errors;
    }

    private static Dictionary<string, string?> Submitted(CardActionData action)
    {
        var submitted = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var field in UseCaseFormCard.Fields)
        {
            submitted[field] = action.GetString(field);
        }

        return submitted;
    }

    /// <summary>How the people are shown on the edit card: UPN or email when ValueBot knows it, else the object id.</summary>
    private async Task<UseCaseFormCard.PeopleShown> PeopleShownAsync(UseCase useCase, CancellationToken ct)
    {
        async Task<string> TextAsync(string? aadObjectId)
        {
            if (aadObjectId is null)
            {
                return "";
            }

            var person = await knownPeople.FindAsync(aadObjectId, ct);
            return person?.UserPrincipalName ?? person?.Mail ?? aadObjectId;
        }

        var managerId = useCase.Owner is { } owner ? (await knownPeople.FindAsync(owner.AadObjectId, ct))?.ManagerAadObjectId : null;
        return new UseCaseFormCard.PeopleShown(
            await TextAsync(useCase.Owner?.AadObjectId), await TextAsync(useCase.Delegate?.AadObjectId),
            await TextAsync(useCase.Sponsor?.AadObjectId), await TextAsync(managerId));
    }

    private static string List(IReadOnlyList<StoredUseCase> matches) =>
        string.Join("; ", matches.Select(m => $"{CardText.Escape(m.UseCase.Name)} ({m.UseCase.Id:D}){(m.UseCase.Retired ? ", retired" : "")}")) + ".";

    public async Task NewUseCaseAsync(TurnContext turn, CancellationToken ct)
    {
        if (!await IsAdminAsync(turn, ct))
        {
            await turn.SendTextAsync(NotAnAdmin, ct);
            return;
        }

        await turn.SendCardAsync(UseCaseFormCard.Build(settings: Settings()), ct);
    }

    public async Task<CardActionResult> CreateAsync(TurnContext turn, CardActionData action, CancellationToken ct)
    {
        if (!await IsAdminAsync(turn, ct))
        {
            return CardActionResult.Message(NotAnAdmin + " Nothing was stored.");
        }

        var submitted = Submitted(action);
        var (input, formErrors) = UseCaseFormCard.ToInput(submitted);
        var draft = await UseCaseInputs.ToDraftAsync(input, Guid.NewGuid(), resolver, ct, registry.OrganisationPolicy, calendar.Cadence);
        var errors = Merge(formErrors, draft.Errors);
        if (draft.UseCase is not { } useCase || errors.Count > 0)
        {
            return CardActionResult.Card(UseCaseFormCard.Build(errors, submitted, settings: Settings()));
        }

        var adminName = AdminName(turn);
        var result = await registry.CreateAsync(useCase, adminName, ct);
        if (result.Outcome != RegistryOutcome.Done)
        {
            return CardActionResult.Message($"{CardText.Escape(useCase.Name)} could not be registered ({result.Outcome}). Nothing was stored; please try again.");
        }

        if (draft.Manager is { } manager && useCase.Owner is { } owner)
        {
            await knownPeople.SetManagerAsync(owner.AadObjectId, manager.AadObjectId, adminName, ct);
        }

        return CardActionResult.Card(UseCaseFormCard.Registered(result.UseCase?.UseCase ?? useCase, adminName));
    }

    private Task<bool> IsAdminAsync(TurnContext turn, CancellationToken ct) =>
        admins.IsAdminAsync(turn.Activity.From?.AadObjectId, ct);

    /// <summary>The admin as the audit trail names them: display name and object id.</summary>
    private static string AdminName(TurnContext turn)
    {
        var from = turn.Activity.From;
        var name = string.IsNullOrWhiteSpace(from?.Name) ? "Teams admin" : from.Name.Trim();
        return $"{name} ({from?.AadObjectId})";
    }

    private const string NotAnAdmin = "Only ValueBot admins can register or edit use cases. Ask an admin to add you to Admin:TeamsAdmins or to a group in Admin:TeamsAdminGroups.";
}
