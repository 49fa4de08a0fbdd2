using ValueBot.Testing;

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
