using System.Text.Json.Nodes;
using ValueBot.Testing;
using ValueBot.Web.AdminCards;
using ValueBot.Web.People;
using ValueBot.Web.UseCases;
using ValueBot.Web.Tests.Support;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.AdminCards;

/// <summary>
/// The admin card tests' world: the real host with Ada as the only Teams admin (Grace is not one). Graph is not
/// configured, so an owner typed by email is found among the people ValueBot knows: the tests remember them first.
/// </summary>
internal static class AdminCardWorld
{
    public const string GraceMail = "grace@contoso.com";

    public static Task<ValueBotTestHost> StartAsync(TestDatabase database) =>
        ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["Admin:TeamsAdmins:0"] = Ada.AadObjectId });

    /// <summary>Grace, known by <see cref="GraceMail"/>.</summary>
    public static Task SeedGraceAsync(ValueBotTestHost host) => SeedPersonAsync(host, Grace.AadObjectId, Grace.Name, GraceMail);

    public static Task SeedPersonAsync(ValueBotTestHost host, string id, string name, string upn, string? mail = null) =>
        host.WithScopeAsync(async sp =>
        {
            await sp.GetRequiredService<KnownPeople>().RememberAsync(
                new Person { AadObjectId = id, DisplayName = name, UserPrincipalName = upn, Mail = mail ?? upn }, CancellationToken.None);
            return 0;
        });

    /// <summary>What the bot posted, in order.</summary>
    public static List<RecordedRequest> Posts(ValueBotTestHost host) => host.Connector.Requests.Where(r => r.Method == "POST").ToList();

    /// <summary>True when a message the bot posted is the use-case form (its card has the Register action).</summary>
    public static bool IsNewUseCaseForm(RecordedRequest post) =>
        post.Json!["attachments"] is JsonArray { Count: > 0 } && CardReader.FromActivity(post.Body).HasAction(UseCaseFormCard.CreateVerb);

    /// <summary>The text of a plain message the bot posted ("" when it has none).</summary>
    public static string TextOf(RecordedRequest post) => post.Json!["text"]?.GetValue<string>() ?? "";
}
