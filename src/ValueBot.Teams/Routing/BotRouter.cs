using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ValueBot.Teams.Cards;
using ValueBot.Teams.Schema;

namespace ValueBot.Teams.Routing;

/// <summary>A text command as listed for help texts and the manifest.</summary>
/// <param name="Name">The words that start the command, for example <c>new use case</c>.</param>
/// <param name="Description">What it does, for help and the manifest.</param>
/// <param name="InMenu">Offered in the Teams command menu (the manifest allows 10 per scope); false for tools that
/// only <c>help</c> lists.</param>
public sealed record BotCommand(string Name, string Description, bool InMenu = true);

/// <summary>
/// Routes an authenticated activity to the one handler registered for it. Registration refuses ambiguity
/// (a duplicate command, verb or single-slot handler throws). Text commands are the first words of the
/// message after mentions are stripped, case-insensitive, the longest registered command winning.
/// A card verb serves both an <c>adaptiveCard/action</c> invoke and an Action.Submit message whose value
/// carries <c>"verb"</c>.
/// A handler is either a delegate that needs nothing but the turn, or a method of a handler class: the generic
/// overloads (<c>OnCommand&lt;THandler&gt;(name, description, h =&gt; h.MethodAsync)</c>) resolve <c>THandler</c> from
/// the request's services on each turn, so the class states what it needs in its constructor.
/// </summary>
public sealed partial class BotRouter
{
    private readonly List<(string[] Words, BotCommand Command, Route Handler)> _commands = [];
    private readonly Dictionary<string, VerbRoute> _verbs = new(StringComparer.Ordinal);
    private readonly List<Route> _everyActivity = [];
    private readonly ILogger _logger;
    private Route? _unknownText;
    private Route? _conversationUpdate;
    private Route? _installationUpdate;

    /// <summary>A registered handler, given the request's services to resolve its class from.</summary>
    private delegate Task Route(IServiceProvider services, TurnContext turn, CancellationToken cancellationToken);

    private delegate Task<CardActionResult> VerbRoute(IServiceProvider services, TurnContext turn, CardActionData action, CancellationToken cancellationToken);

    /// <param name="logger">Logger; optional.</param>
    public BotRouter(ILogger<BotRouter>? logger = null) => _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>The registered text commands, in registration order.</summary>
    public IReadOnlyList<BotCommand> Commands => _commands.Select(c => c.Command).ToList();

    /// <summary>The registered card verbs.</summary>
    public IReadOnlyCollection<string> Verbs => _verbs.Keys;

    /// <summary>Registers a text command (one or more words).</summary>
    public BotRouter OnCommand(string name, string description, BotHandler handler, bool inMenu = true) =>
        AddCommand(name, description, Plain(handler), inMenu);

    /// <summary>Registers a text command handled by a method of <typeparamref name="THandler"/>, resolved per turn.</summary>
    public BotRouter OnCommand<THandler>(string name, string description, Func<THandler, BotHandler> handler, bool inMenu = true)
        where THandler : notnull =>
        AddCommand(name, description, Resolved(handler), inMenu);

