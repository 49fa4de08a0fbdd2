using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using ValueBot.Domain.Periods;
using ValueBot.Teams.Hosting;
using ValueBot.Web.Admin;
using ValueBot.Web.AdminCards;
using ValueBot.Web.Operator;
using ValueBot.Web.Persistence;
using ValueBot.Web.UseCases;
using ValueBot.Web.CheckIns;

namespace ValueBot.Web.Tab;

/// <summary>
/// The Teams tab under <c>/tab</c>: the portfolio, a use case, the admins' delivery view, each with its CSV; the sign-in
/// pages; the channel tab's configuration page; and the tab's own stylesheet and script (served here, no CDN).
/// </summary>
public static class TabEndpoints
{
    private const string Html = "text/html; charset=utf-8";

    // The Teams clients that may frame the tab (web, desktop, Microsoft 365 and Outlook hosts).
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self' https://login.microsoftonline.com; "
        + "frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.teams.microsoft.us https://*.cloud.microsoft https://*.office.com https://outlook.office.com https://*.microsoft365.com";

    public static IHostApplicationBuilder AddTeamsTab(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TabOptions>().BindConfiguration(TabOptions.SectionName)
            .Validate(o => o.PageSize is > 0 and <= 1000, "Tab:PageSize must be between 1 and 1000.")
            .ValidateOnStart();
        builder.Services.AddTabAuthentication(builder.Configuration);
        builder.Services.AddDataProtection();
        builder.Services.AddSingleton<PortfolioReader>();
        builder.Services.AddScoped<TabViewers>();
        return builder;
    }

    public static WebApplication MapTeamsTab(this WebApplication app)
    {
        var tab = app.MapGroup("/tab");
        tab.AddEndpointFilter(async (context, next) =>
        {
            context.HttpContext.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            context.HttpContext.Response.Headers.XContentTypeOptions = "nosniff";
            return await next(context);
        });
        tab.MapGet("/", (HttpRequest request) => TypedResults.Redirect(TabHtml.Link(request, "/tab/portfolio")));
        tab.MapGet("/assets/{file}", Asset);
        tab.MapGet("/configure", (HttpRequest request) => Page(TabHtml.Page(request, "Add ValueBot to this channel", null, "configure", html => html
            .Append("<p>The channel tab shows the AI use-case portfolio. Everyone who opens it signs in and sees what they may see: ")
            .Append("admins and sponsors the whole portfolio, owners their own use cases, managers their reports'.</p>")
            .Append("<fieldset><legend>Show</legend><label><input type=\"radio\" name=\"view\" value=\"portfolio\" checked> The portfolio</label>")
            .Append("<label><input type=\"radio\" name=\"view\" value=\"delivery\"> Delivery of this week's check-ins (admins)</label></fieldset>")
            .Append("<p id=\"configure-status\" role=\"status\">Choose, then select Save.</p>"))));

        MapSignIn(tab);

        var pages = tab.MapGroup("").AddEndpointFilter<TabViewerFilter>();
        pages.MapGet("/portfolio", PortfolioAsync);
        pages.MapGet("/portfolio.csv", PortfolioCsvAsync);
        pages.MapGet("/use-cases/{id}.csv", UseCaseCsvAsync);
        pages.MapGet("/use-cases/{id}", UseCaseAsync);
        pages.MapGet("/delivery", DeliveryAsync);
        pages.MapGet("/delivery.csv", DeliveryCsvAsync);
        pages.MapPost("/delivery/send-again", SendAgainAsync).DisableAntiforgery();
        return app;
    }

    private static TabViewer Viewer(HttpContext http) => (TabViewer)http.Items[typeof(TabViewer)]!;

    private static ContentHttpResult Page(string html, int status = StatusCodes.Status200OK) => TypedResults.Content(html, Html, Encoding.UTF8, status);

    private static ContentHttpResult Problem(HttpRequest request, int status, string title, string text, TabViewer? viewer = null) =>
        Page(TabHtml.Message(request, title, text, status, viewer), status);

