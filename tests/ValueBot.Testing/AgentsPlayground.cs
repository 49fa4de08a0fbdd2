using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ValueBot.Testing;

/// <summary>A bot message as the playground's web client sees it (one websocket createMessage/updateMessage event).</summary>
/// <param name="Action"><c>createMessage</c> or <c>updateMessage</c>.</param>
/// <param name="ConversationId">The conversation the client shows it in (a channel id for a new channel post).</param>
/// <param name="PostConversationId">For a new channel post: the thread's conversation id (<c>channel;messageid=…</c>).</param>
/// <param name="MessageId">The id the mock connector gave the message (use it as replyToId).</param>
/// <param name="FromId">The sender's id (the playground's bot id for bot messages).</param>
/// <param name="Text">The text, if any. The playground splits an activity with text and attachments into two messages.</param>
/// <param name="Attachments">The attachments (contentType, content).</param>
/// <param name="Raw">The whole event.</param>
public sealed record PlaygroundMessage(
    string Action,
    string ConversationId,
    string? PostConversationId,
    string MessageId,
    string? FromId,
    string? Text,
    IReadOnlyList<PlaygroundAttachment> Attachments,
    JsonElement Raw)
{
    public const string AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

    /// <summary>The Adaptive Card contents among the attachments.</summary>
    public IEnumerable<JsonElement> AdaptiveCards =>
        Attachments.Where(a => a.ContentType == AdaptiveCardContentType).Select(a => a.Content);

    /// <summary>True when an Adaptive Card attachment's JSON contains <paramref name="fragment"/>.</summary>
    public bool CardContains(string fragment) =>
        AdaptiveCards.Any(c => c.GetRawText().Contains(fragment, StringComparison.Ordinal));
}

public sealed record PlaygroundAttachment(string ContentType, JsonElement Content);

/// <summary>
/// What the playground answered for an invoke or submit. For <c>adaptiveCard/action</c> the playground forwards
/// the bot's invoke response body as <c>{type, value}</c> (it drops <c>statusCode</c>); when the bot answers with a
/// non-2xx status the playground answers 502 with an error body.
/// </summary>
public sealed record PlaygroundInvokeResponse(HttpStatusCode StatusCode, string Body)
{
    private JsonElement? Json => string.IsNullOrWhiteSpace(Body) ? null : JsonDocument.Parse(Body).RootElement.Clone();

    /// <summary>The invoke response type, e.g. <c>application/vnd.microsoft.card.adaptive</c>.</summary>
    public string? Type => Json is { ValueKind: JsonValueKind.Object } j && j.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;

    /// <summary>The invoke response value (a card, a message string, or an error object).</summary>
    public JsonElement? Value => Json is { ValueKind: JsonValueKind.Object } j && j.TryGetProperty("value", out var v) ? v : null;

    public bool IsSuccess => (int)StatusCode is >= 200 and < 300;
}

