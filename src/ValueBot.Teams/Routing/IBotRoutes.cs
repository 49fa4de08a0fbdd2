namespace ValueBot.Teams.Routing;

/// <summary>
/// A feature's routes and handlers in one class: the static <see cref="Map"/> is the route table (which command, verb
/// or event goes to which method), and the class itself is the scoped handler, resolved from the request's services on
/// each turn, whose constructor states what its handlers need. Register it with <c>services.AddBotRoutes&lt;T&gt;()</c>.
/// </summary>
public interface IBotRoutes
{
    /// <summary>Adds the feature's commands, verbs and event handlers.</summary>
    static abstract void Map(BotRouter router);
}