    private static bool TryWeek(HttpRequest request, UseCaseRegistry registry, out IsoWeek week)
    {
        var text = request.Query["week"].ToString();
        if (text.Length == 0)
        {
            week = registry.CurrentWeek;
            return true;
        }

        return IsoWeek.TryParse(text, out week);
    }

    private static async Task<IResult> PortfolioAsync(HttpContext http, UseCaseRegistry registry, PortfolioReader reader, IOptions<TabOptions> options, CancellationToken ct)
    {
        if (!TryWeek(http.Request, registry, out var week))
        {
            return Problem(http.Request, 400, "Not a week", "Give the week as an ISO week like 2026-W10.", Viewer(http));
        }

        var pageText = http.Request.Query["page"].ToString();
        var page = 1;
        if (pageText.Length > 0 && (!int.TryParse(pageText, out page) || page < 1))
        {
            return Problem(http.Request, 400, "Not a page", "Give the page as a whole number from 1.", Viewer(http));
        }

        var view = reader.ViewFor(Viewer(http), await reader.ReadAsync(week, ct));
        return Page(PortfolioPage.Render(http.Request, view, page, options.Value.PageSize));
    }

    private static async Task<IResult> PortfolioCsvAsync(HttpContext http, UseCaseRegistry registry, PortfolioReader reader, CancellationToken ct)
    {
        if (!TryWeek(http.Request, registry, out var week))
        {
            return TypedResults.Problem(statusCode: 400, title: "Not a week", detail: "Give the week as an ISO week like 2026-W10.");
        }

        var view = reader.ViewFor(Viewer(http), await reader.ReadAsync(week, ct));
        return CsvText.File(PortfolioPage.Csv(view), $"portfolio-{week}.csv");
    }

    /// <summary>The use case when the viewer may see it; a use case that does not exist and one they may not see look the same.</summary>
    private static async Task<(UseCaseView? View, IResult? Refusal)> ReadUseCaseAsync(
        HttpContext http, string id, UseCaseRegistry registry, CheckInHistory history, TabViewers viewers, CancellationToken ct)
    {
        var viewer = Viewer(http);
        if (!Guid.TryParse(id, out var guid))
        {
            return (null, Problem(http.Request, 400, "Not a use case id", "The address does not name a use case.", viewer));
        }

        var stored = await registry.GetAsync(guid, ct);
        var owner = stored?.UseCase.Owner?.AadObjectId;
        var manager = owner is null || viewer.SeesWholePortfolio ? null : await viewers.ManagerOfAsync(owner, ct);
        if (stored is null || !viewer.Sees(stored.UseCase, o => o == owner ? manager : null))
        {
            return (null, Problem(http.Request, 404, "Not found", "There is no such use case among the ones you may see.", viewer));
        }

        var view = await UseCaseView.ReadAsync(viewer, stored, registry, history, ct);
        return view is null ? (null, Problem(http.Request, 404, "Not found", "There is no such use case.", viewer)) : (view, null);
    }

    private static async Task<IResult> UseCaseAsync(HttpContext http, string id, UseCaseRegistry registry, CheckInHistory history, TabViewers viewers, CancellationToken ct)
    {
        var (view, refusal) = await ReadUseCaseAsync(http, id, registry, history, viewers, ct);
        return refusal ?? Page(UseCasePage.Render(http.Request, view!));
    }

    private static async Task<IResult> UseCaseCsvAsync(HttpContext http, string id, UseCaseRegistry registry, CheckInHistory history, TabViewers viewers, CancellationToken ct)
    {
        var (view, refusal) = await ReadUseCaseAsync(http, id, registry, history, viewers, ct);
        return refusal ?? CsvText.File(UseCasePage.Csv(view!), $"use-case-{view!.UseCase.Id:D}.csv");
    }

