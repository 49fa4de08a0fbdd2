using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using ValueBot.Domain.Common;
using ValueBot.Domain.UseCases;
using ValueBot.Testing;
using ValueBot.Web.Admin;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.Tab;

/// <summary>
/// Outside Teams the tab signs people in with Entra (OpenID Connect, an ID token by form_post), here against the
/// loopback Entra's authorization endpoint: the redirect, the posted token and the session, HTTP step by step as a
/// browser takes them; forged, foreign and replayed answers are refused with a 401 page and no session.
/// </summary>
public sealed partial class TabEntraSignInTests
{
    private const string Bob = "6a1c0e52-0000-4000-8000-000000000b0b";

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task OutsideTeamsAnOwnerSignsInWithEntraAndSeesTheirOwnUseCases(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        host.Issuer.SignedInUser = new FakeEntraUser(Grace.AadObjectId, Grace.Name, "grace@contoso.com");
        using var browser = TabWorld.Client(host);

        using var page = await browser.GetAsync("/tab/portfolio");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        var signIn = await browser.GetStringAsync(page.Headers.Location!.OriginalString);
        Assert.Matches("href=\"/tab/sign-in/entra\\?returnUrl=%2Ftab%2Fportfolio\"", signIn);
        var (authorize, form) = await ThroughEntraAsync(host, browser, "/tab/portfolio");
        using var back = await browser.PostAsync(form.Action, new FormUrlEncodedContent(form.Fields));

        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal("/tab/portfolio", back.Headers.Location?.OriginalString);
        Assert.Equal(ValueBotTestHost.AppId, authorize["client_id"]);
        Assert.Equal(RedirectUri(host), authorize["redirect_uri"]);
        Assert.Equal(("id_token", "form_post"), (authorize["response_type"].ToString(), authorize["response_mode"].ToString()));
        var portfolio = await browser.GetStringAsync("/tab/portfolio");
        var who = Who().Match(portfolio);
        Assert.Equal((Grace.Name, "owner or manager"), (who.Groups["name"].Value, who.Groups["role"].Value));
        var names = CsvText.Read(await browser.GetStringAsync("/tab/portfolio.csv")).Skip(1).Select(r => r.Fields[1]).ToArray();
        Assert.Equal(["Invoice triage"], names);
    }

    public static TheoryData<string> Forgeries => ["unpublished key", "another tenant", "another app", "tampered oid", "no nonce cookie", "Entra error"];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task AForgedOrForeignAnswerIsRefusedWith401AndNoSession(string forgery)
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await StartAsync(database);
        host.Issuer.SignedInUser = new FakeEntraUser(Grace.AadObjectId, Grace.Name, "grace@contoso.com");
        using var browser = TabWorld.Client(host);
        var (authorize, form) = await ThroughEntraAsync(host, browser, "/tab/portfolio");
        var nonce = authorize["nonce"].ToString();
        var fields = new Dictionary<string, string>(form.Fields);
        var rogue = host.Issuer.CreateKey("rogue", publish: false);
        string Token(string tenant, string audience, FakeSigningKey? key = null) => host.Issuer.CreateToken(new FakeTokenSpec
        {
            Issuer = $"https://login.microsoftonline.com/{tenant}/v2.0",
            Audience = audience,
            Key = key,
            Claims = new Dictionary<string, object> { ["oid"] = Ada.AadObjectId, ["tid"] = tenant, ["name"] = Ada.Name, ["nonce"] = nonce, ["ver"] = "2.0" },
        });
        var client = browser;
        using var stranger = TabWorld.Client(host);
        switch (forgery)
        {
            case "unpublished key":
                fields["id_token"] = Token(ValueBotTestHost.TenantId, ValueBotTestHost.AppId, rogue);
                break;
            case "another tenant":
                fields["id_token"] = Token("22222222-2222-2222-2222-222222222222", ValueBotTestHost.AppId);
                break;
            case "another app":
                fields["id_token"] = Token(ValueBotTestHost.TenantId, "00000000-0000-0000-0000-0000000000ff");
                break;
            case "tampered oid":
                fields["id_token"] = FakeTokenIssuer.Tamper(fields["id_token"], "oid", Ada.AadObjectId);
                break;
            case "no nonce cookie":
                client = stranger; // the answer replayed from a browser that never started this sign-in
                break;
            default:
                fields.Remove("id_token");
                fields["error"] = "access_denied";
                fields["error_description"] = "AADSTS65004: User declined to consent to access the app.";
                break;
        }

