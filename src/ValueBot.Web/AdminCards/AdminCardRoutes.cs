using ValueBot.Domain.Common;
using ValueBot.Domain.UseCases;
using ValueBot.Teams.Cards;
using ValueBot.Teams.Hosting;
using ValueBot.Teams.Routing;
using ValueBot.Web.Admin;
using ValueBot.Web.Installations;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.AdminCards;

/// <summary>
/// Admins register and edit use cases from a card in their 1:1 chat: <c>new use case</c> sends the form, <c>edit use
/// case &lt;name or id&gt;</c> sends it prefilled with the stored values. Submits are validated as the admin API validates
/// a create or update and stored through <see cref="UseCaseRegistry"/> (an edit only if nobody changed the use case since
/// the card was sent).
/// </summary>
public sealed class AdminCardRoutes : IBotRoutes
{
    public void Map(BotRouter router)
    {
        // Admin cards belong in the admin's 1:1 chat: typed elsewhere, they are sent there.
        router.OnCommand("new use case", "Admins: register a new AI use case from a card", PersonalAnswers.Command(NewUseCaseAsync));
        router.OnVerb(UseCaseFormCard.CreateVerb, PersonalAnswers.Verb(CreateAsync));
        router.OnCommand("edit use case", "Admins: change a use case from a card (edit use case followed by its name or id)", PersonalAnswers.Command(EditUseCaseAsync));
        router.OnVerb(UseCaseFormCard.UpdateVerb, PersonalAnswers.Verb(UpdateAsync));
        router.OnVerb(UseCaseFormCard.OpenEditVerb, PersonalAnswers.Verb(OpenEditAsync));
    }

    private const int MaxMatchesListed = 10;

    private static async Task EditUseCaseAsync(TurnContext turn, CancellationToken ct)
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

        var registry = turn.Services.GetRequiredService<UseCaseRegistry>();
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

