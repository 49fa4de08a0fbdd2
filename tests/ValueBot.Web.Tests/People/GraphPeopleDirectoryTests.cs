using ValueBot.Testing;
using ValueBot.Web.People;

namespace ValueBot.Web.Tests.People;

public sealed class GraphPeopleDirectoryTests
{
    private const string AdaId = "11111111-1111-1111-1111-111111111111";
    private const string GraceId = "22222222-2222-2222-2222-222222222222";
    private const string LinusId = "33333333-3333-3333-3333-333333333333";

    private static readonly GraphUser Ada = new(AdaId, "ada@contoso.onmicrosoft.com", "Ada Lovelace", "ada.lovelace@contoso.com");
    private static readonly GraphUser Grace = new(GraceId, "grace@contoso.onmicrosoft.com", "Grace Hopper", "grace@contoso.com");
    private static readonly GraphUser Linus = new(LinusId, "linus@contoso.onmicrosoft.com", "Linus Leaver", null, AccountEnabled: false);

    [Fact]
    public async Task FindsUserByUpnWithTheirManager()
    {
        await using var f = await StartAsync();

        var result = await f.Directory.FindAsync("ada@contoso.onmicrosoft.com", CancellationToken.None);

        var person = Assert.IsType<DirectoryLookup.Found>(result).Person;
        Assert.Equal(new DirectoryPerson(
            AdaId, "ada@contoso.onmicrosoft.com", "Ada Lovelace", "ada.lovelace@contoso.com", AccountEnabled: true,
            new DirectoryManager(GraceId, "Grace Hopper", "grace@contoso.onmicrosoft.com", "grace@contoso.com", IsUser: true)), person);
        Assert.Contains(f.Graph.Requests, r => r.Path == "/v1.0/users/ada@contoso.onmicrosoft.com");
        Assert.Contains(f.Graph.Requests, r => r.Path == $"/v1.0/users/{AdaId}/manager");
    }