    private static async Task<IResult> DeliveryAsync(HttpContext http, UseCaseRegistry registry, DeliveryBoard board, IDataProtectionProvider protection, CancellationToken ct)
    {
        var viewer = Viewer(http);
        if (!viewer.IsAdmin)
        {
            return Problem(http.Request, 403, "For admins", "The delivery view is for ValueBot admins.", viewer);
        }

        if (!TryWeek(http.Request, registry, out var week))
        {
            return Problem(http.Request, 400, "Not a week", "Give the week as an ISO week like 2026-W10.", viewer);
        }

        var notice = http.Request.Query["sent"].ToString() switch
        {
            "1" => "Queued: the check-in goes out again in a moment.",
            "0" => "Nothing was sent: that check-in cannot be sent again now (the table says why).",
            _ => null,
        };
        var view = new DeliveryView(viewer, await board.ReadAsync(week, ct));
        return Page(DeliveryPage.Render(http.Request, view, FormToken(protection, viewer), notice));
    }

    private static async Task<IResult> DeliveryCsvAsync(HttpContext http, UseCaseRegistry registry, DeliveryBoard board, CancellationToken ct)
    {
        var viewer = Viewer(http);
        if (!viewer.IsAdmin)
        {
            return TypedResults.Problem(statusCode: 403, title: "For admins", detail: "The delivery view is for ValueBot admins.");
        }

        if (!TryWeek(http.Request, registry, out var week))
        {
            return TypedResults.Problem(statusCode: 400, title: "Not a week", detail: "Give the week as an ISO week like 2026-W10.");
        }

        var view = new DeliveryView(viewer, await board.ReadAsync(week, ct));
        return CsvText.File(DeliveryPage.Csv(view), $"delivery-{week}.csv");
    }

    private static async Task<IResult> SendAgainAsync(HttpContext http, DeliveryBoard board, IDataProtectionProvider protection, CancellationToken ct)
    {
        var viewer = Viewer(http);
        if (!viewer.IsAdmin)
        {
            return Problem(http.Request, 403, "For admins", "Only ValueBot admins can send a check-in again. Nothing was sent.", viewer);
        }

        if (!http.Request.HasFormContentType)
        {
            return Problem(http.Request, 400, "Not a form", "Send the form from the delivery page. Nothing was sent.", viewer);
        }

        var form = await http.Request.ReadFormAsync(ct);
        if (!IsFormToken(protection, viewer, form["token"].ToString()))
        {
            return Problem(http.Request, 400, "Expired form", "The form is out of date or not yours; reload the delivery page. Nothing was sent.", viewer);
        }

        if (!Guid.TryParse(form["useCaseId"].ToString(), out var useCaseId) || !IsoWeek.TryParse(form["week"].ToString(), out var week))
        {
            return Problem(http.Request, 400, "Not a check-in", "The form does not name a use case and week. Nothing was sent.", viewer);
        }

        var sent = (await board.SendAgainAsync(useCaseId, week, $"{viewer.Name} ({viewer.Id})", ct)).Outcome == SendAgainOutcome.Queued;
        return TypedResults.Redirect(TabHtml.Link(http.Request, $"/tab/delivery?week={week}&sent={(sent ? 1 : 0)}"));
    }

    // Forms that change something carry a token bound to the signed-in person: another site cannot make one.
    private static string FormToken(IDataProtectionProvider protection, TabViewer viewer) =>
        protection.CreateProtector("ValueBot.Tab.Form").ToTimeLimitedDataProtector().Protect(viewer.Id, TimeSpan.FromHours(8));