        await turn.SendCardAsync(await EditFormAsync(registry, stored, ct), ct);
    }

    /// <summary>The "Edit" button of a registered or updated card: the form for the use case as it is now.</summary>
    private static async Task<CardActionResult> OpenEditAsync(TurnContext turn, CardActionData action, CancellationToken ct)
    {
        if (!await IsAdminAsync(turn, ct))
        {
            return CardActionResult.Message(NotAnAdmin);
        }

        var registry = turn.Services.GetRequiredService<UseCaseRegistry>();
        if (!Guid.TryParse(action.GetString(UseCaseFormCard.UseCaseIdKey), out var id) || await registry.GetAsync(id, ct) is not { } stored)
        {
            return CardActionResult.Message("That use case no longer exists.");
        }

        return CardActionResult.Card(await EditFormAsync(registry, stored, ct));
    }

    private static async Task<Teams.Cards.AdaptiveCard> EditFormAsync(UseCaseRegistry registry, StoredUseCase stored, CancellationToken ct)
    {
        var ownerShown = await OwnerTextAsync(registry, stored.UseCase, ct);
        var state = new UseCaseFormCard.EditState(stored.UseCase.Id, stored.RowVersion, ownerShown);
        return UseCaseFormCard.BuildEdit(state, UseCaseFormCard.ValuesOf(stored.UseCase, ownerShown));
    }

    private static async Task<CardActionResult> UpdateAsync(TurnContext turn, CardActionData action, CancellationToken ct)
    {
        if (!await IsAdminAsync(turn, ct))
        {
            return CardActionResult.Message(NotAnAdmin + " Nothing was changed.");
        }

        if (!Guid.TryParse(action.GetString(UseCaseFormCard.UseCaseIdKey), out var id) || action.GetInt32(UseCaseFormCard.RowVersionKey) is not { } rowVersion)
        {
            return CardActionResult.Message("This card does not say which use case it edits. Nothing was changed; type edit use case followed by its name to start again.");
        }

        var registry = turn.Services.GetRequiredService<UseCaseRegistry>();
        var stored = await registry.GetAsync(id, ct);
        if (stored is null)
        {
            return CardActionResult.Message($"The use case {id} no longer exists. Nothing was changed.");
        }

        var ownerShown = action.GetString(UseCaseFormCard.OwnerShownKey) ?? "";
        var state = new UseCaseFormCard.EditState(id, rowVersion, ownerShown);
        var submitted = Submitted(action);
        var (form, formErrors) = UseCaseFormCard.ToInput(submitted);
        // The card edits some fields; every other field (delegate, sponsor, schedule, thresholds, rules…) stays as stored.
        var current = UseCaseInputs.From(stored.UseCase);
        var ownerUnchanged = stored.UseCase.Owner is not null
            && string.Equals(submitted[UseCaseFormCard.OwnerUpn]?.Trim(), ownerShown, StringComparison.OrdinalIgnoreCase);
        var input = current with
        {
            Name = form.Name,
            Description = form.Description,
            ValueModel = form.ValueModel,
            Stage = form.Stage,
            Owner = ownerUnchanged ? current.Owner : form.Owner,
            PnlLine = form.PnlLine,
            TargetUsers = form.TargetUsers,
            Currency = form.Currency,
            Baseline = form.Baseline! with { ReworkRateBeforeAi = current.Baseline?.ReworkRateBeforeAi },
            DeclaredPilotBenefit = form.DeclaredPilotBenefit,
            PlannedRunCostPerMonth = form.PlannedRunCostPerMonth,
        };
        var people = turn.Services.GetRequiredService<PersonResolver>();
        var (useCase, apiErrors) = await UseCaseInputs.ToUseCaseAsync(input, id, people, ct, registry.OrganisationPolicy);
        var errors = new List<FieldError>(formErrors);
        errors.AddRange(apiErrors.Where(e => !formErrors.Any(f => f.Field == UseCaseFormCard.CardField(e.Field))));
        if (useCase is null || errors.Count > 0)
        {
            return CardActionResult.Card(UseCaseFormCard.BuildEdit(state, submitted, errors));
        }

        // People the card does not edit keep what ValueBot knows of them (e.g. that they left).
        useCase = useCase with
        {
            Owner = ownerUnchanged ? stored.UseCase.Owner : useCase.Owner,
            Delegate = stored.UseCase.Delegate,
            Sponsor = stored.UseCase.Sponsor,
            Retired = stored.UseCase.Retired,
        };
        var adminName = AdminName(turn);
        var result = await registry.UpdateAsync(id, useCase, rowVersion, adminName, ct);
        return result.Outcome switch
        {
            RegistryOutcome.Done when result.UseCase is { } updated =>
                CardActionResult.Card(UseCaseFormCard.Updated(updated.UseCase, result.Changes ?? [], updated.RowVersion, adminName)),
            RegistryOutcome.NotFound => CardActionResult.Message($"The use case {id} no longer exists. Nothing was changed."),
            _ => CardActionResult.Message(
                $"{CardText.Escape(stored.UseCase.Name)} was changed by someone else meanwhile (this card shows version {rowVersion}, the stored one is newer). " +
                $"Nothing was changed. Type edit use case {id} to edit the current version."),
        };
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

    /// <summary>How the owner is shown on the edit card: UPN or email when ValueBot knows it, else the object id.</summary>
    private static async Task<string> OwnerTextAsync(UseCaseRegistry registry, UseCase useCase, CancellationToken ct)
    {
        if (useCase.Owner is not { } owner)
        {
            return "";
        }

        var person = await registry.PersonAsync(owner.AadObjectId, ct);
        return person?.UserPrincipalName ?? person?.Mail ?? owner.AadObjectId;
    }

    private static string List(IReadOnlyList<StoredUseCase> matches) =>
        string.Join("; ", matches.Select(m => $"{CardText.Escape(m.UseCase.Name)} ({m.UseCase.Id:D}){(m.UseCase.Retired ? ", retired" : "")}")) + ".";

    private static async Task NewUseCaseAsync(TurnContext turn, CancellationToken ct)
    {
        if (!await IsAdminAsync(turn, ct))
        {
            await turn.SendTextAsync(NotAnAdmin, ct);
            return;
        }

        await turn.SendCardAsync(UseCaseFormCard.Build(), ct);
    }

    private static async Task<CardActionResult> CreateAsync(TurnContext turn, CardActionData action, CancellationToken ct)
    {
        if (!await IsAdminAsync(turn, ct))
        {
            return CardActionResult.Message(NotAnAdmin + " Nothing was stored.");
        }

        var submitted = Submitted(action);
        var (input, formErrors) = UseCaseFormCard.ToInput(submitted);
        var people = turn.Services.GetRequiredService<PersonResolver>();
        var registry = turn.Services.GetRequiredService<UseCaseRegistry>();
        var (useCase, apiErrors) = await UseCaseInputs.ToUseCaseAsync(input, Guid.NewGuid(), people, ct, registry.OrganisationPolicy);

        // A value the form could not read is reported once, as unreadable, not again as missing.
        var errors = new List<FieldError>(formErrors);
        errors.AddRange(apiErrors.Where(e => !formErrors.Any(f => f.Field == UseCaseFormCard.CardField(e.Field))));
        if (useCase is null || errors.Count > 0)
        {
            return CardActionResult.Card(UseCaseFormCard.Build(errors, submitted));
        }

        var adminName = AdminName(turn);
        var result = await registry.CreateAsync(useCase, adminName, ct);
        if (result.Outcome != RegistryOutcome.Done)
        {
            return CardActionResult.Message($"{CardText.Escape(useCase.Name)} could not be registered ({result.Outcome}). Nothing was stored; please try again.");
        }

        return CardActionResult.Card(UseCaseFormCard.Registered(result.UseCase?.UseCase ?? useCase, adminName));
    }

    private static Task<bool> IsAdminAsync(TurnContext turn, CancellationToken ct) =>
        turn.Services.GetRequiredService<TeamsAdmins>().IsAdminAsync(turn.Activity.From?.AadObjectId, ct);

    /// <summary>The admin as the audit trail names them: display name and object id.</summary>
    private static string AdminName(TurnContext turn)
    {
        var from = turn.Activity.From;
        var name = string.IsNullOrWhiteSpace(from?.Name) ? "Teams admin" : from.Name.Trim();
        return $"{name} ({from?.AadObjectId})";
    }

    private const string NotAnAdmin = "Only ValueBot admins can register or edit use cases. Ask an admin to add you to Admin:TeamsAdmins or to a group in Admin:TeamsAdminGroups.";
}

public static class AdminCardServiceCollectionExtensions
{
    /// <summary>The Teams admins and the "new use case" / "edit use case" cards' commands and actions.</summary>
    public static IServiceCollection AddAdminCards(this IServiceCollection services)
    {
        services.AddSingleton<TeamsAdmins>();
        services.AddBotRoutes<AdminCardRoutes>();
        return services;
    }
}
