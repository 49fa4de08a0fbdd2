namespace ValueBot.Teams.Routing;

/// <summary>A feature module's routes; register it with <c>services.AddBotRoutes&lt;T&gt;()</c>.</summary>
public interface IBotRoutes
{
    /// <summary>Adds the module's commands, verbs and event handlers.</summary>
    void Map(BotRouter router);
}