/// <summary>
/// Microsoft 365 Agents Playground (npm <c>@microsoft/m365agentsplayground</c>) as a Teams client driven over its
/// HTTP API and websocket — no browser. See tests/node/PLAYGROUND.md.
/// </summary>
public sealed class AgentsPlayground : IAsyncDisposable
{
    private const int TailLines = 60;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly string _workDir;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly List<PlaygroundMessage> _messages = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private ClientWebSocket? _socket;
    private Task? _receiveLoop;
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    private AgentsPlayground(Process process, string workDir, string botEndpoint)
    {
        _process = process;
        _workDir = workDir;
        BotEndpoint = botEndpoint;
        Http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = RequestTimeout };
    }

    public string BotEndpoint { get; }

    /// <summary>http://127.0.0.1:PORT (the web UI, if you want to look).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The mock Bot Connector the activities carry as serviceUrl (http://localhost:PORT/_connector).</summary>
    public string ServiceUrl => BaseUrl.Replace("127.0.0.1", "localhost", StringComparison.Ordinal) + "/_connector";

    public HttpClient Http { get; }

    /// <summary>The playground's own configuration (GET /_internal/v1/config → config).</summary>
    public JsonElement Config { get; private set; }

    public string TenantId => Config.GetProperty("tenantId").GetString()!;

    public string BotId => Config.GetProperty("bot").GetProperty("id").GetString()!;

    public string BotName => Config.GetProperty("bot").GetProperty("name").GetString()!;

    /// <summary>The signed-in user (user-id-0, Alex Wilber by default).</summary>
    public string UserId => Config.GetProperty("currentUser").GetProperty("id").GetString()!;

    /// <summary>The 1:1 chat with the bot (a GUID chosen per run).</summary>
    public string PersonalConversationId => Config.GetProperty("personalChat").GetProperty("id").GetString()!;

    /// <summary>The first team's first channel (General; its id equals the team id).</summary>
    public string TeamChannelId => Config.GetProperty("teams")[0].GetProperty("channels")[0].GetProperty("id").GetString()!;

    public string TeamId => Config.GetProperty("teams")[0].GetProperty("id").GetString()!;

    /// <summary>Every bot message seen so far, in arrival order.</summary>
    public IReadOnlyList<PlaygroundMessage> BotMessages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>Starts the playground on a free loopback port, sending activities to <paramref name="botEndpoint"/>.</summary>
    public static async Task<AgentsPlayground> StartAsync(string botEndpoint, TimeSpan? startupTimeout = null, CancellationToken cancellationToken = default)
    {
        var cli = Path.Combine(RepositoryPaths.NodeTools, "node_modules", "@microsoft", "m365agentsplayground", "cli.js");
        if (!File.Exists(cli))
        {
            throw new InvalidOperationException($"{cli} not found: run `npm ci` in {RepositoryPaths.NodeTools}.");
        }

        var workDir = Directory.CreateTempSubdirectory("agents-playground-").FullName;
        var port = FreePort();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        // The same loopback-only preload as scripts/run-local.sh, so that the tests run the playground as users do.
        var loopbackOnly = Path.Combine(RepositoryPaths.Root, "scripts", "loopback-only.cjs");
        foreach (var arg in new[] { "-r", loopbackOnly, cli, "-e", botEndpoint, "-c", "msteams", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--disable-telemetry" })
        {
            start.ArgumentList.Add(arg);
        }

        // Without this it spawns xdg-open for the web UI and dies (exit 1, nothing on stderr) where there is none.
        start.Environment["TEAMSAPPTESTER_BROWSER"] = "none";
        // Its console output goes to this file, not to stdout.
        start.Environment["M365_AGENTS_PLAYGROUND_LOGFILE"] = Path.Combine(workDir, "playground.log");
        // It installs a global proxy interceptor; the bot is on loopback.
        foreach (var name in new[] { "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["NO_PROXY"] = "127.0.0.1,localhost,::1";

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var playground = new AgentsPlayground(process, workDir, botEndpoint);
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            playground.Record("out: " + e.Data);
            if (e.Data.StartsWith("Listening on ", StringComparison.Ordinal) && int.TryParse(e.Data.AsSpan("Listening on ".Length), out var actual))
            {
                listening.TrySetResult(actual);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                playground.Record("err: " + e.Data);
            }
        };
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("The playground exited with code " + SafeExitCode(process) + "."));

        try
        {
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var timeout = startupTimeout ?? TimeSpan.FromSeconds(30);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(timeout);
            try
            {
                var actualPort = await listening.Task.WaitAsync(cts.Token).ConfigureAwait(false);
                playground.BaseUrl = "http://127.0.0.1:" + actualPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await playground.WaitUntilReadyAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The playground was not ready within {timeout.TotalSeconds:0} s.");
            }
        }
        catch (Exception e)
        {
            var message = playground.Describe("Starting the Agents Playground failed: " + e.Message);
            await playground.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException(message, e);
        }

        return playground;
    }

    /// <summary>Installs the app in the personal scope: installationUpdate (add) then conversationUpdate (membersAdded: user and bot).</summary>
    public Task InstallPersonalAsync(CancellationToken cancellationToken = default) =>
        PostExpectingSuccessAsync($"/_debug/conversation/{Uri.EscapeDataString(PersonalConversationId)}/installation", new JsonObject(), cancellationToken);

    /// <summary>Adds the bot to the team: conversationUpdate (channel conversation, eventType teamMemberAdded, membersAdded: bot).</summary>
    public Task InstallInTeamAsync(CancellationToken cancellationToken = default) =>
        PostExpectingSuccessAsync($"/_debug/conversation/{Uri.EscapeDataString(TeamChannelId)}/installation", new JsonObject(), cancellationToken);

    /// <summary>Sends a user text message in the personal chat. Returns the message id the playground gave it.</summary>
    public async Task<string> SendTextAsync(string text, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["from"] = new JsonObject { ["id"] = UserId }, ["text"] = text, ["textFormat"] = "plain" };
        var json = await PostExpectingSuccessAsync($"/_conversation/v1/conversations/{Uri.EscapeDataString(PersonalConversationId)}/messages", body, cancellationToken).ConfigureAwait(false);
        return json.GetProperty("messageId").ToString();
    }

    /// <summary>
    /// Posts a new message in the team's General channel with an @mention of the bot (the playground only forwards
    /// channel messages that mention the bot). Returns the new thread's conversation id (<c>channel;messageid=…</c>).
    /// </summary>
    public async Task<string> SendChannelTextAsync(string text, CancellationToken cancellationToken = default)
    {
        var mention = $"<at>{BotName}</at>";
        var body = new JsonObject
        {
            ["from"] = new JsonObject { ["id"] = UserId },
            ["text"] = mention + " " + text,
            ["textFormat"] = "plain",
            ["mentions"] = new JsonArray(new JsonObject { ["mentioned"] = new JsonObject { ["id"] = BotId }, ["text"] = mention }),
        };
        var json = await PostExpectingSuccessAsync($"/_conversation/v1/conversations/{Uri.EscapeDataString(TeamChannelId)}/messages", body, cancellationToken).ConfigureAwait(false);
        return json.GetProperty("postConversationId").GetString()!;
    }

    /// <summary>
    /// Clicks an Action.Execute: an <c>adaptiveCard/action</c> invoke with value
    /// <c>{action:{type:"Action.Execute",verb,data},trigger:"manual"}</c> on <paramref name="replyToId"/>
    /// (default: the latest bot card in the conversation), by the signed-in user or by <paramref name="fromUserId"/>.
    /// Returns what the playground answered.
    /// </summary>
    public async Task<PlaygroundInvokeResponse> ExecuteActionAsync(
        string verb,
        JsonObject? data = null,
        string? replyToId = null,
        string? conversationId = null,
        string? fromUserId = null,
        CancellationToken cancellationToken = default)
    {
        conversationId ??= PersonalConversationId;
        var action = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data?.DeepClone() ?? new JsonObject() };
        var body = new JsonObject
        {
            ["name"] = "adaptiveCard/action",
            ["value"] = new JsonObject { ["action"] = action, ["trigger"] = "manual" },
            ["from"] = new JsonObject { ["id"] = fromUserId ?? UserId },
            ["conversation"] = new JsonObject { ["id"] = conversationId },
            ["replyToId"] = replyToId ?? LatestCardMessageId(conversationId),
        };
        var (status, text) = await PostAsync("/_conversation/v1/invoke", body, cancellationToken).ConfigureAwait(false);
        return new PlaygroundInvokeResponse(status, text);
    }

    /// <summary>
    /// Clicks an Action.Submit: the playground sends the bot a message activity whose value is <paramref name="data"/>
    /// (include <c>verb</c> for ValueBot's Submit fallback) and replyToId the card. It answers 200 with no body; the bot's
    /// reaction shows up as new bot messages.
    /// </summary>
    public async Task<PlaygroundInvokeResponse> SubmitAsync(
        JsonObject data,
        string? replyToId = null,
        string? conversationId = null,
        CancellationToken cancellationToken = default)
    {
        conversationId ??= PersonalConversationId;
        var body = new JsonObject
        {
            ["value"] = data.DeepClone(),
            ["from"] = new JsonObject { ["id"] = UserId },
            ["conversation"] = new JsonObject { ["id"] = conversationId },
            ["replyToId"] = replyToId ?? LatestCardMessageId(conversationId),
        };
        var (status, text) = await PostAsync("/_conversation/v1/submit", body, cancellationToken).ConfigureAwait(false);
        return new PlaygroundInvokeResponse(status, text);
    }

    /// <summary>
    /// Waits until at least <paramref name="count"/> bot messages satisfy <paramref name="predicate"/> and returns all
    /// that do (in arrival order, including earlier ones). Throws a TimeoutException with what was seen and the
    /// playground's output tail.
    /// </summary>
    public async Task<IReadOnlyList<PlaygroundMessage>> WaitForBotMessagesAsync(
        Func<PlaygroundMessage, bool> predicate,
        TimeSpan? timeout = null,
        int count = 1,
        CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Task arrived;
            List<PlaygroundMessage> matching;
            lock (_gate)
            {
                arrived = _arrived.Task;
                matching = _messages.Where(predicate).ToList();
            }

            if (matching.Count >= count)
            {
                return matching;
            }

            var remaining = limit - deadline.Elapsed;
            if (remaining <= TimeSpan.Zero || _receiveLoop is null || _receiveLoop.IsCompleted)
            {
                var seen = string.Join(Environment.NewLine, BotMessages.Select(m => "  " + m.Raw.GetRawText()));
                var why = _receiveLoop is null || _receiveLoop.IsCompleted ? "the websocket closed" : $"{limit.TotalSeconds:0.#} s passed";
                throw new TimeoutException(Describe(
                    $"Expected {count} matching bot message(s), found {matching.Count}; {why}. Bot messages seen:{Environment.NewLine}{seen}"));
            }

            try
            {
                await arrived.WaitAsync(remaining, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Loop once more and report.
            }
        }
    }

    /// <summary>The latest bot message with an Adaptive Card in the conversation (or its channel thread).</summary>
    public string LatestCardMessageId(string conversationId)
    {
        lock (_gate)
        {
            var message = _messages.LastOrDefault(m =>
                (m.ConversationId == conversationId || m.PostConversationId == conversationId) && m.AdaptiveCards.Any());
            return message?.MessageId ?? throw new InvalidOperationException(
                $"No bot card seen in conversation {conversationId}; pass replyToId or wait for the card first.");
        }
    }

    /// <summary>The playground's stdout/stderr and log file tail, for failure messages.</summary>
    public string OutputTail()
    {
        var builder = new StringBuilder();
        builder.AppendLine("--- playground stdout/stderr (tail) ---");
        foreach (var line in _output)
        {
            builder.AppendLine(line);
        }

        var log = Path.Combine(_workDir, "playground.log");
        try
        {
            if (File.Exists(log))
            {
                using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream);
                var lines = reader.ReadToEnd().Split('\n');
                builder.AppendLine("--- playground log (tail) ---");
                foreach (var line in lines.TakeLast(TailLines))
                {
                    builder.AppendLine(line.Length > 2000 ? line[..2000] + "…" : line);
                }
            }
        }
        catch (IOException e)
        {
            builder.AppendLine("(log unreadable: " + e.Message + ")");
        }

        return builder.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_socket is not null)
        {
            try
            {
                using var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                if (_socket.State == WebSocketState.Open)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, closeTimeout.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Closing anyway.
            }

            _socket.Abort();
            _socket.Dispose();
        }

        if (_receiveLoop is not null)
        {
            await Task.WhenAny(_receiveLoop, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var exitTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _process.WaitForExitAsync(exitTimeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // Never started, already gone, or slow to die: nothing more to do.
        }

        _process.Dispose();
        Http.Dispose();
        _stop.Dispose();
        try
        {
            Directory.Delete(_workDir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                using var ping = await Http.GetAsync(BaseUrl + "/_debug/ping", cancellationToken).ConfigureAwait(false);
                if (ping.IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        // The web client's first call; it also waits (≤ 15 s) until the bot endpoint answers.
        using (var config = await Http.GetAsync(BaseUrl + "/_internal/v1/config", cancellationToken).ConfigureAwait(false))
        {
            var text = await config.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!config.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"GET /_internal/v1/config answered {(int)config.StatusCode}: {text}");
            }

            Config = JsonDocument.Parse(text).RootElement.GetProperty("config").Clone();
        }

        // Bot messages are pushed to the web client over this websocket (buffered until a client connects).
        _socket = new ClientWebSocket();
        _socket.Options.Proxy = null;
        await _socket.ConnectAsync(new Uri(BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/_ws_conversation/v1/conversations/stream"), cancellationToken).ConfigureAwait(false);
        _receiveLoop = Task.Run(() => ReceiveAsync(_socket, _stop.Token), CancellationToken.None);
    }

    private async Task ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!cancellationToken.IsCancellationRequested && socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Record("websocket closed by the playground");
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var text = Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
                message.SetLength(0);
                Handle(text);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                Record("websocket failed: " + e.Message);
            }
        }
        finally
        {
            Pulse();
        }
    }

    private void Handle(string text)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            Record("websocket: unparsable " + text);
            return;
        }

        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("action", out var action)
            || action.GetString() is not ("createMessage" or "updateMessage")
            || !root.TryGetProperty("message", out var body))
        {
            return; // typing, logs
        }

        var from = body.TryGetProperty("from", out var f) && f.TryGetProperty("id", out var fid) ? fid.GetString() : null;
        if (Config.ValueKind == JsonValueKind.Object && from != BotId)
        {
            return; // the user's own messages
        }

        var attachments = new List<PlaygroundAttachment>();
        if (body.TryGetProperty("attachments", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var a in list.EnumerateArray())
            {
                attachments.Add(new PlaygroundAttachment(
                    a.TryGetProperty("contentType", out var ct) ? ct.GetString() ?? "" : "",
                    a.TryGetProperty("content", out var content) ? content : default));
            }
        }

        var parsed = new PlaygroundMessage(
            action.GetString()!,
            root.TryGetProperty("actionConversationId", out var c) ? c.GetString() ?? "" : "",
            body.TryGetProperty("postConversationId", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null,
            body.TryGetProperty("messageId", out var id) ? id.ToString() : "",
            from,
            body.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null,
            attachments,
            root);
        lock (_gate)
        {
            _messages.Add(parsed);
        }

        Pulse();
    }

    private void Pulse()
    {
        TaskCompletionSource previous;
        lock (_gate)
        {
            previous = _arrived;
            _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }

    private async Task<JsonElement> PostExpectingSuccessAsync(string path, JsonObject body, CancellationToken cancellationToken)
    {
        var (status, text) = await PostAsync(path, body, cancellationToken).ConfigureAwait(false);
        if ((int)status is < 200 or >= 300)
        {
            throw new InvalidOperationException(Describe($"POST {path} answered {(int)status}: {text}"));
        }

        return string.IsNullOrWhiteSpace(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, JsonObject body, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await Http.PostAsync(BaseUrl + path, content, cancellationToken).ConfigureAwait(false);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException(Describe($"POST {path} failed: {e.Message}"), e);
        }
    }

    private string Describe(string problem) =>
        problem + Environment.NewLine + "Bot endpoint: " + BotEndpoint + ", playground: " + BaseUrl
        + (SafeHasExited(_process) ? ", process exited with " + SafeExitCode(_process) : "") + Environment.NewLine + OutputTail();

    private void Record(string line)
    {
        _output.Enqueue(line);
        while (_output.Count > TailLines && _output.TryDequeue(out _))
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool SafeHasExited(Process process)
    {
        try
        {
            return process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }
}
