using ValueBot.Teams.Cards;
using ValueBot.Teams.Routing;

namespace ValueBot.Web.Installations;

/// <summary>The card that greets a new installation, and the command list behind <c>help</c>.</summary>
public static class WelcomeCard
{
    /// <summary>The welcome card's button: replaces the card with the command list.</summary>
    public const string ShowCommandsVerb = "showCommands";

    public static AdaptiveCard ForPersonalChat(string? userName, IReadOnlyList<BotCommand> commands)
    {
        var card = new AdaptiveCard();
        card.Add(new TextBlock($"Welcome to ValueBot{(string.IsNullOrWhiteSpace(userName) ? "" : ", " + CardText.Escape(userName))}!") { Size = TextSize.Large, Weight = TextWeight.Bolder });
        card.Add(new TextBlock(
            "Every week I ask the owner of each AI use case a one-minute check-in — adoption, rework, exceptions, " +
            "time saved and cost — and work out what the use case really returns after everything it costs."));
        card.Add(new TextBlock("Gross value, absorption cost and net value always come together, and failures are shown as clearly as wins.") { IsSubtle = true });
        card.AddAction(new ExecuteAction("Show what I can do", ShowCommandsVerb).WithSubmitFallback());
        return card;
    }

    public static AdaptiveCard ForTeam(string? teamName, IReadOnlyList<BotCommand> commands)
    {
        var card = new AdaptiveCard();
        card.Add(new TextBlock($"ValueBot is now part of {(string.IsNullOrWhiteSpace(teamName) ? "this team" : CardText.Escape(teamName))}") { Size = TextSize.Large, Weight = TextWeight.Bolder });
        card.Add(new TextBlock(
            "I post the weekly leadership digest — portfolio net value, wins and what is not working — and shared wins. " +
            "An admin chooses the channel by mentioning me with \"post digests here\"."));
        card.Add(CommandList(commands));
        return card;
    }

    public static AdaptiveCard Help(IReadOnlyList<BotCommand> commands)
    {
        var card = new AdaptiveCard();
        card.Add(new TextBlock("What I can do") { Size = TextSize.Medium, Weight = TextWeight.Bolder });
        card.Add(CommandList(commands));
        return card;
    }

    private static FactSet CommandList(IReadOnlyList<BotCommand> commands)
    {
        var facts = new FactSet();
        foreach (var command in commands.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase))
        {
            facts.Facts.Add(new Fact(command.Name, command.Description));
        }

        return facts;
    }
}
