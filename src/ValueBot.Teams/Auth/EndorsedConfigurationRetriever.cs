using System.Text.Json;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ValueBot.Teams.Auth;

/// <summary>
/// OpenID configuration plus the <c>endorsements</c> of each signing key, read from the same JWKS document
/// so that keys and endorsements always change together.
/// </summary>
public sealed class EndorsedOpenIdConfiguration : OpenIdConnectConfiguration
{
    /// <summary>Key id → channels the key is endorsed for. A key with no <c>endorsements</c> member is absent.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Endorsements { get; init; } =
        new Dictionary<string, IReadOnlySet<string>>();
}

/// <summary>
/// Reads an OpenID metadata document and its JWKS. The JWKS JSON is parsed here as well because
/// Microsoft.IdentityModel does not reliably keep the non-standard <c>endorsements</c> member.
/// </summary>
internal sealed class EndorsedConfigurationRetriever : IConfigurationRetriever<OpenIdConnectConfiguration>
{
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        var metadataJson = await retriever.GetDocumentAsync(address, cancel).ConfigureAwait(false);
        var metadata = OpenIdConnectConfiguration.Create(metadataJson);
        if (string.IsNullOrEmpty(metadata.JwksUri))
        {
            throw new InvalidOperationException($"OpenID metadata at {address} has no jwks_uri.");
        }

        var jwksJson = await retriever.GetDocumentAsync(metadata.JwksUri, cancel).ConfigureAwait(false);
        var keySet = new JsonWebKeySet(jwksJson) { SkipUnresolvedJsonWebKeys = true };
        var configuration = new EndorsedOpenIdConfiguration
        {
            Issuer = metadata.Issuer,
            JwksUri = metadata.JwksUri,
            JsonWebKeySet = keySet,
            Endorsements = ParseEndorsements(jwksJson),
        };
        foreach (var key in keySet.GetSigningKeys())
        {
            configuration.SigningKeys.Add(key);
        }

        return configuration;
    }

    internal static Dictionary<string, IReadOnlySet<string>> ParseEndorsements(string jwksJson)
    {
        var result = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(jwksJson);
        if (!document.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            return result;
        }

        foreach (var key in keys.EnumerateArray())
        {
            if (key.ValueKind != JsonValueKind.Object
                || !key.TryGetProperty("kid", out var kid) || kid.ValueKind != JsonValueKind.String
                || !key.TryGetProperty("endorsements", out var endorsements) || endorsements.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            result[kid.GetString()!] = endorsements.EnumerateArray()
                .Where(e => e.ValueKind == JsonValueKind.String)
                .Select(e => e.GetString()!)
                .ToHashSet(StringComparer.Ordinal);
        }

        return result;
    }
}
