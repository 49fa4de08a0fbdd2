using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.CheckIns;
using ValueBot.Web.Admin;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Delivery;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Digests;
using ValueBot.Web.Tests.Support;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.Tab;

/// <summary>The admins' delivery view: this week's check-ins, why some did not get through, and "send again" where it is safe.</summary>
public sealed class DeliveryViewTests
{
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Shows_each_state_with_the_reason_Teams_gave_and_offers_send_again_only_where_it_is_safe(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await TabWorld.StartAsync(database);
        await TabWorld.SeedAsync(host);
        using var client = await TabWorld.SignedInAsync(host, Ada);

        var page = await client.GetStringAsync("/tab/delivery");
        var rows = CsvText.Read(await client.GetStringAsync("/tab/delivery.csv")).Skip(1).ToDictionary(r => r.Fields[1], r => r.Fields);

        Assert.Equal("answered", rows["Invoice triage"][4]);
        Assert.Equal("answered", rows["Claims intake"][4]);
        Assert.Equal("in doubt", rows["Contract review"][4]);
        Assert.Equal("false", rows["Contract review"][7]);
        Assert.Equal("undeliverable", rows["Meeting notes"][4]);
        Assert.Contains("403 Forbidden", rows["Meeting notes"][5], StringComparison.Ordinal);
        Assert.Equal("true", rows["Meeting notes"][7]);
        Assert.Equal("2", TabAccessTests.FigureOf(page, "answered"));
        Assert.Equal("1", TabAccessTests.FigureOf(page, "in-doubt"));
        Assert.Equal("1", TabAccessTests.FigureOf(page, "undeliverable"));
        Assert.Single(Regex.Matches(page, "<button type=\"submit\">Send again"));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Send_again_queues_the_card_once_and_a_second_click_sends_nothing(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await TabWorld.StartAsync(database);
        await TabWorld.SeedAsync(host);
        using var client = await TabWorld.SignedInAsync(host, Ada);
        var form = await SendAgainFormAsync(client);

        using var first = await client.PostAsync("/tab/delivery/send-again", new FormUrlEncodedContent(form));
        using var second = await client.PostAsync("/tab/delivery/send-again", new FormUrlEncodedContent(form));

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.EndsWith("sent=1", first.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.EndsWith("sent=0", second.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var (messages, status) = await host.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<ValueBotDbContext>();
            var prefix = CheckInCycle.CheckInKey(TabWorld.MeetingNotes, DigestWorld.Week) + ":";
            var queued = await db.Set<OutboxMessage>().AsNoTracking().Where(m => m.DedupeKey.StartsWith(prefix)).ToListAsync();
            var row = await db.Set<CheckIn>().AsNoTracking().SingleAsync(c => c.UseCaseId == TabWorld.MeetingNotes && c.Week == DigestWorld.Week);
            return (queued, row.Status);
        });
        var message = Assert.Single(messages);
        Assert.Equal("a:personal-eve", message.ConversationId);
        Assert.NotEqual(CheckInStatus.Undeliverable, status);
    }

    [Theory]
    [InlineData("token")]
    [InlineData("useCaseId")]
    [InlineData("week")]
    public async Task A_forged_or_broken_send_again_form_changes_nothing(string broken)
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await TabWorld.StartAsync(database);
        await TabWorld.SeedAsync(host);
        using var client = await TabWorld.SignedInAsync(host, Ada);
        var form = await SendAgainFormAsync(client);
        form[broken] = broken == "useCaseId" ? "not-a-guid" : "x";

        using var response = await client.PostAsync("/tab/delivery/send-again", new FormUrlEncodedContent(form));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var count = await host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<OutboxMessage>()
            .CountAsync(m => m.DedupeKey.StartsWith(CheckInCycle.CheckInKey(TabWorld.MeetingNotes, DigestWorld.Week) + ":")));
        Assert.Equal(0, count);
    }

    [Fact]
    public async Task A_non_admin_cannot_send_again_even_with_an_admins_form()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await TabWorld.StartAsync(database);
        await TabWorld.SeedAsync(host);
        using var admin = await TabWorld.SignedInAsync(host, Ada);
        var form = await SendAgainFormAsync(admin);
        using var manager = await TabWorld.SignedInAsync(host, DigestWorld.Mia);

        using var response = await manager.PostAsync("/tab/delivery/send-again", new FormUrlEncodedContent(form));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static async Task<Dictionary<string, string>> SendAgainFormAsync(HttpClient client)
    {
        var page = await client.GetStringAsync("/tab/delivery");
        var form = Regex.Match(page, "<form method=\"post\" action=\"/tab/delivery/send-again\".*?</form>").Value;
        Assert.NotEmpty(form);
        return Regex.Matches(form, "name=\"([^\"]+)\" value=\"([^\"]*)\"").ToDictionary(m => m.Groups[1].Value, m => System.Net.WebUtility.HtmlDecode(m.Groups[2].Value));
    }
}
