using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;
using static ValueBot.Web.Tests.Admin.AdminClient;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.Hosting;

/// <summary>
/// A real server failure in the Development environment (where ASP.NET Core's developer exception page would list the
/// request's headers and the stack): the database loses the registry's table under a running host.
/// </summary>
public sealed partial class ServerErrorTests
{
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AFiveHundredInDevelopmentCarriesNeitherTheAuthorizationHeaderNorAStackTrace(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);
        Assert.Equal("Development", host.Services.GetRequiredService<IHostEnvironment>().EnvironmentName);
        await host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Database.ExecuteSqlRawAsync(engine == "postgres" ? "DROP TABLE use_cases CASCADE" : "DROP TABLE use_cases"));

        var token = Token(host);
        using var admin = await SendAsync(host, HttpMethod.Get, "/api/admin/use-cases", token: token);
        var adminBody = await admin.Content.ReadAsStringAsync();

        var bearer = host.Issuer.CreateBotFrameworkToken(ValueBotTestHost.AppId, host.ServiceUrl);
        var activity = Message(Ada, "status");
        activity.ServiceUrl = host.ServiceUrl;
        using var bot = await host.PostAsync(activity, bearer);
        var botBody = await bot.Content.ReadAsStringAsync();

        foreach (var (response, body, secret) in new[] { (admin, adminBody, token), (bot, botBody, bearer) })
        {
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            Assert.Contains("Something went wrong on our side", body, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
            // Not even a piece of it (the developer page shows headers; a JWT's parts are separated by dots).
            Assert.All(secret.Split('.'), part => Assert.DoesNotContain(part, body, StringComparison.Ordinal));
            Assert.DoesNotContain("Bearer", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Authorization", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotMatch(Internals(), body);
            Assert.DoesNotContain("use_cases", body, StringComparison.Ordinal);
        }
    }

    /// <summary>A stack frame ("at Namespace.Type.Method(") or a qualified exception type name.</summary>
    [GeneratedRegex(@"\bat [A-Za-z_][\w.`<>]*\.[\w<>]+\(|\b[A-Za-z]+(\.[A-Za-z]+)+Exception\b|Exception:")]
    private static partial Regex Internals();
}