    private static bool IsFormToken(IDataProtectionProvider protection, TabViewer viewer, string token)
    {
        try
        {
            return token.Length > 0 && protection.CreateProtector("ValueBot.Tab.Form").ToTimeLimitedDataProtector().Unprotect(token) == viewer.Id;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    private static void MapSignIn(RouteGroupBuilder tab)
    {
        tab.MapGet("/sign-in", SignInPageAsync);

        // Teams SSO: the page's script posts the token from teams-js here; the TeamsTab JwtBearer scheme validates it.
        tab.MapPost("/session", async (HttpContext http) =>
        {
            var result = await http.AuthenticateAsync(TabAuthentication.SsoScheme);
            if (!result.Succeeded || TabAuthentication.Session(result.Principal!, "sso") is not { } session)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return Results.Problem(statusCode: 401, title: "Unauthorized", detail: "Send the Teams single sign-on token as a bearer token.");
            }

            await http.SignInAsync(TabAuthentication.SessionScheme, session);
            return Results.NoContent();
        }).DisableAntiforgery();

        tab.MapGet("/sign-in/entra", async (HttpContext http, IAuthenticationSchemeProvider schemes) =>
        {
            if (!await TabAuthentication.EntraSignInAvailableAsync(schemes))
            {
                return Problem(http.Request, 404, "Not available", "Entra sign-in is not configured here.");
            }

            return Results.Challenge(new AuthenticationProperties { RedirectUri = ReturnUrl(http.Request.Query["returnUrl"].ToString()) }, [TabAuthentication.EntraScheme]);
        });

        // Local mode only, from this machine only: sign in as a person ValueBot knows (the playground's users).
        tab.MapPost("/sign-in/dev", async (HttpContext http, IOptions<BotOptions> bot, ValueBotDbContext db, TeamsAdmins admins) =>
        {
            if (!bot.Value.LocalMode || !TabAuthentication.IsLoopback(http.Connection.RemoteIpAddress))
            {
                return Problem(http.Request, 404, "Not available", "The development sign-in exists only in local mode, on this machine.");
            }

            var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : null;
            var id = form?["person"].ToString() ?? "";
            var person = await db.Set<Person>().AsNoTracking().FirstOrDefaultAsync(p => p.AadObjectId == id, http.RequestAborted);
            if (person is null && !admins.IsListed(id))
            {
                return Problem(http.Request, 400, "Unknown person", "Pick one of the people listed on the sign-in page.");
            }

            var identity = new ClaimsIdentity(
                [new Claim(TabAuthentication.ObjectIdClaim, id), new Claim(TabAuthentication.NameClaim, person?.DisplayName ?? id)], "development");
            await http.SignInAsync(TabAuthentication.SessionScheme, TabAuthentication.Session(new ClaimsPrincipal(identity), "development")!);
            return Results.Redirect(ReturnUrl(form?["returnUrl"].ToString()));
        }).DisableAntiforgery();

        tab.MapPost("/sign-out", async (HttpContext http) =>
        {
            await http.SignOutAsync(TabAuthentication.SessionScheme);
            return Results.Redirect(TabHtml.Link(http.Request, "/tab/sign-in"));
        }).DisableAntiforgery();
    }

    private static async Task<ContentHttpResult> SignInPageAsync(
        HttpContext http, IOptions<BotOptions> bot, IAuthenticationSchemeProvider schemes, ValueBotDbContext db, TeamsAdmins admins)
    {
        var request = http.Request;
        var returnUrl = ReturnUrl(request.Query["returnUrl"].ToString());
        var entra = await TabAuthentication.EntraSignInAvailableAsync(schemes);
        var development = bot.Value.LocalMode && TabAuthentication.IsLoopback(http.Connection.RemoteIpAddress);
        var people = development
            ? await db.Set<Person>().AsNoTracking().OrderBy(p => p.DisplayName).Select(p => new { p.AadObjectId, p.DisplayName }).Take(200).ToListAsync(http.RequestAborted)
            : [];
        return Page(TabHtml.Page(request, "Sign in", null, "sign-in", html =>
        {
            html.Append("<p id=\"sign-in-status\" role=\"status\" data-return-url=\"").Append(TabHtml.H(returnUrl)).Append("\">")
                .Append("In Teams you are signed in automatically. Outside Teams, sign in below.</p>");
            if (entra)
            {
                html.Append("<p><a class=\"button\" href=\"").Append(TabHtml.H("/tab/sign-in/entra?returnUrl=" + Uri.EscapeDataString(returnUrl)))
                    .Append("\">Sign in with your work account</a></p>");
            }

            if (development)
            {
                html.Append("<form method=\"post\" action=\"/tab/sign-in/dev\" class=\"dev-sign-in\"><h2>Development sign-in (local mode)</h2>")
                    .Append("<input type=\"hidden\" name=\"returnUrl\" value=\"").Append(TabHtml.H(returnUrl)).Append("\">")
                    .Append("<label for=\"person\">Sign in as</label><select id=\"person\" name=\"person\">");
                foreach (var admin in admins.ObjectIds.Where(a => people.All(p => p.AadObjectId != a)))
                {
                    html.Append("<option value=\"").Append(TabHtml.H(admin)).Append("\">").Append(TabHtml.H(admin)).Append(" (admin)</option>");
                }

                foreach (var p in people)
                {
                    html.Append("<option value=\"").Append(TabHtml.H(p.AadObjectId)).Append("\">").Append(TabHtml.H(p.DisplayName))
                        .Append(admins.IsListed(p.AadObjectId) ? " (admin)" : "").Append("</option>");
                }

                html.Append("</select> <button type=\"submit\">Sign in</button></form>");
            }
            else if (!entra)
            {
                html.Append("<p>Open ValueBot's Portfolio tab in Teams to sign in.</p>");
            }
        }));
    }

    /// <summary>Only a path inside the tab is a place to go back to (no open redirect).</summary>
    private static string ReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } r && r.StartsWith("/tab/", StringComparison.Ordinal) && !r.StartsWith("//", StringComparison.Ordinal) && !r.Contains('\\', StringComparison.Ordinal)
            ? r
            : "/tab/portfolio";

