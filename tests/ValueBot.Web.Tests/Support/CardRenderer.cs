using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ValueBot.Testing;

namespace ValueBot.Web.Tests.Support;

/// <summary>
/// Renders Adaptive Cards the way a Teams client draws them: Microsoft's official JS renderer (npm
/// <c>adaptivecards</c>, from tests/node) in Debian's headless Chromium, driven by Playwright for .NET, at a chat's
/// width (420 px) with a Teams-like host config (Support/teams-host-config.json). A rendered card can be measured, its
/// buttons clicked (Action.ToggleVisibility runs in the renderer; Action.Execute and Action.Submit are recorded with
/// the data the renderer would send, inputs merged), and screenshotted into tests/artifacts/.
/// </summary>
public sealed class CardRenderer : IAsyncDisposable
{
    public const int ChatWidth = 420;
    private const string Chromium = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private CardRenderer(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static string RendererScript => Path.Combine(RepositoryPaths.NodeTools, "node_modules", "adaptivecards", "dist", "adaptivecards.min.js");

    public static string RendererStyles => Path.Combine(RepositoryPaths.NodeTools, "node_modules", "adaptivecards", "dist", "adaptivecards.css");

    public static string HostConfig => Path.Combine(RepositoryPaths.Root, "tests", "ValueBot.Web.Tests", "Support", "teams-host-config.json");

    /// <summary>Launches Chromium as <c>TabBrowserTests</c> does (no browser download, no sandbox, no GPU).</summary>
    public static async Task<CardRenderer> StartAsync()
    {
        Assert.True(File.Exists(Chromium), "Debian's chromium is needed (apt-get install chromium; .ci/run does).");
        Assert.True(File.Exists(RendererScript), "The Adaptive Cards renderer is needed: npm ci in tests/node (.ci/run does).");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu"],
        });
        return new CardRenderer(playwright, browser);
    }

    /// <summary>Draws <paramref name="card"/> (the card JSON as the bot sent it) at <paramref name="width"/> pixels.</summary>
    public async Task<RenderedCard> RenderAsync(JsonNode card, int width = ChatWidth)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width + 40, Height = 900 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.SetContentAsync($$"""
            <!doctype html>
            <html><head><meta charset="utf-8"><style>
            body { margin: 20px; background: #F5F5F5; }
            #card { width: {{width}}px; background: #FFFFFF; border-radius: 4px; }
            </style></head>
            <body><div id="card"></div></body></html>
            """);
        await page.AddStyleTagAsync(new PageAddStyleTagOptions { Path = RendererStyles });
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = RendererScript });
        var problems = await page.EvaluateAsync<string[]>("""
            ([cardJson, hostConfigJson]) => {
              const card = new AdaptiveCards.AdaptiveCard();
              card.hostConfig = new AdaptiveCards.HostConfig(JSON.parse(hostConfigJson));
              window.executed = [];
              card.onExecuteAction = action => action.getJsonTypeName() === 'Action.ToggleVisibility' || window.executed.push({
                type: action.getJsonTypeName(), title: action.title, verb: action.verb ?? null, data: action.data ?? null });
              const context = new AdaptiveCards.SerializationContext();
              card.parse(JSON.parse(cardJson), context);
              const rendered = card.render();
              document.getElementById('card').appendChild(rendered);
              window.renderedCard = card;
              return context.eventCount ? Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message) : [];
            }
            """, new[] { card.ToJsonString(), await File.ReadAllTextAsync(HostConfig) });
        return new RenderedCard(context, page, problems, errors);
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}

/// <summary>What the renderer drew: a card's height and buttons as a person sees them, at one moment.</summary>
/// <param name="Height">The card's height in CSS pixels.</param>
/// <param name="Buttons">The titles of the buttons visible now, in order.</param>
/// <param name="ClippedButtons">The visible buttons whose title does not fit (cut with "…").</param>
public sealed record CardMeasure(int Height, IReadOnlyList<string> Buttons, IReadOnlyList<string> ClippedButtons);

