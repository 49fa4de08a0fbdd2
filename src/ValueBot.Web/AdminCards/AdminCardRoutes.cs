using ValueBot.Domain.Common;
using ValueBot.Teams.Hosting;
using ValueBot.Teams.Routing;
using ValueBot.Teams.Schema;
using ValueBot.Web.Admin;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.AdminCards;

/// <summary>
/// Admins register a use case from a card in their 1:1 chat: the <c>new use case</c> command sends the form, its
/// submit is validated as the admin API validates a create, and stored through <see cref="UseCaseRegistry"/>.
/// </summary>
public sealed class AdminCardRoutes : IBotRoutes
{
    public void Map(BotRouter router)
    {
        router.OnCommand("new use case", "Admins: register a new AI use case from a card", NewUseCaseAsync);
        router.OnVerb(UseCaseFormCard.CreateVerb, CreateAsync);
    }

    private static async Task NewUseCaseAsync(TurnContext turn, CancellationToken ct)
    {
        if (!await IsAdminAsync(turn, ct))
        {
            await turn.SendTextAsync(NotAnAdmin, ct);
            return;
        }

        if (turn.Activity.Conversation?.ConversationType is { } type && type != ConversationTypes.Personal)
        {
            await turn.SendTextAsync("Register use cases in your 1:1 chat with ValueBot, not here.", ct);
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

        var submitted = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var field in UseCaseFormCard.Fields)
        {
            submitted[field] = action.GetString(field);
        }

        var (input, formErrors) = UseCaseFormCard.ToInput(submitted);
        var people = turn.Services.GetRequiredService<PersonResolver>();
        var (useCase, apiErrors) = await UseCaseInputs.ToUseCaseAsync(input, Guid.NewGuid(), people, ct);

        // A value the form could not read is reported once, as unreadable, not again as missing.
        var errors = new List<FieldError>(formErrors);
        errors.AddRange(apiErrors.Where(e => !formErrors.Any(f => f.Field == UseCaseFormCard.CardField(e.Field))));
        if (useCase is null || errors.Count > 0)
        {
            return CardActionResult.Card(UseCaseFormCard.Build(errors, submitted));
        }

        var adminName = AdminName(turn);
        var result = await turn.Services.GetRequiredService<UseCaseRegistry>().CreateAsync(useCase, adminName, ct);
        if (result.Outcome != RegistryOutcome.Done)
        {
            return CardActionResult.Message($"{useCase.Name} could not be registered ({result.Outcome}). Nothing was stored; please try again.");
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
    /// <summary>The Teams admins and the "new use case" card's command and action.</summary>
    public static IServiceCollection AddAdminCards(this IServiceCollection services)
    {
        services.AddSingleton<TeamsAdmins>();
        services.AddBotRoutes<AdminCardRoutes>();
        return services;
    }
}
