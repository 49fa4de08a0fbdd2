using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ValueBot.Web.CheckIns;
using ValueBot.Testing;
using ValueBot.Web.Persistence;

namespace ValueBot.Web.Tests.Support;

/// <summary>
/// Tests that drive the real host in local mode on SQLite with Microsoft's Agents Playground as the Teams client:
/// a fresh database, host and playground per test, with the test's own extra settings.
/// </summary>
public abstract class LocalModePlaygroundTests(IReadOnlyDictionary<string, string?>? settings = null) : IAsyncLifetime
{
    private TestDatabase? _database;

    protected ValueBotTestHost Host { get; private set; } = null!;

    protected AgentsPlayground Playground { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = TestDatabase.CreateSqlite();
        var local = new Dictionary<string, string?>
        {
            ["Bot:LocalMode"] = "true",
            ["Bot:AppId"] = "",
            ["Bot:TenantId"] = "",
            ["Bot:Credential:Type"] = "None",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            local[key] = value;
        }

        Host = await ValueBotTestHost.StartAsync(_database.ConnectionString, local);
        Playground = await AgentsPlayground.StartAsync(Host.BaseUrl + "/api/messages");
    }

    /// <summary>Installs the app in the signed-in user's personal chat and waits for the welcome card.</summary>
    protected async Task InstallPersonalAsync()
    {
        await Playground.InstallPersonalAsync();
        await Playground.WaitForBotMessagesAsync(m => m.CardContains("Welcome to ValueBot"));
    }

    /// <summary>Registers a use case through the admin API with the local admin key <paramref name="adminKey"/>; returns its id.</summary>
    protected async Task<Guid> RegisterUseCaseAsync(string adminKey, string name, string ownerAadObjectId, string ownerName)
    {
        var body = Admin.AdminClient.ValidUseCase(name);
        body["owner"] = new JsonObject { ["aadObjectId"] = ownerAadObjectId, ["displayName"] = ownerName };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/use-cases") { Content = JsonContent.Create(body) };
        request.Headers.Add("X-ValueBot-Admin-Key", adminKey);
        using var response = await Host.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return Guid.Parse(JsonNode.Parse(text)!["id"]!.GetValue<string>());
    }

    /// <summary>The (first) Adaptive Card of a message the playground shows.</summary>
    protected static CardReader CardOf(PlaygroundMessage message) =>
        new(JsonNode.Parse(message.AdaptiveCards.First().GetRawText())!);

    /// <summary>The card an invoke was answered with; fails unless the invoke succeeded with a card.</summary>
    protected static CardReader CardOf(PlaygroundInvokeResponse response)
    {
        Assert.True(response.IsSuccess, response.Body);
        Assert.Equal(CardReader.ContentType, response.Type);
        return new CardReader(JsonNode.Parse(response.Value!.Value.GetRawText())!);
    }

    protected Task<List<CheckIn>> CheckInRowsAsync() =>
        Host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<CheckIn>().AsNoTracking().ToListAsync());

    public async Task DisposeAsync()
    {
        if (Playground is not null)
        {
            await Playground.DisposeAsync();
        }

        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
