using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Azure.Core;
using Microsoft.EntityFrameworkCore;
using ValueBot.Teams.Connector;
using ValueBot.Web.Delivery;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;
using Xunit.Abstractions;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.Delivery;

/// <summary>
/// The outbound token endpoint (the loopback Entra fake) hangs or answers 503: a turn answers Teams without waiting for
/// it, its reply waits in the outbox and reaches the user once, when the endpoint is back.
/// </summary>
public sealed class TokenOutageTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("slow")]
    [InlineData("down")]
    public async Task ATurnDuringATokenOutageAnswersAtOnceAndItsReplyIsDeliveredOnceWhenTokensComeBack(string outage)
    {
        await using var database = TestDatabase.CreateSqlite();
        var credential = new ClientCredentialsOverHttp(ValueBotTestHost.AppId, "test-secret");
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Delivery:BackoffBase"] = "00:00:00.2",
            ["Delivery:BackoffMax"] = "00:00:01",
        }, configure: b => b.Services.AddSingleton(new BotConnectorCredential(credential)));
        credential.Endpoint = host.Issuer.TokenEndpoint(ValueBotTestHost.TenantId);
        if (outage == "slow")
        {
            host.Issuer.TokenDelay = TimeSpan.FromMinutes(10);
        }
        else
        {
            host.Issuer.TokenEndpointDown = true;
        }

        var watch = Stopwatch.StartNew();
        using var response = await host.SendFromTeamsAsync(Message(Ada, "help"));
        output.WriteLine($"turn answered in {watch.ElapsedMilliseconds} ms with the token endpoint {outage}");

        // Teams got its answer, nothing reached the connector, and the reply is waiting, not in doubt.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(host.Issuer.TokenRequests >= 1);
        Assert.Empty(host.Connector.Requests);
        var waiting = Assert.Single(await TurnMessagesAsync(host));
        Assert.NotEqual(OutboxState.InDoubt, waiting.State);
        Assert.NotEqual(OutboxState.Sent, waiting.State);

        // The sender keeps trying without a token and sends nothing meanwhile.
        await WaitUntilAsync(() => Task.FromResult(host.Issuer.TokenRequests >= 3));
        Assert.Empty(host.Connector.Requests);

        host.Issuer.TokenDelay = TimeSpan.Zero;
        host.Issuer.TokenEndpointDown = false;
        await WaitUntilAsync(async () => (await TurnMessagesAsync(host)).All(m => m.State == OutboxState.Sent));

        var sent = Assert.Single(host.Connector.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Contains(Uri.EscapeDataString(Ada.ConversationId), sent.RawTarget, StringComparison.Ordinal);
        Assert.StartsWith("Bearer ey", sent.Headers["Authorization"], StringComparison.Ordinal);
        Assert.Equal("AdaptiveCard", sent.Json!["attachments"]![0]!["content"]!["type"]!.GetValue<string>());

        // Nothing more follows: the turn did not send it and the sender sent it once.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(host.Connector.Requests);
        Assert.Equal(OutboxState.Sent, Assert.Single(await TurnMessagesAsync(host)).State);
    }

    private static Task<List<OutboxMessage>> TurnMessagesAsync(ValueBotTestHost host) =>
        host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.Kind == OutboxUnsentMessages.Kind).ToListAsync());

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(90);
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "gave up waiting");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// The client-credentials grant over HTTP, as Azure.Identity's ClientSecretCredential sends it to Entra (without its
    /// retries): POST form-encoded to the tenant's v2 token endpoint, read <c>access_token</c> and <c>expires_in</c>.
    /// </summary>
    private sealed class ClientCredentialsOverHttp(string clientId, string secret) : TokenCredential
    {
        private static readonly HttpClient Http = new();

        public string Endpoint { get; set; } = "";

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            using var body = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = clientId,
                ["client_secret"] = secret,
                ["scope"] = string.Join(' ', requestContext.Scopes),
            });
            using var response = await Http.PostAsync(Endpoint, body, cancellationToken);
            var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement;
            if (!response.IsSuccessStatusCode)
            {
                throw new Azure.Identity.AuthenticationFailedException($"{(int)response.StatusCode} {json.GetProperty("error").GetString()}");
            }

            return new AccessToken(json.GetProperty("access_token").GetString()!, DateTimeOffset.UtcNow.AddSeconds(json.GetProperty("expires_in").GetInt32()));
        }
    }
}