/// <summary>One action the renderer executed: its type, title, verb and the data it would send (inputs merged).</summary>
public sealed record ExecutedAction(string Type, string Title, string? Verb, JsonObject? Data);

/// <summary>A card drawn in its own page.</summary>
public sealed class RenderedCard : IAsyncDisposable
{
    private readonly IBrowserContext _context;

    internal RenderedCard(IBrowserContext context, IPage page, IReadOnlyList<string> parseProblems, List<string> scriptErrors)
    {
        _context = context;
        Page = page;
        ParseProblems = parseProblems;
        ScriptErrors = scriptErrors;
    }

    public IPage Page { get; }

    /// <summary>What the renderer reported while parsing: unknown elements, properties it dropped.</summary>
    public IReadOnlyList<string> ParseProblems { get; }

    /// <summary>Script errors on the page.</summary>
    public IReadOnlyList<string> ScriptErrors { get; }

    public async Task<CardMeasure> MeasureAsync()
    {
        var measured = JsonNode.Parse(await Page.EvaluateAsync<string>("""
            () => {
              const root = document.getElementById('card');
              const visible = el => el.offsetParent !== null;
              const buttons = Array.from(root.querySelectorAll('button.ac-pushButton')).filter(visible);
              const title = b => (b.innerText || b.getAttribute('aria-label') || '').trim();
              const clipped = buttons.filter(b => {
                const text = b.querySelector('div') ?? b;
                return text.scrollWidth > text.clientWidth || b.scrollWidth > b.clientWidth;
              });
              return JSON.stringify({ height: Math.ceil(root.getBoundingClientRect().height), buttons: buttons.map(title), clipped: clipped.map(title) });
            }
            """))!;
        return new CardMeasure(
            measured["height"]!.GetValue<int>(),
            measured["buttons"]!.AsArray().Select(b => b!.GetValue<string>()).ToList(),
            measured["clipped"]!.AsArray().Select(b => b!.GetValue<string>()).ToList());
    }

    /// <summary>Clicks the visible button titled <paramref name="title"/>, as a person would.</summary>
    public Task ClickAsync(string title) =>
        Page.Locator("#card button.ac-pushButton:visible", new PageLocatorOptions { HasTextRegex = new Regex("^\\s*" + Regex.Escape(title) + "\\s*$") })
            .ClickAsync(new LocatorClickOptions { Timeout = 5000 });

    /// <summary>Types <paramref name="text"/> into the input with card id <paramref name="inputId"/>.</summary>
    public Task FillAsync(string inputId, string text) =>
        Page.Locator($"#card [id='{inputId}'] input, #card input[id='{inputId}']").First.FillAsync(text, new LocatorFillOptions { Timeout = 5000 });

    /// <summary>The actions executed so far (Action.Execute, Action.Submit; toggles run inside the renderer).</summary>
    public async Task<IReadOnlyList<ExecutedAction>> ExecutedAsync()
    {
        var all = JsonNode.Parse(await Page.EvaluateAsync<string>("() => JSON.stringify(window.executed)"))!.AsArray();
        return all.Select(a => new ExecutedAction(
            a!["type"]!.GetValue<string>(), a["title"]?.GetValue<string>() ?? "", a["verb"]?.GetValue<string>(), a["data"]?.DeepClone() as JsonObject)).ToList();
    }

    /// <summary>The ids of the inputs the renderer would refuse to send now (required and empty, out of range).</summary>
    public async Task<IReadOnlyList<string>> InvalidInputsAsync() =>
        JsonNode.Parse(await Page.EvaluateAsync<string>("() => JSON.stringify(window.renderedCard.getAllInputs().filter(i => !i.isValid()).map(i => i.id))"))!
            .AsArray().Select(i => i!.GetValue<string>()).ToList();

    /// <summary>Saves a screenshot of the card alone under tests/artifacts/ and returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var folder = Path.Combine(RepositoryPaths.Root, "tests", "artifacts");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        await Page.Locator("#card").ScreenshotAsync(new LocatorScreenshotOptions { Path = path });
        return path;
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
