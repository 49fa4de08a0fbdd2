using Azure.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ValueBot.Testing;
using ValueBot.Web.People;

namespace ValueBot.Web.Tests.People;

/// <summary>A token credential standing in for Entra ID: hands out a fixed token and counts how often it was asked.</summary>
internal sealed class TestTokenCredential(string token, TimeSpan lifetime) : TokenCredential
{
    private int _calls;

    public string Token { get; } = token;

    public int Calls => _calls;

    public IReadOnlyList<string> LastScopes { get; private set; } = [];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        LastScopes = requestContext.Scopes;
        return new AccessToken(Token, DateTimeOffset.UtcNow + lifetime);
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}

/// <summary>The People services wired as the host wires them, pointed at a <see cref="FakeGraph"/>, with a test credential.</summary>
internal sealed class GraphFixture : IAsyncDisposable
{
    public const string ExternalId = "5f0c6e2a-8d4b-4a57-9d1e-7c3b2a1f0e9d";

    private GraphFixture(FakeGraph graph, ServiceProvider services, TestTokenCredential credential)
    {
        Graph = graph;
        Services = services;
        Credential = credential;
    }

    public FakeGraph Graph { get; }

    public ServiceProvider Services { get; }

    public TestTokenCredential Credential { get; }

    public GraphPeopleDirectory Directory => Services.GetRequiredService<GraphPeopleDirectory>();

    public GraphTeamsAppInstaller Installer => Services.GetRequiredService<GraphTeamsAppInstaller>();

    public static async Task<GraphFixture> StartAsync(IDictionary<string, string?>? overrides = null, TimeSpan? tokenLifetime = null)
    {
        var graph = await FakeGraph.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Graph:Enabled"] = "true",
            ["Graph:BaseUrl"] = graph.BaseUrl,
            ["Graph:TeamsAppExternalId"] = ExternalId,
            ["Graph:MaxRetries"] = "0",
            ["Graph:Credential:Type"] = "ClientSecret",
            ["Graph:Credential:TenantId"] = "00000000-0000-0000-0000-0000000000aa",
            ["Graph:Credential:ClientId"] = "00000000-0000-0000-0000-0000000000bb",
            ["Graph:Credential:ClientSecret"] = "not-used-the-test-credential-replaces-it",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var credential = new TestTokenCredential("graph-token-" + Guid.NewGuid().ToString("N"), tokenLifetime ?? TimeSpan.FromHours(1));
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(new GraphCredential(credential))
            .AddPeopleDirectory(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        graph.RequiredBearerToken = credential.Token;
        return new GraphFixture(graph, services, credential);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Graph.DisposeAsync();
    }
}