    [Fact]
    public async Task FindsUserByEmailThatIsNotTheirUpn()
    {
        await using var f = await StartAsync();

        var result = await f.Directory.FindAsync("Ada.Lovelace@contoso.com", CancellationToken.None);

        var person = Assert.IsType<DirectoryLookup.Found>(result).Person;
        Assert.Equal(AdaId, person.ObjectId);
        Assert.Equal("ada@contoso.onmicrosoft.com", person.UserPrincipalName);
        var search = Assert.Single(f.Graph.Requests, r => r.Route is ["users"]);
        Assert.Contains("mail eq 'Ada.Lovelace@contoso.com'", Uri.UnescapeDataString(search.Query), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindsUserByObjectIdAndReportsDisabledAccount()
    {
        await using var f = await StartAsync();

        var result = await f.Directory.FindAsync(LinusId, CancellationToken.None);

        var person = Assert.IsType<DirectoryLookup.Found>(result).Person;
        Assert.Equal("Linus Leaver", person.DisplayName);
        Assert.False(person.AccountEnabled);
    }

    [Fact]
    public async Task ReportsNoManagerWhenGraphAnswersNotFoundForManager()
    {
        await using var f = await StartAsync();

        var result = await f.Directory.FindAsync("grace@contoso.onmicrosoft.com", CancellationToken.None);

        var person = Assert.IsType<DirectoryLookup.Found>(result).Person;
        Assert.Null(person.Manager);
        Assert.Contains(f.Graph.Requests, r => r.Path == $"/v1.0/users/{GraceId}/manager");
    }

    [Fact]
    public async Task ReportsManagerThatIsAnOrganisationalContactAsNotAUser()
    {
        await using var f = await StartAsync();
        f.Graph.AddDirectoryObject("#microsoft.graph.orgContact", "44444444-4444-4444-4444-444444444444", "External Boss", "boss@partner.example");
        f.Graph.SetManager(LinusId, "44444444-4444-4444-4444-444444444444");

        var result = await f.Directory.FindAsync(LinusId, CancellationToken.None);

        var manager = Assert.IsType<DirectoryLookup.Found>(result).Person.Manager;
        Assert.Equal(new DirectoryManager("44444444-4444-4444-4444-444444444444", "External Boss", null, "boss@partner.example", IsUser: false), manager);
    }

    [Theory]
    [InlineData("nobody@contoso.com")]
    [InlineData("99999999-9999-9999-9999-999999999999")]
    [InlineData("nobody")]
    public async Task ReportsUnknownPersonAsNotFound(string query)
    {
        await using var f = await StartAsync();

        var result = await f.Directory.FindAsync(query, CancellationToken.None);

        Assert.Equal(new DirectoryLookup.NotFound(query), result);
        Assert.Contains(query, result.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportsGroupIdAsNotAUser()
    {
        await using var f = await StartAsync();
        f.Graph.AddDirectoryObject("#microsoft.graph.group", "55555555-5555-5555-5555-555555555555", "AI Champions");

        var result = await f.Directory.FindAsync("55555555-5555-5555-5555-555555555555", CancellationToken.None);

        Assert.Equal(new DirectoryLookup.NotAUser("55555555-5555-5555-5555-555555555555", "group"), result);
    }

    [Fact]
    public async Task AnswersASecondLookupFromTheCache()
    {
        await using var f = await StartAsync();
        var first = await f.Directory.FindAsync("ada@contoso.onmicrosoft.com", CancellationToken.None);
        var sent = f.Graph.Requests.Count;

        var again = await f.Directory.FindAsync("ADA@contoso.onmicrosoft.com", CancellationToken.None);
        var byId = await f.Directory.FindAsync(AdaId, CancellationToken.None);

        Assert.Equal(first, again);
        Assert.Equal(first, byId);
        Assert.Equal(sent, f.Graph.Requests.Count);
    }

    [Fact]
    public async Task RemembersAMissForAShortTime()
    {
        await using var f = await StartAsync();
        await f.Directory.FindAsync("nobody@contoso.com", CancellationToken.None);
        var sent = f.Graph.Requests.Count;

        var again = await f.Directory.FindAsync("nobody@contoso.com", CancellationToken.None);

        Assert.IsType<DirectoryLookup.NotFound>(again);
        Assert.Equal(sent, f.Graph.Requests.Count);
    }

    [Fact]
    public async Task AsksAgainAfterTheCacheDurationWhenItIsShort()
    {
        await using var f = await StartAsync(new Dictionary<string, string?> { ["Graph:CacheDuration"] = "00:00:00.200" });
        await f.Directory.FindAsync("ada@contoso.onmicrosoft.com", CancellationToken.None);
        var sent = f.Graph.Requests.Count;

        await Task.Delay(TimeSpan.FromMilliseconds(400));
        await f.Directory.FindAsync("ada@contoso.onmicrosoft.com", CancellationToken.None);

        Assert.True(f.Graph.Requests.Count > sent);
    }

    [Fact]
    public async Task ReportsGraphUnavailableAndDoesNotCacheIt()
    {
        await using var f = await StartAsync();
        f.Graph.Enqueue(FakeGraph.ServiceUnavailable());

        var failed = await f.Directory.FindAsync("ada@contoso.onmicrosoft.com", CancellationToken.None);
        var retried = await f.Directory.FindAsync("ada@contoso.onmicrosoft.com", CancellationToken.None);

        var unavailable = Assert.IsType<DirectoryLookup.Unavailable>(failed);
        Assert.Equal(503, unavailable.StatusCode);
        Assert.IsType<DirectoryLookup.Found>(retried);
    }

    [Fact]
    public async Task ReportsGraphUnavailableWhenTheManagerCannotBeRead()
    {
        await using var f = await StartAsync();
        f.Graph.Enqueue(FakeGraph.Throttled(30), r => r.Route is [_, _, "manager"]);

        var result = await f.Directory.FindAsync("ada@contoso.onmicrosoft.com", CancellationToken.None);

        var unavailable = Assert.IsType<DirectoryLookup.Unavailable>(result);
        Assert.Equal(429, unavailable.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), unavailable.RetryAfter);
    }

    [Fact]
    public async Task RetriesAThrottledRequestAfterRetryAfter()
    {
        await using var f = await StartAsync(new Dictionary<string, string?> { ["Graph:MaxRetries"] = "2" });
        f.Graph.Enqueue(FakeGraph.Throttled(1));

        var result = await f.Directory.FindAsync("ada@contoso.onmicrosoft.com", CancellationToken.None);

        Assert.IsType<DirectoryLookup.Found>(result);
        var userRequests = f.Graph.Requests.Where(r => r.Route is ["users", _]).ToList();
        Assert.Equal(2, userRequests.Count);
        Assert.All(userRequests, r => Assert.Equal("Bearer " + f.Credential.Token, r.Authorization));
    }

    [Fact]
    public async Task WaitsOutGraphsRetryAfterBeforeTryingAgain()
    {
        await using var f = await StartAsync(new Dictionary<string, string?> { ["Graph:MaxRetries"] = "2" });
        f.Graph.Enqueue(FakeGraph.Throttled(2), r => r.Route is ["users", _]);

        var result = await f.Directory.FindAsync("ada@contoso.onmicrosoft.com", CancellationToken.None);

        Assert.IsType<DirectoryLookup.Found>(result);
        var attempts = f.Graph.Requests.Where(r => r.Route is ["users", _]).ToList();
        Assert.Equal(2, attempts.Count);
        // A lower bound only: the second attempt came no sooner than Graph asked (less a little for clock granularity).
        Assert.True(attempts[1].ReceivedAt - attempts[0].ReceivedAt >= TimeSpan.FromSeconds(1.9),
            $"retried after {(attempts[1].ReceivedAt - attempts[0].ReceivedAt).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task GivesUpAfterMaxRetriesInAThrottlingStorm()
    {
        await using var f = await StartAsync(new Dictionary<string, string?> { ["Graph:MaxRetries"] = "2" });
        for (var i = 0; i < 10; i++)
        {
            f.Graph.Enqueue(FakeGraph.Throttled(0), r => r.Route is ["users", _]);
        }

        var result = await f.Directory.FindAsync("ada@contoso.onmicrosoft.com", CancellationToken.None);

        var unavailable = Assert.IsType<DirectoryLookup.Unavailable>(result);
        Assert.Equal(429, unavailable.StatusCode);
        Assert.Equal(3, f.Graph.Requests.Count(r => r.Route is ["users", _])); // the first try and two retries, no more
    }

    [Fact]
    public async Task DoesNotWaitOutARetryAfterLongerThanTheBound()
    {
        await using var f = await StartAsync(new Dictionary<string, string?> { ["Graph:MaxRetries"] = "3", ["Graph:MaxRetryAfter"] = "00:00:05" });
        f.Graph.Enqueue(FakeGraph.Throttled(120), r => r.Route is ["users", _]);

        var result = await f.Directory.FindAsync("ada@contoso.onmicrosoft.com", CancellationToken.None);

        var unavailable = Assert.IsType<DirectoryLookup.Unavailable>(result);
        Assert.Equal(TimeSpan.FromSeconds(120), unavailable.RetryAfter);
        Assert.Single(f.Graph.Requests, r => r.Route is ["users", _]);
    }

    [Fact]
    public async Task ReportsNotConfiguredWhenGraphIsDisabled()
    {
        await using var f = await StartAsync(new Dictionary<string, string?> { ["Graph:Enabled"] = "false" });

        var result = await f.Directory.FindAsync("ada@contoso.onmicrosoft.com", CancellationToken.None);

        Assert.IsType<DirectoryLookup.NotConfigured>(result);
        Assert.Empty(f.Graph.Requests);
    }

    [Fact]
    public async Task ReportsARefusedTokenAsGraphUnavailable()
    {
        await using var f = await StartAsync();
        f.Graph.RequiredBearerToken = "some-other-token";

        var result = await f.Directory.FindAsync("ada@contoso.onmicrosoft.com", CancellationToken.None);

        var unavailable = Assert.IsType<DirectoryLookup.Unavailable>(result);
        Assert.Equal(401, unavailable.StatusCode);
        Assert.Contains("InvalidAuthenticationToken", unavailable.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PropagatesTheCallersCancellation()
    {
        await using var f = await StartAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => f.Directory.FindAsync("ada@contoso.onmicrosoft.com", cancelled.Token));
    }

    private static async Task<GraphFixture> StartAsync(IDictionary<string, string?>? overrides = null)
    {
        var f = await GraphFixture.StartAsync(overrides);
        f.Graph.AddUser(Ada);
        f.Graph.AddUser(Grace);
        f.Graph.AddUser(Linus);
        f.Graph.SetManager(AdaId, GraceId);
        return f;
    }
}
