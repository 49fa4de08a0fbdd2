using Microsoft.Playwright;
using ValueBot.Testing;
using ValueBot.Web.Tests.Digests;
using ValueBot.Web.Tests.Support;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.Tab;

/// <summary>
/// The tab in a real browser: Playwright for .NET driving Debian's Chromium (headless, no browser download). Each
/// person signs in as the tab's script does inside Teams — the SSO token posted to <c>/tab/session</c> from the
/// browser context, so the session cookie lands in the browser — then the pages are checked for what that person
/// sees and does not see, that the charts are drawn, and a screenshot is saved under tests/artifacts/.
/// </summary>
public sealed class TabBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    public static TheoryData<string, string, string[], string[], bool> People => new()
    {
        { "owner", "aad-grace", ["Invoice triage"], ["Claims intake", "Contract review", "Meeting notes"], false },
        { "manager", "aad-mia", ["Invoice triage", "Claims intake", "Contract review"], ["Meeting notes"], false },
        { "admin", "aad-ada", TabWorld.AllUseCases, [], true },
    };

    [Theory]
    [MemberData(nameof(People))]
    public async Task Signed_in_people_see_their_portfolio_with_its_charts_and_nothing_else(string role, string aadObjectId, string[] sees, string[] doesNotSee, bool isAdmin)
    {
        Assert.True(File.Exists(Chromium), "Debian's chromium is needed (apt-get install chromium; .ci/run does).");
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await TabWorld.StartAsync(database);
        await TabWorld.SeedAsync(host);
        var user = new[] { Ada, Grace, DigestWorld.Mia }.Single(u => TabAccessTests.Is(u, aadObjectId));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu"],
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 900 } });
        var session = await context.APIRequest.PostAsync(host.BaseUrl + "/tab/session", new APIRequestContextOptions
        {
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + TabWorld.SsoToken(host, user) },
        });
        Assert.Equal(204, session.Status);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(90_000); // CI's two cores run the whole suite beside the browser: a page may take long to come
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        var response = await page.GotoAsync(host.BaseUrl + "/tab/portfolio");
        Assert.Equal(200, response!.Status);
        var table = await page.Locator("#use-cases-table tbody th a").AllTextContentsAsync();
        Assert.Equal(sees.Order(), table.Order());
        var body = await page.Locator("main").InnerTextAsync();
        foreach (var hidden in doesNotSee)
        {
            Assert.DoesNotContain(hidden, body, StringComparison.Ordinal);
        }

        Assert.Equal(isAdmin, await page.Locator("nav a[href='/tab/delivery']").CountAsync() == 1);
        // Charts drew: bars and a line with real geometry, not an empty frame.
        Assert.True(await page.Locator("#chart-net-per-week path.chart-bar").CountAsync() > 0);
        var line = await page.Locator("#chart-net-over-time path.chart-line").GetAttributeAsync("d");
        Assert.Matches(@"^M[\d.]+ [\d.]+( L[\d.]+ [\d.]+)+", line);
        var box = await page.Locator("#chart-net-per-week svg").BoundingBoxAsync();
        Assert.True(box is { Width: > 200, Height: > 80 }, "the chart has no size");
        // The tab's own script (teams-js bundled, served by ValueBot) loaded and ran.
        Assert.Equal("ready", await page.Locator("html").GetAttributeAsync("data-script"));
        await Screenshot(page, $"tab-portfolio-{role}.png");

        // Keyboard: the first Tab reaches the skip link, which moves to the content.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("document.activeElement.textContent"));

        // A use case the person may see opens from its link, with its trend charts.
        await page.Locator("#use-cases-table tbody th a").First.ClickAsync();
        await page.WaitForURLAsync("**/tab/use-cases/**");
        Assert.True(await page.Locator("#chart-net-per-week path.chart-bar").CountAsync() > 0);
        Assert.Equal(1, await page.Locator("#audit-table").CountAsync());

        if (isAdmin)
        {
            await page.GotoAsync(host.BaseUrl + "/tab/delivery");
            Assert.Contains("403 Forbidden", await page.Locator("#attention-table").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal(1, await page.Locator("#attention-table button").CountAsync());
            await Screenshot(page, "tab-delivery-admin.png");
        }
        else
        {
            var delivery = await page.GotoAsync(host.BaseUrl + "/tab/delivery");
            Assert.Equal(403, delivery!.Status);
        }

        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_portfolio_follows_the_dark_and_contrast_themes_and_fits_320_pixels()
    {
        Assert.True(File.Exists(Chromium), "Debian's chromium is needed (apt-get install chromium; .ci/run does).");
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await TabWorld.StartAsync(database);
        await TabWorld.SeedAsync(host);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox", "--disable-gpu"] });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 320, Height = 800 } });
        await context.APIRequest.PostAsync(host.BaseUrl + "/tab/session", new APIRequestContextOptions
        {
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + TabWorld.SsoToken(host, Ada) },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(90_000); // CI's two cores run the whole suite beside the browser: a page may take long to come

        var colours = new Dictionary<string, string>();
        foreach (var theme in new[] { "default", "dark", "contrast" })
        {
            await page.GotoAsync($"{host.BaseUrl}/tab/portfolio?theme={theme}");
            colours[theme] = await page.EvaluateAsync<string>("getComputedStyle(document.documentElement).backgroundColor");
            // Links keep the theme.
            Assert.Contains($"theme={theme}", await page.Locator("#use-cases-table tbody th a").First.GetAttributeAsync("href") ?? "", StringComparison.Ordinal);
            // Nothing wider than the tab: no sideways scrolling of the page itself.
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 320"), $"wider than 320 px in {theme}");
            await Screenshot(page, $"tab-portfolio-320-{theme}.png");
        }

        Assert.Equal("rgb(255, 255, 255)", colours["default"]);
        Assert.Equal("rgb(31, 31, 31)", colours["dark"]);
        Assert.Equal("rgb(0, 0, 0)", colours["contrast"]);
    }

    private static async Task Screenshot(IPage page, string name)
    {
        var folder = Path.Combine(RepositoryPaths.Root, "tests", "artifacts");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name), FullPage = true });
    }
}