    private BotRouter AddCommand(string name, string description, Route handler, bool inMenu)
    {
        var words = SplitWords(name ?? "");
        if (words.Length == 0)
        {
            throw new ArgumentException("A command needs at least one word.", nameof(name));
        }

        var normalized = string.Join(' ', words);
        if (_commands.Any(c => string.Equals(c.Command.Name, normalized, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"The command '{normalized}' is already registered.");
        }

        _commands.Add((words, new BotCommand(normalized, description ?? "", inMenu), handler));
        return this;
    }

    /// <summary>Registers the handler for message text that matches no command.</summary>
    public BotRouter OnUnknownText(BotHandler handler) => SetOnce(ref _unknownText, Plain(handler), "unknown-text");

    /// <summary>Registers the handler for message text that matches no command as a method of <typeparamref name="THandler"/>.</summary>
    public BotRouter OnUnknownText<THandler>(Func<THandler, BotHandler> handler)
        where THandler : notnull => SetOnce(ref _unknownText, Resolved(handler), "unknown-text");

    /// <summary>Registers the handler of a card verb (Action.Execute, and its Action.Submit fallback).</summary>
    public BotRouter OnVerb(string verb, CardActionHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return AddVerb(verb, (_, turn, action, ct) => handler(turn, action, ct));
    }

    /// <summary>Registers the handler of a card verb as a method of <typeparamref name="THandler"/>, resolved per turn.</summary>
    public BotRouter OnVerb<THandler>(string verb, Func<THandler, CardActionHandler> handler)
        where THandler : notnull
    {
        ArgumentNullException.ThrowIfNull(handler);
        return AddVerb(verb, (services, turn, action, ct) => handler(services.GetRequiredService<THandler>())(turn, action, ct));
    }

    private BotRouter AddVerb(string verb, VerbRoute handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(verb);
        if (!_verbs.TryAdd(verb, handler))
        {
            throw new InvalidOperationException($"The verb '{verb}' is already registered.");
        }

        return this;
    }

    /// <summary>Registers the handler of <c>conversationUpdate</c> activities.</summary>
    public BotRouter OnConversationUpdate(BotHandler handler) => SetOnce(ref _conversationUpdate, Plain(handler), "conversationUpdate");

    /// <summary>Registers the handler of <c>conversationUpdate</c> activities as a method of <typeparamref name="THandler"/>.</summary>
    public BotRouter OnConversationUpdate<THandler>(Func<THandler, BotHandler> handler)
        where THandler : notnull => SetOnce(ref _conversationUpdate, Resolved(handler), "conversationUpdate");

    /// <summary>Registers the handler of <c>installationUpdate</c> activities.</summary>
    public BotRouter OnInstallationUpdate(BotHandler handler) => SetOnce(ref _installationUpdate, Plain(handler), "installationUpdate");

    /// <summary>Registers the handler of <c>installationUpdate</c> activities as a method of <typeparamref name="THandler"/>.</summary>
    public BotRouter OnInstallationUpdate<THandler>(Func<THandler, BotHandler> handler)
        where THandler : notnull => SetOnce(ref _installationUpdate, Resolved(handler), "installationUpdate");

    /// <summary>Adds a handler that runs before routing for every authenticated activity (several are allowed, in order).</summary>
    public BotRouter OnEveryActivity(BotHandler handler)
    {
        _everyActivity.Add(Plain(handler));
        return this;
    }

    /// <summary>Adds a method of <typeparamref name="THandler"/> that runs before routing for every authenticated activity.</summary>
    public BotRouter OnEveryActivity<THandler>(Func<THandler, BotHandler> handler)
        where THandler : notnull
    {
        _everyActivity.Add(Resolved(handler));
        return this;
    }

    /// <summary>
    /// Runs the handlers for one activity and says what the endpoint should answer. Handler classes are resolved from
    /// <paramref name="services"/>, the request's scope.
    /// </summary>
    public async Task<BotResponse> RouteAsync(TurnContext turn, IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(services);
        foreach (var handler in _everyActivity)
        {
            await handler(services, turn, cancellationToken).ConfigureAwait(false);
        }

        var activity = turn.Activity;
        switch (activity.Type)
        {
            case ActivityTypes.Message:
                return await RouteMessageAsync(turn, services, cancellationToken).ConfigureAwait(false);
            case ActivityTypes.Invoke when activity.Name == InvokeNames.AdaptiveCardAction:
                return await RouteCardInvokeAsync(turn, services, cancellationToken).ConfigureAwait(false);
            case ActivityTypes.Invoke:
                Log.Unhandled(_logger, activity.Type, activity.Name);
                return BotResponse.NotImplemented;
            case ActivityTypes.ConversationUpdate when _conversationUpdate is not null:
                await _conversationUpdate(services, turn, cancellationToken).ConfigureAwait(false);
                return BotResponse.Ok;
            case ActivityTypes.InstallationUpdate when _installationUpdate is not null:
                await _installationUpdate(services, turn, cancellationToken).ConfigureAwait(false);
                return BotResponse.Ok;
            default:
                Log.Unhandled(_logger, activity.Type, activity.Name);
                return BotResponse.Ok;
        }
    }

    /// <summary>Finds the command that the text starts with (longest match); null when none does.</summary>
    public (BotCommand Command, string Arguments)? MatchCommand(string text)
    {
        var match = FindCommand(SplitWords(text));
        return match is null ? null : (match.Value.Command.Command, match.Value.Arguments);
    }

    private async Task<BotResponse> RouteMessageAsync(TurnContext turn, IServiceProvider services, CancellationToken ct)
    {
        var activity = turn.Activity;
        if (activity.Value is { ValueKind: JsonValueKind.Object } value
            && value.TryGetProperty(ExecuteAction.VerbKey, out var verbElement)
            && verbElement.ValueKind == JsonValueKind.String)
        {
            var verb = verbElement.GetString()!;
            if (_verbs.TryGetValue(verb, out var verbHandler))
            {
                var data = JsonObject.Create(value) ?? [];
                var result = await verbHandler(services, turn, new CardActionData(verb, data, isInvoke: false), ct).ConfigureAwait(false);
                await ApplySubmitResultAsync(turn, result, ct).ConfigureAwait(false);
                return BotResponse.Ok;
            }

            Log.UnknownVerb(_logger, verb);
            return BotResponse.Ok;
        }

        var words = SplitWords(activity.GetTextWithoutMentions());
        var match = FindCommand(words);
        if (match is { } m)
        {
            turn.Command = m.Command.Command.Name;
            turn.CommandArguments = m.Arguments;
            await m.Command.Handler(services, turn, ct).ConfigureAwait(false);
            return BotResponse.Ok;
        }

        if (_unknownText is not null && words.Length > 0)
        {
            await _unknownText(services, turn, ct).ConfigureAwait(false);
        }

        return BotResponse.Ok;
    }

    private async Task<BotResponse> RouteCardInvokeAsync(TurnContext turn, IServiceProvider services, CancellationToken ct)
    {
        if (turn.Activity.Value is not { ValueKind: JsonValueKind.Object } value
            || !value.TryGetProperty("action", out var action)
            || action.ValueKind != JsonValueKind.Object)
        {
            return BadRequest("BadRequest", "The invoke value has no action.");
        }

        var type = action.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type != "Action.Execute")
        {
            return BadRequest("NotSupported", $"The action type '{type}' is not supported.");
        }

        var verb = action.TryGetProperty("verb", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (string.IsNullOrEmpty(verb))
        {
            return BadRequest("BadRequest", "The action has no verb.");
        }

        JsonObject data;
        if (!action.TryGetProperty("data", out var dataElement) || dataElement.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            data = [];
        }
        else if (dataElement.ValueKind == JsonValueKind.Object)
        {
            data = JsonObject.Create(dataElement) ?? [];
        }
        else
        {
            return BadRequest("BadRequest", "The action data is not an object.");
        }

        if (!_verbs.TryGetValue(verb, out var handler))
        {
            Log.UnknownVerb(_logger, verb);
            return BotResponse.NotImplemented;
        }

        var trigger = value.TryGetProperty("trigger", out var tr) && tr.ValueKind == JsonValueKind.String ? tr.GetString() : null;
        var result = await handler(services, turn, new CardActionData(verb, data, isInvoke: true, trigger), ct).ConfigureAwait(false);
        return new BotResponse(200, result.ToInvokeResponse());

        static BotResponse BadRequest(string code, string message) =>
            new(400, AdaptiveCardInvokeResponse.CreateError(400, code, message));
    }

    private async Task ApplySubmitResultAsync(TurnContext turn, CardActionResult result, CancellationToken ct)
    {
        if (result.NewCard is { } card)
        {
            var replyToId = turn.Activity.ReplyToId;
            var outcome = string.IsNullOrEmpty(replyToId)
                ? await turn.SendCardAsync(card, ct).ConfigureAwait(false)
                : await turn.UpdateAsync(replyToId, Activity.CreateCardMessage(card), ct).ConfigureAwait(false);
            if (!outcome.IsSuccess)
            {
                Log.SubmitResultNotApplied(_logger, outcome.ToString());
            }

            return;
        }

        if (!string.IsNullOrEmpty(result.Text))
        {
            var outcome = await turn.SendTextAsync(result.Text, ct).ConfigureAwait(false);
            if (!outcome.IsSuccess)
            {
                Log.SubmitResultNotApplied(_logger, outcome.ToString());
            }
        }
    }

    private ((string[] Words, BotCommand Command, Route Handler) Command, string Arguments)? FindCommand(string[] words)
    {
        foreach (var command in _commands.OrderByDescending(c => c.Words.Length))
        {
            if (command.Words.Length <= words.Length
                && command.Words.Select((w, i) => string.Equals(w, words[i], StringComparison.OrdinalIgnoreCase)).All(x => x))
            {
                return (command, string.Join(' ', words.Skip(command.Words.Length)));
            }
        }

        return null;
    }

    private static string[] SplitWords(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static Route Plain(BotHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return (_, turn, ct) => handler(turn, ct);
    }

    private static Route Resolved<THandler>(Func<THandler, BotHandler> handler)
        where THandler : notnull
    {
        ArgumentNullException.ThrowIfNull(handler);
        return (services, turn, ct) => handler(services.GetRequiredService<THandler>())(turn, ct);
    }

    private BotRouter SetOnce(ref Route? slot, Route handler, string what)
    {
        if (slot is not null)
        {
            throw new InvalidOperationException($"A {what} handler is already registered.");
        }

        slot = handler;
        return this;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1301, Level = LogLevel.Debug, Message = "No handler for activity type {Type} (name {Name})")]
        public static partial void Unhandled(ILogger logger, string? type, string? name);

        [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "No handler for card verb {Verb}")]
        public static partial void UnknownVerb(ILogger logger, string verb);

        [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "The result of a card submit could not be applied: {Outcome}")]
        public static partial void SubmitResultNotApplied(ILogger logger, string outcome);
    }
}
