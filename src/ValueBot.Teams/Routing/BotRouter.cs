using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ValueBot.Teams.Cards;
using ValueBot.Teams.Schema;

namespace ValueBot.Teams.Routing;

/// <summary>A text command as listed for help texts and the manifest.</summary>
/// <param name="Name">The command words, for example <c>new use case</c>.</param>
/// <param name="Description">What it does.</param>
/// <param name="Name">The words that start the command.</param>
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
/// </summary>
public sealed partial class BotRouter
{
    private readonly List<(string[] Words, BotCommand Command, BotHandler Handler)> _commands = [];
    private readonly Dictionary<string, CardActionHandler> _verbs = new(StringComparer.Ordinal);
    private readonly List<BotHandler> _everyActivity = [];
    private readonly ILogger _logger;
    private BotHandler? _unknownText;
    private BotHandler? _conversationUpdate;
    private BotHandler? _installationUpdate;

    /// <param name="logger">Logger; optional.</param>
    public BotRouter(ILogger<BotRouter>? logger = null) => _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>The registered text commands, in registration order.</summary>
    public IReadOnlyList<BotCommand> Commands => _commands.Select(c => c.Command).ToList();

    /// <summary>The registered card verbs.</summary>
    public IReadOnlyCollection<string> Verbs => _verbs.Keys;

    /// <summary>Registers a text command (one or more words).</summary>
    public BotRouter OnCommand(string name, string description, BotHandler handler, bool inMenu = true)
    {
        ArgumentNullException.ThrowIfNull(handler);
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
    public BotRouter OnUnknownText(BotHandler handler) => SetOnce(ref _unknownText, handler, "unknown-text");

    /// <summary>Registers the handler of a card verb (Action.Execute, and its Action.Submit fallback).</summary>
    public BotRouter OnVerb(string verb, CardActionHandler handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(verb);
        ArgumentNullException.ThrowIfNull(handler);
        if (!_verbs.TryAdd(verb, handler))
        {
            throw new InvalidOperationException($"The verb '{verb}' is already registered.");
        }

        return this;
    }

    /// <summary>Registers the handler of <c>conversationUpdate</c> activities.</summary>
    public BotRouter OnConversationUpdate(BotHandler handler) => SetOnce(ref _conversationUpdate, handler, "conversationUpdate");

    /// <summary>Registers the handler of <c>installationUpdate</c> activities.</summary>
    public BotRouter OnInstallationUpdate(BotHandler handler) => SetOnce(ref _installationUpdate, handler, "installationUpdate");

    /// <summary>Adds a handler that runs before routing for every authenticated activity (several are allowed, in order).</summary>
    public BotRouter OnEveryActivity(BotHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _everyActivity.Add(handler);
        return this;
    }

    /// <summary>Runs the handlers for one activity and says what the endpoint should answer.</summary>
    public async Task<BotResponse> RouteAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        foreach (var handler in _everyActivity)
        {
            await handler(turn, cancellationToken).ConfigureAwait(false);
        }

        var activity = turn.Activity;
        switch (activity.Type)
        {
            case ActivityTypes.Message:
                return await RouteMessageAsync(turn, cancellationToken).ConfigureAwait(false);
            case ActivityTypes.Invoke when activity.Name == InvokeNames.AdaptiveCardAction:
                return await RouteCardInvokeAsync(turn, cancellationToken).ConfigureAwait(false);
            case ActivityTypes.Invoke:
                Log.Unhandled(_logger, activity.Type, activity.Name);
                return BotResponse.NotImplemented;
            case ActivityTypes.ConversationUpdate when _conversationUpdate is not null:
                await _conversationUpdate(turn, cancellationToken).ConfigureAwait(false);
                return BotResponse.Ok;
            case ActivityTypes.InstallationUpdate when _installationUpdate is not null:
                await _installationUpdate(turn, cancellationToken).ConfigureAwait(false);
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

    private async Task<BotResponse> RouteMessageAsync(TurnContext turn, CancellationToken ct)
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
                var result = await verbHandler(turn, new CardActionData(verb, data, isInvoke: false), ct).ConfigureAwait(false);
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
            await m.Command.Handler(turn, ct).ConfigureAwait(false);
            return BotResponse.Ok;
        }

        if (_unknownText is not null && words.Length > 0)
        {
            await _unknownText(turn, ct).ConfigureAwait(false);
        }

        return BotResponse.Ok;
    }

    private async Task<BotResponse> RouteCardInvokeAsync(TurnContext turn, CancellationToken ct)
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
        var result = await handler(turn, new CardActionData(verb, data, isInvoke: true, trigger), ct).ConfigureAwait(false);
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

    private ((string[] Words, BotCommand Command, BotHandler Handler) Command, string Arguments)? FindCommand(string[] words)
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

    private BotRouter SetOnce(ref BotHandler? slot, BotHandler handler, string what)
    {
        ArgumentNullException.ThrowIfNull(handler);
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