        using var back = await client.PostAsync(form.Action, new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.Unauthorized, back.StatusCode);
        Assert.Equal("text/html", back.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>Sign-in failed", await back.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var portfolio = await client.GetAsync("/tab/portfolio");
        Assert.Equal(HttpStatusCode.Redirect, portfolio.StatusCode);
        Assert.StartsWith("/tab/sign-in", portfolio.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EntraRefusesAnUnregisteredRedirectAndNobodyIsSignedIn()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await StartAsync(database, register: false);
        host.Issuer.RegisterWebApp(ValueBotTestHost.TenantId, ValueBotTestHost.AppId, idTokens: true, "https://valuebot.example.com/tab/signin-oidc");
        host.Issuer.SignedInUser = new FakeEntraUser(Grace.AadObjectId, Grace.Name, "grace@contoso.com");
        using var browser = TabWorld.Client(host);

        using var challenge = await browser.GetAsync("/tab/sign-in/entra?returnUrl=%2Ftab%2Fportfolio");
        using var entra = new HttpClient();
        using var answer = await entra.GetAsync(challenge.Headers.Location);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("AADSTS50011", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var portfolio = await browser.GetAsync("/tab/portfolio");
        Assert.Equal(HttpStatusCode.Redirect, portfolio.StatusCode);
    }

    private sealed record PostedForm(string Action, IReadOnlyDictionary<string, string> Fields);

    private static string RedirectUri(ValueBotTestHost host) => host.BaseUrl.TrimEnd('/') + "/tab/signin-oidc";

    private static async Task<ValueBotTestHost> StartAsync(TestDatabase database, bool register = true)
    {
        // The real clock: the sign-in's state and nonce cookies expire by it.
        var host = await ValueBotTestHost.StartAsync(database.ConnectionString, TabWorld.Settings(), TimeProvider.System);
        if (register)
        {
            host.Issuer.RegisterWebApp(ValueBotTestHost.TenantId, ValueBotTestHost.AppId, idTokens: true, RedirectUri(host));
        }

        await host.WithScopeAsync(async sp =>
        {
            var registry = sp.GetRequiredService<UseCaseRegistry>();
            foreach (var (name, owner, ownerName) in new[] { ("Invoice triage", Grace.AadObjectId, Grace.Name), ("Claims intake", Bob, "Bob Builder") })
            {
                await registry.CreateAsync(new UseCase
                {
                    Id = Guid.NewGuid(),
                    Name = name,
                    ValueModel = ValueModel.ProcessReengineering,
                    Owner = new PersonRef(owner, ownerName),
                    TargetUsers = 100,
                    Baseline = new Baseline(10m, 500m, new Money(60m, "EUR"), 0.1m, 20m),
                    PlannedRunCostPerMonth = new Money(1300m, "EUR"),
                }, "test", CancellationToken.None);
            }

            return 0;
        });
        return host;
    }

    /// <summary>The sign-in as the browser takes it: ValueBot's redirect to Entra, Entra's answer page; returns the authorize query and the form it would post.</summary>
    private static async Task<(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> Authorize, PostedForm Form)> ThroughEntraAsync(
        ValueBotTestHost host, HttpClient browser, string returnUrl)
    {
        using var challenge = await browser.GetAsync("/tab/sign-in/entra?returnUrl=" + Uri.EscapeDataString(returnUrl));
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var location = challenge.Headers.Location!;
        Assert.StartsWith(host.Issuer.AuthorizeEndpoint(ValueBotTestHost.TenantId) + "?", location.AbsoluteUri, StringComparison.Ordinal);
        var authorize = QueryHelpers.ParseQuery(location.Query);
        using var entra = new HttpClient();
        var html = await entra.GetStringAsync(location);
        var action = FormAction().Match(html).Groups[1].Value;
        var fields = HiddenInput().Matches(html).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        return (authorize, new PostedForm(WebUtility.HtmlDecode(action), fields));
    }

    [GeneratedRegex("<form method=\"POST\" name=\"hiddenform\" action=\"([^\"]*)\">")]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\" />")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("<span class=\"who\" data-viewer-role=\"(?<role>[^\"]*)\">(?<name>[^<]*) <small>")]
    private static partial Regex Who();
}