    private static IResult Asset(string file, IWebHostEnvironment environment, IOptions<TabOptions> options)
    {
        if (file == "tab.css")
        {
            return TypedResults.Text(TabAssets.Stylesheet, "text/css; charset=utf-8");
        }

        if (file != "tab.js")
        {
            return TypedResults.NotFound();
        }

        var path = AssetsFolders(environment, options.Value).Select(f => Path.Combine(f, file)).FirstOrDefault(File.Exists);
        return path is null ? TypedResults.NotFound() : TypedResults.PhysicalFile(path, "text/javascript; charset=utf-8");
    }

    private static IEnumerable<string> AssetsFolders(IWebHostEnvironment environment, TabOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.AssetsFolder))
        {
            yield return Path.GetFullPath(options.AssetsFolder, environment.ContentRootPath);
        }

        yield return Path.Combine(environment.ContentRootPath, "wwwroot", "tab");
        yield return Path.Combine(AppContext.BaseDirectory, "wwwroot", "tab");
    }
}

/// <summary>Lets a request in when it carries a tab session or an SSO token; otherwise the sign-in page (or 401 for a download or a token).</summary>
internal sealed class TabViewerFilter(TabViewers viewers) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var result = await http.AuthenticateAsync(TabAuthentication.Scheme);
        var viewer = result.Succeeded ? await viewers.ResolveAsync(result.Principal!, http.RequestAborted) : null;
        if (viewer is null)
        {
            var request = http.Request;
            if (request.Headers.Authorization.Count > 0 || request.Path.Value?.EndsWith(".csv", StringComparison.Ordinal) == true || !HttpMethods.IsGet(request.Method))
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return TypedResults.Problem(statusCode: 401, title: "Unauthorized", detail: "Sign in to the ValueBot tab first.");
            }

            return TypedResults.Redirect("/tab/sign-in?returnUrl=" + Uri.EscapeDataString(request.Path + request.QueryString));
        }

        http.Items[typeof(TabViewer)] = viewer;
        return await next(context);
    }
}
