using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Testing;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.Tests.Admin;

/// <summary>Calls the admin API of a test host with an Entra admin token minted by the loopback issuer.</summary>
public static class AdminClient
{
    public const string Role = "ValueBot.Admin";

    public static string Token(ValueBotTestHost host, string? role = Role, string? audience = null, DateTimeOffset? expires = null, DateTimeOffset? notBefore = null)
    {
        var claims = new Dictionary<string, object> { ["tid"] = ValueBotTestHost.TenantId, ["preferred_username"] = "admin@contoso.example" };
        if (role is not null)
        {
            claims["roles"] = new[] { role };
        }

        return host.Issuer.CreateToken(new FakeTokenSpec
        {
            Issuer = $"https://login.microsoftonline.com/{ValueBotTestHost.TenantId}/v2.0",
            Audience = audience ?? $"api://{ValueBotTestHost.AppId}",
            Claims = claims,
            Expires = expires,
            NotBefore = notBefore,
        });
    }

    public static Task<HttpResponseMessage> SendAsync(ValueBotTestHost host, HttpMethod method, string path, string? json = null, string? token = "admin", string contentType = "application/json")
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, contentType);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token == "admin" ? Token(host) : token);
        }

        return host.Http.SendAsync(request);
    }

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    public static JsonObject ValidUseCase(string name = "Invoice triage") => new()
    {
        ["name"] = name,
        ["description"] = "AI drafts the coding of incoming invoices",
        ["valueModel"] = "processReengineering",
        ["stage"] = "production",
        ["owner"] = new JsonObject { ["aadObjectId"] = TeamsActivities.Ada.AadObjectId, ["displayName"] = "Ada Lovelace" },
        ["orgUnit"] = "Finance",
        ["workflow"] = "Accounts payable",
        ["pnlLine"] = "cost",
        ["successCriteria"] = "30 % less effort per invoice",
        ["launchDate"] = "2026-01-05",
        ["targetUsers"] = 100,
        ["currency"] = "EUR",
        ["baseline"] = new JsonObject
        {
            ["minutesPerTask"] = 12, ["tasksPerWeek"] = 400, ["hourlyCost"] = 60, ["reworkRateBeforeAi"] = 0.05, ["minutesPerException"] = 20,
        },
        ["declaredPilotBenefit"] = 0.3,
        ["plannedRunCostPerMonth"] = 2000,
    };

    public static string Serialize(JsonNode node) => node.ToJsonString(new JsonSerializerOptions());

    /// <summary>Stores an answered week straight in <c>check_ins</c> (300 tasks × 4 min saved, 5 % rework, 300 EUR run cost).</summary>
    public static Task SeedAnswerAsync(ValueBotTestHost host, string useCaseId, string week, int activeUsers) =>
        host.WithScopeAsync(async services =>
        {
            var answer = new Answer
            {
                ActiveUsers = activeUsers,
                Tasks = 300,
                MinutesSavedPerTask = 4m,
                ReworkShare = 0.05m,
                MinutesPerCorrection = 5m,
                RunCost = RunCost.Zero("EUR") with { LicencesAndTokens = new Money(300m, "EUR") },
            };
            var json = AnswerJson.Serialize(answer);
            var now = host.Time.GetUtcNow().UtcDateTime;
            var db = services.GetRequiredService<ValueBotDbContext>();
            return await db.Database.ExecuteSqlAsync($"""
                INSERT INTO check_ins (use_case_id, week, status, answer_json, answered_at, created_at, updated_at)
                VALUES ({useCaseId}, {week}, 'answered', {json}, {now}, {now}, {now})
                """);
        });
}
