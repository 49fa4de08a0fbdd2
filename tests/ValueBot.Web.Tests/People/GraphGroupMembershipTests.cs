using Microsoft.Extensions.DependencyInjection;
using ValueBot.Testing;
using ValueBot.Web.People;

namespace ValueBot.Web.Tests.People;

/// <summary>checkMemberGroups through the real Graph SDK against the loopback <see cref="FakeGraph"/>.</summary>
public sealed class GraphGroupMembershipTests
{
    private const string Ada = "0b5e9f3c-0000-4000-8000-00000000ada0";
    private const string Admins = "6a1c0e52-0000-4000-8000-0000000000a1";
    private const string Finance = "6a1c0e52-0000-4000-8000-0000000000f1";
    private const string FinanceLeads = "6a1c0e52-0000-4000-8000-0000000000f2";
    private const string Other = "6a1c0e52-0000-4000-8000-0000000000ff";

    [Fact]
    public async Task AnswersWhichGroupsTheUserIsInDirectlyOrThroughANestedGroup()
    {
        await using var f = await StartAsync();
        f.Graph.AddGroupMember(Admins, Ada);
        f.Graph.AddGroupMember(FinanceLeads, Ada);
        f.Graph.AddGroupMember(Finance, FinanceLeads);

        var result = await Membership(f).CheckAsync(Ada, [Admins, Finance, Other], CancellationToken.None);

        var known = Assert.IsType<GroupMembership.Known>(result);
        Assert.Equal([Admins, Finance], known.MemberOf.Order(StringComparer.Ordinal));
        var request = Assert.Single(f.Graph.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/v1.0/users/{Ada}/checkMemberGroups", request.Path);
        Assert.Equal("Bearer " + f.Credential.Token, request.Authorization);
        Assert.Equal(3, request.Json!["groupIds"]!.AsArray().Count);
    }

    [Fact]
    public async Task RemembersAnAnswerBrieflyAndAsksAgainOnceItExpires()
    {
        await using var f = await StartAsync(new Dictionary<string, string?> { ["Graph:GroupMembershipCacheDuration"] = "00:00:00.300" });
        f.Graph.AddGroupMember(Admins, Ada);
        Assert.IsType<GroupMembership.Known>(await Membership(f).CheckAsync(Ada, [Admins], CancellationToken.None));
        f.Graph.RemoveGroupMember(Admins, Ada);

        var cached = await Membership(f).CheckAsync(Ada, [Admins], CancellationToken.None);
        Assert.Equal([Admins], Assert.IsType<GroupMembership.Known>(cached).MemberOf);
        Assert.Single(f.Graph.Requests);

        // Waits for the cache entry to expire (not a timing assertion: only the answer after expiry is checked).
        await Task.Delay(TimeSpan.FromMilliseconds(400));
        var fresh = await Membership(f).CheckAsync(Ada, [Admins], CancellationToken.None);
        Assert.Empty(Assert.IsType<GroupMembership.Known>(fresh).MemberOf);
        Assert.Equal(2, f.Graph.Requests.Count);
    }

    [Fact]
    public async Task AsksInPartsOfTwentyGroupsAsGraphAllows()
    {
        await using var f = await StartAsync();
        var groups = Enumerable.Range(0, 25).Select(i => $"6a1c0e52-0000-4000-8000-{i:D12}").ToList();
        f.Graph.AddGroupMember(groups[24], Ada);

        var result = await Membership(f).CheckAsync(Ada, groups, CancellationToken.None);

        Assert.Equal([groups[24]], Assert.IsType<GroupMembership.Known>(result).MemberOf);
        Assert.Equal([20, 5], f.Graph.Requests.Select(r => r.Json!["groupIds"]!.AsArray().Count));
    }

    [Fact]
    public async Task AUserGraphDoesNotKnowIsInNoGroup()
    {
        await using var f = await StartAsync();

        var result = await Membership(f).CheckAsync("0b5e9f3c-0000-4000-8000-000000000404", [Admins], CancellationToken.None);

        Assert.Empty(Assert.IsType<GroupMembership.Known>(result).MemberOf);
    }

    [Fact]
    public async Task AFailureIsReportedAndNotRemembered()
    {
        await using var f = await StartAsync();
        f.Graph.AddGroupMember(Admins, Ada);
        f.Graph.Enqueue(FakeGraph.ServiceUnavailable());

        var failed = await Membership(f).CheckAsync(Ada, [Admins], CancellationToken.None);
        var next = await Membership(f).CheckAsync(Ada, [Admins], CancellationToken.None);

        Assert.Contains("503", Assert.IsType<GroupMembership.Unavailable>(failed).Reason);
        Assert.Equal([Admins], Assert.IsType<GroupMembership.Known>(next).MemberOf);
    }

    [Fact]
    public async Task WithoutGraphMembershipCannotBeResolved()
    {
        await using var f = await StartAsync(new Dictionary<string, string?> { ["Graph:Enabled"] = "false" });

        Assert.IsType<GroupMembership.NotConfigured>(await Membership(f).CheckAsync(Ada, [Admins], CancellationToken.None));
        Assert.Empty(f.Graph.Requests);
    }

    private static async Task<GraphFixture> StartAsync(IDictionary<string, string?>? overrides = null)
    {
        var f = await GraphFixture.StartAsync(overrides);
        f.Graph.AddUser(new GraphUser(Ada, "ada@contoso.onmicrosoft.com", "Ada Lovelace"));
        return f;
    }

    private static GraphGroupMembership Membership(GraphFixture f) => f.Services.GetRequiredService<GraphGroupMembership>();
}
