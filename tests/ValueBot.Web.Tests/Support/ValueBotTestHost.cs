using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Core;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using ValueBot.Teams.Connector;
using ValueBot.Teams.Schema;
using ValueBot.Testing;
using ValueBot.Web.Hosting;

namespace ValueBot.Web.Tests.Support;

/// <summary>
/// The real ValueBot host, composed exactly as Program.cs does, on Kestrel 127.0.0.1:0 — with Entra ID and the
/// Teams connector replaced by loopback fakes that speak their real HTTP protocols.
/// </summary>
public sealed class ValueBotTestHost : IAsyncDisposable
{
    public const string AppId = "00000000-0000-0000-0000-0000000000b0";
    public const string TenantId = "11111111-1111-1111-1111-111111111111";

    private readonly WebApplication _app;

    private readonly bool _ownsFakes;
    private readonly TimeProvider _time;

    /// <summary>The host's clock: the one passed to <see cref="StartAsync"/>, else <see cref="ManualClock.MidWeek"/>.</summary>
    public TimeProvider Time => _time;

    private ValueBotTestHost(WebApplication app, string baseUrl, FakeTokenIssuer issuer, FakeConnector connector, bool ownsFakes, TimeProvider time)
    {
        _time = time;
        _app = app;
        _ownsFakes = ownsFakes;
        BaseUrl = baseUrl;
        Issuer = issuer;
        Connector = connector;
        Http = new HttpClient { BaseAddress = new Uri(baseUrl) };
    }

    public string BaseUrl { get; }

    public HttpClient Http { get; }

    public FakeTokenIssuer Issuer { get; }

    public FakeConnector Connector { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The connector's serviceUrl, trusted by the host: activities "from Teams" carry it.</summary>
    public string ServiceUrl => Connector.ServiceUrl;

    /// <summary>
    /// Starts the host. The Hangfire schedule is off unless <paramref name="settings"/> turn it on
    /// (<c>Schedule:Enabled</c>): tests drive the check-in cycle themselves. Pass <paramref name="shared"/> to run a
    /// second instance against the same fakes (it then does not dispose them); <paramref name="configure"/> runs after
    /// the app's own registrations (extra services, logging). Without <paramref name="time"/> the host runs on
    /// <see cref="ManualClock.MidWeek"/> (this week's Tuesday 10:00 UTC, running on), and the token issuer it starts dates
    /// its tokens by that clock; pass <see cref="TimeProvider.System"/> where another process shares the database.
    /// </summary>
    public static async Task<ValueBotTestHost> StartAsync(
        string connectionString,
        IDictionary<string, string?>? settings = null,
        TimeProvider? time = null,
        ValueBotTestHost? shared = null,
        Action<WebApplicationBuilder>? configure = null,
        Action<IServiceProvider>? beforeStart = null)
    {
        var midWeek = time is null && shared is null;
        time ??= shared?._time ?? ManualClock.MidWeek();
        var issuer = shared?.Issuer ?? await FakeTokenIssuer.StartAsync();
        if (midWeek)
        {
            // Tests that set their own clock date the tokens they need themselves (some for a validator on the machine's clock).
            issuer.Clock = time;
        }

        var connector = shared?.Connector ?? await FakeConnector.StartAsync();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var config = new Dictionary<string, string?>
        {
            ["ConnectionStrings:ValueBot"] = connectionString,
            ["Bot:AppId"] = AppId,
            ["Bot:TenantId"] = TenantId,
            ["Bot:Credential:Type"] = "ClientSecret",
            ["Bot:Credential:ClientSecret"] = "not-used-a-test-credential-is-injected",
            ["Bot:TrustedServiceUrls:0"] = connector.ServiceUrl,
            ["Bot:Authentication:BotFrameworkMetadataAddress"] = issuer.BotFrameworkMetadataAddress,
            ["Bot:Authentication:EntraMetadataAddressTemplate"] = issuer.EntraMetadataAddressTemplate,
            ["Bot:Authentication:AllowedCallers:0"] = FakeTokenIssuer.EntraCaller,
            ["Schedule:Enabled"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(config);
        builder.Services.AddSingleton(new BotConnectorCredential(new FixedTokenCredential("outbound-test-token")));
        builder.AddValueBot();
        builder.Services.AddSingleton(time);

        configure?.Invoke(builder);

        var app = builder.Build();
        beforeStart?.Invoke(app.Services);
        app.MapValueBot();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First().TrimEnd('/');
        return new ValueBotTestHost(app, address, issuer, connector, ownsFakes: shared is null, time);
    }

    /// <summary>Posts an activity with a valid Bot Framework channel token (valid by the host's clock), as Teams would.</summary>
    public Task<HttpResponseMessage> SendFromTeamsAsync(Activity activity)
    {
        activity.ServiceUrl ??= ServiceUrl;
        var now = _time.GetUtcNow();
        return PostAsync(activity, Issuer.CreateBotFrameworkToken(AppId, activity.ServiceUrl, notBefore: now.AddHours(-1), expires: now.AddHours(1)));
    }

    public Task<HttpResponseMessage> PostAsync(Activity activity, string? bearer)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(JsonSerializer.Serialize(activity, TeamsJsonContext.Default.Activity), Encoding.UTF8, "application/json"),
        };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return Http.SendAsync(request);
    }

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    /// <summary>Stops the host as SIGTERM would (graceful shutdown); its services stay readable until disposal.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownsFakes)
        {
            await Connector.DisposeAsync();
            await Issuer.DisposeAsync();
        }
    }
}

/// <summary>A TokenCredential that hands out one fixed token (the outbound Connector token in tests).</summary>
public sealed class FixedTokenCredential(string token) : TokenCredential
{
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(token, DateTimeOffset.UtcNow.AddHours(1));

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
