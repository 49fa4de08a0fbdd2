using System.Security.Claims;

namespace ValueBot.Teams.Auth;

/// <summary>Which kind of caller a validated request came from.</summary>
public enum CallerKind
{
    /// <summary>A Bot Framework channel token (issuer api.botframework.com).</summary>
    BotFramework,

    /// <summary>An Entra ID token for a single-tenant bot.</summary>
    Entra,

    /// <summary>No token: local mode, loopback caller.</summary>
    LocalAnonymous,
}

/// <summary>The identity of a request that passed authentication.</summary>
/// <param name="Kind">How it was authenticated.</param>
/// <param name="Identity">The token's claims with their raw names (<c>aud</c>, <c>serviceurl</c>, <c>tid</c>…).</param>
public sealed record BotCaller(CallerKind Kind, ClaimsIdentity Identity)
{
    /// <summary>The anonymous local-mode caller.</summary>
    public static BotCaller LocalAnonymous { get; } = new(CallerKind.LocalAnonymous, new ClaimsIdentity());

    /// <summary>The caller of an authenticated request, or null when <paramref name="user"/> holds no bot identity.</summary>
    public static BotCaller? From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        foreach (var identity in user.Identities)
        {
            if (!identity.IsAuthenticated)
            {
                continue;
            }

            if (identity.AuthenticationType == BotAuthenticationSchemes.BotFramework)
            {
                return new BotCaller(CallerKind.BotFramework, identity);
            }

            if (identity.AuthenticationType == BotAuthenticationSchemes.Entra)
            {
                return new BotCaller(CallerKind.Entra, identity);
            }
        }

        return null;
    }
}
