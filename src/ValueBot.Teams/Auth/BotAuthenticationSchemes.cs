namespace ValueBot.Teams.Auth;

/// <summary>Names of the bot's authentication schemes and of the policy that <c>/api/messages</c> requires.</summary>
public static class BotAuthenticationSchemes
{
    /// <summary>The policy scheme: forwards to <see cref="BotFramework"/> or <see cref="Entra"/> by the token's issuer.</summary>
    public const string Bot = "Bot";

    /// <summary>JwtBearer scheme for tokens issued by the Bot Framework (docs/protocol.md §1.2).</summary>
    public const string BotFramework = "BotFramework";

    /// <summary>JwtBearer scheme for Entra-issued tokens of a single-tenant bot (docs/protocol.md §1.3).</summary>
    public const string Entra = "BotEntra";

    /// <summary>The authorization policy of the messaging endpoint.</summary>
    public const string TeamsPolicy = "TeamsBot";

    /// <summary>The only channel ValueBot serves; the Bot Framework key must be endorsed for it.</summary>
    public const string TeamsChannelId = "msteams";
}
