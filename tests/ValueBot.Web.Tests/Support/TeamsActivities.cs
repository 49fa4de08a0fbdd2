using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ValueBot.Teams.Schema;

namespace ValueBot.Web.Tests.Support;

/// <summary>Activities shaped as Teams sends them (docs/protocol.md §4).</summary>
public static class TeamsActivities
{
    public const string BotId = "28:" + ValueBotTestHost.AppId;
    public const string TeamId = "19:team-general@thread.tacv2";
    public const string ChannelId = "19:digests@thread.tacv2";

    /// <summary>A Teams user; <see cref="AadObjectId"/> is an Entra object id (a GUID), as the admin API requires.</summary>
    public sealed record User(string Id, string AadObjectId, string Name, string ConversationId);

    public static User Ada { get; } = new("29:ada", "6a1c0e52-0000-4000-8000-00000000ada1", "Ada Lovelace", "a:personal-ada");

    public static User Grace { get; } = new("29:grace", "6a1c0e52-0000-4000-8000-000000009ace", "Grace Hopper", "a:personal-grace");

    public static Activity PersonalInstall(User user, string? serviceUrl = null) => new()
    {
        Type = ActivityTypes.ConversationUpdate,
        Id = "f:" + Guid.NewGuid().ToString("N"),
        ServiceUrl = serviceUrl,
        ChannelId = "msteams",
        From = new ChannelAccount { Id = user.Id, AadObjectId = user.AadObjectId, Name = user.Name },
        Recipient = new ChannelAccount { Id = BotId, Name = "ValueBot" },
        Conversation = new ConversationAccount { Id = user.ConversationId, ConversationType = ConversationTypes.Personal, TenantId = ValueBotTestHost.TenantId },
        MembersAdded = [new ChannelAccount { Id = BotId }],
        ChannelData = new TeamsChannelData { Tenant = new TenantInfo { Id = ValueBotTestHost.TenantId } },
    };

    public static Activity PersonalInstallationUpdate(User user, string action, string? serviceUrl = null)
    {
        var activity = PersonalInstall(user, serviceUrl);
        activity.Type = ActivityTypes.InstallationUpdate;
        activity.Action = action;
        activity.MembersAdded = null;
        return activity;
    }

    public static Activity TeamInstall(string teamName = "AI Leadership") => new()
    {
        Type = ActivityTypes.ConversationUpdate,
        Id = "f:" + Guid.NewGuid().ToString("N"),
        ChannelId = "msteams",
        From = new ChannelAccount { Id = Ada.Id, AadObjectId = Ada.AadObjectId, Name = Ada.Name },
        Recipient = new ChannelAccount { Id = BotId, Name = "ValueBot" },
        Conversation = new ConversationAccount { Id = ChannelId, ConversationType = ConversationTypes.Channel, IsGroup = true, TenantId = ValueBotTestHost.TenantId },
        MembersAdded = [new ChannelAccount { Id = BotId }],
        ChannelData = new TeamsChannelData
        {
            EventType = "teamMemberAdded",
            Tenant = new TenantInfo { Id = ValueBotTestHost.TenantId },
            Team = new TeamInfo { Id = TeamId, Name = teamName },
            Settings = new TeamsChannelDataSettings { SelectedChannel = new ChannelInfo { Id = ChannelId } },
        },
    };

    public static Activity Message(User user, string text, string? serviceUrl = null) => new()
    {
        Type = ActivityTypes.Message,
        Id = "m:" + Guid.NewGuid().ToString("N"),
        ServiceUrl = serviceUrl,
        ChannelId = "msteams",
        Text = text,
        From = new ChannelAccount { Id = user.Id, AadObjectId = user.AadObjectId, Name = user.Name },
        Recipient = new ChannelAccount { Id = BotId, Name = "ValueBot" },
        Conversation = new ConversationAccount { Id = user.ConversationId, ConversationType = ConversationTypes.Personal, TenantId = ValueBotTestHost.TenantId },
        ChannelData = new TeamsChannelData { Tenant = new TenantInfo { Id = ValueBotTestHost.TenantId } },
    };

    /// <summary>An Action.Execute click as Teams sends it: an <c>adaptiveCard/action</c> invoke with the inputs merged into the data.</summary>
    public static Activity CardAction(User user, string verb, JsonObject data)
    {
        data["verb"] = verb;
        var activity = Message(user, "");
        activity.Type = ActivityTypes.Invoke;
        activity.Text = null;
        activity.Name = "adaptiveCard/action";
        activity.Value = JsonSerializer.SerializeToElement(new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data },
            ["trigger"] = "manual",
        });
        return activity;
    }

    /// <summary>The Universal Actions body of an invoke response (HTTP 200): its type and value.</summary>
    public static async Task<(string Type, JsonNode Value)> ReadInvokeResponseAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return (body["type"]!.GetValue<string>(), body["value"]!);
    }
}
