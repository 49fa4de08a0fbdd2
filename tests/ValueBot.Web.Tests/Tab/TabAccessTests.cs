using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using ValueBot.Domain.Digests;
using ValueBot.Testing;
using ValueBot.Web.Admin;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Digests;
using ValueBot.Web.Tests.Digests;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.Tab;

/// <summary>Signing in to the tab and who sees what there (DOMAIN.md "Who sees what", the portfolio row).</summary>
public sealed class TabAccessTests
{
    public static TheoryData<string, string[]> Visible => new()
    {
        { "aad-grace", ["Invoice triage"] },
        { "aad-bob", ["Claims intake", "Contract review"] },
        { "aad-mia", ["Invoice triage", "Claims intake", "Contract review"] },
        { "aad-eve", ["Meeting notes"] },
        { "aad-lee", TabWorld.AllUseCases },
        { "aad-ada", TabWorld.AllUseCases },
        { "aad-zed", [] },
    };

    private static User UserOf(string aadObjectId) =>
        new[] { Ada, Grace, DigestWorld.Bob, DigestWorld.Mia, DigestWorld.Eve, TabWorld.Lee, TabWorld.Zed }.Single(u => Is(u, aadObjectId));

    // The cases name people "aad-<name>"; Ada and Grace have GUID object ids now (the API refuses other ids).
    internal static bool Is(User user, string key) => user.AadObjectId == key || "aad-" + user.Id[3..] == key;

    [Theory]
    [MemberData(nameof(Visible))]
    public async Task Each_viewer_sees_exactly_the_use_cases_the_bot_would_show_them(string aadObjectId, string[] expected)
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await TabWorld.StartAsync(database);
        await TabWorld.SeedAsync(host);
        using var client = await TabWorld.SignedInAsync(host, UserOf(aadObjectId));

        var csv = await client.GetStringAsync("/tab/portfolio.csv");
        var names = CsvText.Read(csv).Skip(1).Select(r => r.Fields[1]).Order().ToArray();
        Assert.Equal(expected.Order().ToArray(), names);

        var page = await client.GetStringAsync("/tab/portfolio");
        foreach (var name in TabWorld.AllUseCases)
        {
            Assert.Equal(expected.Contains(name), page.Contains(name, StringComparison.Ordinal));
        }

        foreach (var (id, name) in new[] { (DigestWorld.Invoices, "Invoice triage"), (DigestWorld.Claims, "Claims intake"), (TabWorld.MeetingNotes, "Meeting notes") })
        {
            using var response = await client.GetAsync($"/tab/use-cases/{id:D}");
            Assert.Equal(expected.Contains(name) ? HttpStatusCode.OK : HttpStatusCode.NotFound, response.StatusCode);
            using var download = await client.GetAsync($"/tab/use-cases/{id:D}.csv");
            Assert.Equal(expected.Contains(name) ? HttpStatusCode.OK : HttpStatusCode.NotFound, download.StatusCode);
        }
    }

    [Theory]
    [InlineData("aad-ada", HttpStatusCode.OK)]
    [InlineData("aad-lee", HttpStatusCode.Forbidden)]
    [InlineData("aad-mia", HttpStatusCode.Forbidden)]
    [InlineData("aad-grace", HttpStatusCode.Forbidden)]
    public async Task Only_admins_open_the_delivery_view(string aadObjectId, HttpStatusCode expected)
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await TabWorld.StartAsync(database);
        await TabWorld.SeedAsync(host);
        using var client = await TabWorld.SignedInAsync(host, UserOf(aadObjectId));

        using var page = await client.GetAsync("/tab/delivery");
        using var csv = await client.GetAsync("/tab/delivery.csv");
        Assert.Equal(expected, page.StatusCode);
        Assert.Equal(expected, csv.StatusCode);
        Assert.Equal(expected == HttpStatusCode.OK, (await page.Content.ReadAsStringAsync()).Contains("href=\"/tab/delivery\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_session_the_pages_send_to_sign_in_and_downloads_answer_401()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await TabWorld.StartAsync(database);
        using var client = TabWorld.Client(host);

        using var page = await client.GetAsync("/tab/portfolio?week=2026-W11");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/tab/sign-in?returnUrl=%2Ftab%2Fportfolio%3Fweek%3D2026-W11", page.Headers.Location!.OriginalString);
        using var csv = await client.GetAsync("/tab/portfolio.csv");
        Assert.Equal(HttpStatusCode.Unauthorized, csv.StatusCode);
        using var signIn = await client.GetAsync("/tab/sign-in");
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.DoesNotContain("Development sign-in", await signIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public static TheoryData<string> BadTokens => new() { "audience", "tenant", "expired", "tampered", "unsigned", "unpublished-key" };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_token_that_is_not_a_valid_sso_token_for_this_tab_gets_no_session(string flaw)
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await TabWorld.StartAsync(database);
        await TabWorld.SeedAsync(host);
        var token = flaw switch
        {
            "audience" => TabWorld.SsoToken(host, Ada, audience: $"api://elsewhere.example.com/{ValueBotTestHost.AppId}"),
            "tenant" => TabWorld.SsoToken(host, Ada, tenant: "22222222-2222-2222-2222-222222222222"),
            // Expired by the host's clock (13 March 2026), not only by the real one.
            "expired" => TabWorld.SsoToken(host, Ada, expires: DigestWorld.Now.AddMinutes(-10)),
            "tampered" => FakeTokenIssuer.Tamper(TabWorld.SsoToken(host, Grace), "oid", Ada.AadObjectId),
            "unsigned" => FakeTokenIssuer.CreateUnsignedToken(new Dictionary<string, object>
            {
                ["iss"] = $"https://login.microsoftonline.com/{ValueBotTestHost.TenantId}/v2.0", ["aud"] = TabWorld.Audience, ["oid"] = Ada.AadObjectId,
                ["exp"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
            }),
            _ => host.Issuer.CreateToken(new FakeTokenSpec
            {
                Issuer = $"https://login.microsoftonline.com/{ValueBotTestHost.TenantId}/v2.0", Audience = TabWorld.Audience,
                NotBefore = DigestWorld.Now.AddDays(-1), Expires = DateTimeOffset.UtcNow.AddDays(1),
                Key = host.Issuer.CreateKey("not-published", publish: false),
                Claims = new Dictionary<string, object> { ["oid"] = Ada.AadObjectId, ["tid"] = ValueBotTestHost.TenantId },
            }),
        };
        using var client = TabWorld.Client(host);

        using var session = new HttpRequestMessage(HttpMethod.Post, "/tab/session");
        session.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(session);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var direct = new HttpRequestMessage(HttpMethod.Get, "/tab/delivery.csv");
        direct.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var csv = await client.SendAsync(direct);
        Assert.Equal(HttpStatusCode.Unauthorized, csv.StatusCode);
        using var page = await client.GetAsync("/tab/portfolio");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
    }

    [Fact]
    public async Task A_valid_sso_token_also_works_as_a_bearer_token_on_a_download()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await TabWorld.StartAsync(database);
        await TabWorld.SeedAsync(host);
        using var client = TabWorld.Client(host);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/tab/portfolio.csv");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TabWorld.SsoToken(host, Grace));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(["Invoice triage"], CsvText.Read(await response.Content.ReadAsStringAsync()).Skip(1).Select(r => r.Fields[1]));
    }

    [Fact]
    public async Task The_session_cookie_is_http_only_and_scoped_to_the_tab()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await TabWorld.StartAsync(database);
        using var client = TabWorld.Client(host);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/tab/session");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TabWorld.SsoToken(host, Ada));

        using var response = await client.SendAsync(request);

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(".ValueBot.Tab=", cookie, StringComparison.Ordinal);
        Assert.Contains("path=/tab", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        // Plain http on loopback: Lax (a SameSite=None cookie must be Secure, which only https gives).
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_development_sign_in_exists_only_in_local_mode()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using (var host = await TabWorld.StartAsync(database))
        {
            using var client = TabWorld.Client(host);
            using var refused = await client.PostAsync("/tab/sign-in/dev", new FormUrlEncodedContent(new Dictionary<string, string> { ["person"] = Ada.AadObjectId }));
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Empty(refused.Headers.TryGetValues("Set-Cookie", out var none) ? none : []);
        }

        await using var local = await TabWorld.StartAsync(database, localMode: true);
        await TabWorld.SeedAsync(local);
        using var browser = TabWorld.Client(local);
        var signIn = await browser.GetStringAsync("/tab/sign-in");
        Assert.Contains("Development sign-in", signIn, StringComparison.Ordinal);
        Assert.Contains("Grace Hopper", signIn, StringComparison.Ordinal);
        using var unknown = await browser.PostAsync("/tab/sign-in/dev", new FormUrlEncodedContent(new Dictionary<string, string> { ["person"] = "aad-nobody" }));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        using var signedIn = await browser.PostAsync("/tab/sign-in/dev", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["person"] = Grace.AadObjectId, ["returnUrl"] = "https://evil.example.com/",
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/tab/portfolio", signedIn.Headers.Location!.OriginalString);
        var csv = await browser.GetStringAsync("/tab/portfolio.csv");
        Assert.Equal(["Invoice triage"], CsvText.Read(csv).Skip(1).Select(r => r.Fields[1]));
    }

    [Theory]
    [InlineData("/tab/portfolio?week=last-week", HttpStatusCode.BadRequest)]
    [InlineData("/tab/portfolio?page=0", HttpStatusCode.BadRequest)]
    [InlineData("/tab/portfolio.csv?week=2026-W99", HttpStatusCode.BadRequest)]
    [InlineData("/tab/use-cases/not-a-guid", HttpStatusCode.BadRequest)]
    [InlineData("/tab/use-cases/0000000a-0000-4000-8000-0000000000ff", HttpStatusCode.NotFound)]
    [InlineData("/tab/delivery?week=W11", HttpStatusCode.BadRequest)]
    [InlineData("/tab/assets/../appsettings.json", HttpStatusCode.NotFound)]
    public async Task Bad_addresses_get_a_clear_4xx(string path, HttpStatusCode expected)
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await TabWorld.StartAsync(database);
        await TabWorld.SeedAsync(host);
        using var client = await TabWorld.SignedInAsync(host, Ada);

        using var response = await client.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task The_managers_portfolio_shows_the_figures_of_the_manager_digest()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await TabWorld.StartAsync(database);
        await TabWorld.SeedAsync(host);
        using var client = await TabWorld.SignedInAsync(host, DigestWorld.Mia);

        var page = await client.GetStringAsync("/tab/portfolio");

        var digest = await host.WithScopeAsync(async sp =>
        {
            var snapshot = await sp.GetRequiredService<DigestStore>().LoadAsync(DigestWorld.Week, CancellationToken.None);
            var lines = DigestComposer.Lines(snapshot.UseCases, DigestWorld.Week, sp.GetRequiredService<UseCaseRegistry>().OrganisationPolicy);
            return DigestComposer.ForManager(snapshot.Ref(DigestWorld.Mia.AadObjectId), lines.Where(l => snapshot.ManagerOf(l.UseCase.Owner?.AadObjectId) == DigestWorld.Mia.AadObjectId), DigestWorld.Week);
        });
        Assert.Equal(digest.NinetyDays.Net.ToString(), FigureOf(page, "net"));
        Assert.Equal(digest.NinetyDays.Gross.ToString(), FigureOf(page, "gross"));
        Assert.Equal(digest.ThisWeek.Net.ToString(), FigureOf(page, "net-week"));
        Assert.NotEqual("–", FigureOf(page, "net"));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task A_new_answer_shows_on_the_next_request(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await TabWorld.StartAsync(database);
        await TabWorld.SeedAsync(host);
        using var client = await TabWorld.SignedInAsync(host, DigestWorld.Eve);
        Assert.Equal("–", FigureOf(await client.GetStringAsync("/tab/portfolio"), "net-week"));

        await host.WithScopeAsync(sp => sp.GetRequiredService<CheckInStore>()
            .RecordAnswerAsync(TabWorld.MeetingNotes, DigestWorld.Week, DigestWorld.Answer(90), DigestWorld.Eve.AadObjectId, CancellationToken.None));

        // T=200, m=6, h=60 → gross 1,200; absorption 100 + 80 + 300 → net 720.
        Assert.Equal("720.00 EUR", FigureOf(await client.GetStringAsync("/tab/portfolio"), "net-week"));
    }

    [Fact]
    public async Task Csv_downloads_neutralise_text_that_a_spreadsheet_would_run()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await TabWorld.StartAsync(database);
        await TabWorld.SeedAsync(host);
        await host.WithScopeAsync(async sp =>
        {
            var registry = sp.GetRequiredService<UseCaseRegistry>();
            var stored = (await registry.GetAsync(DigestWorld.Invoices, CancellationToken.None))!;
            return await registry.UpdateAsync(DigestWorld.Invoices, stored.UseCase with { Name = "=HYPERLINK(\"http://x\")" }, null, "test", CancellationToken.None);
        });
        using var client = await TabWorld.SignedInAsync(host, Grace);

        var portfolio = CsvText.Read(await client.GetStringAsync("/tab/portfolio.csv")).Skip(1).Single().Fields;
        var useCase = CsvText.Read(await client.GetStringAsync($"/tab/use-cases/{DigestWorld.Invoices:D}.csv")).Skip(1).First().Fields;

        Assert.Equal("'=HYPERLINK(\"http://x\")", portfolio[1]);
        Assert.Equal("'=HYPERLINK(\"http://x\")", useCase[1]);
    }

    [Fact]
    public async Task Pages_escape_what_people_typed()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await TabWorld.StartAsync(database);
        await TabWorld.SeedAsync(host);
        await host.WithScopeAsync(async sp =>
        {
            var registry = sp.GetRequiredService<UseCaseRegistry>();
            var stored = (await registry.GetAsync(DigestWorld.Invoices, CancellationToken.None))!;
            return await registry.UpdateAsync(DigestWorld.Invoices, stored.UseCase with { Name = "<script>alert(1)</script>" }, null, "test", CancellationToken.None);
        });
        using var client = await TabWorld.SignedInAsync(host, Grace);

        var portfolio = await client.GetStringAsync("/tab/portfolio");
        var useCase = await client.GetStringAsync($"/tab/use-cases/{DigestWorld.Invoices:D}");

        Assert.DoesNotContain("<script>alert", portfolio, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", useCase, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", useCase, StringComparison.Ordinal);
    }

    internal static string FigureOf(string html, string figure)
    {
        var match = Regex.Match(html, $"data-figure=\"{figure}\"><span class=\"figure-label\">[^<]*</span><span class=\"figure-value\">([^<]*)</span>");
        Assert.True(match.Success, $"no figure {figure}");
        return System.Net.WebUtility.HtmlDecode(match.Groups[1].Value);
    }
}
