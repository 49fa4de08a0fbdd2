using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ValueBot.Testing;

namespace ValueBot.Manifest.Tests;

/// <summary>
/// No bicep CLI or Azure access here, so these only check what can be read offline: the parameters file
/// names real parameters, and the template carries the settings and properties the app and the guide rely on.
/// </summary>
public sealed partial class InfraTemplateTests
{
    private static string Infra => Path.Combine(RepositoryPaths.Root, "infra");

    private static readonly string Bicep = File.ReadAllText(Path.Combine(Infra, "main.bicep"));

    [Fact]
    public void ParametersFileNamesOnlyParametersTheTemplateDeclares()
    {
        var declared = ParamDeclaration().Matches(Bicep).Select(m => m.Groups[1].Value).ToHashSet();
        var parameters = JsonNode.Parse(File.ReadAllText(Path.Combine(Infra, "main.parameters.json")))!["parameters"]!.AsObject();

        Assert.NotEmpty(parameters);
        Assert.All(parameters.Select(p => p.Key), name => Assert.Contains(name, declared));
    }

    [Fact]
    public void SecretsAreNotInTheParametersFile()
    {
        var parameters = JsonNode.Parse(File.ReadAllText(Path.Combine(Infra, "main.parameters.json")))!["parameters"]!.AsObject();
        Assert.DoesNotContain("postgresAdminPassword", parameters.Select(p => p.Key));
        Assert.Matches(@"@secure\(\)\s*\nparam postgresAdminPassword string", Bicep);
    }

    [Theory]
    [InlineData("Bot__AppId")]
    [InlineData("Bot__TenantId")]
    [InlineData("Bot__Credential__Type")]
    [InlineData("Bot__Credential__ManagedIdentityClientId")]
    [InlineData("ConnectionStrings__ValueBot")]
    [InlineData("Scheduler__Clustered")]
    [InlineData("Deployment__InstanceCount")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT")]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING")]
    public void WebAppGetsTheSetting(string setting)
    {
        Assert.Contains($"name: '{setting}'", Bicep, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("msaAppType: 'UserAssignedMSI'")]
    [InlineData("channelName: 'MsTeamsChannel'")]
    [InlineData("httpsOnly: true")]
    [InlineData("healthCheckPath: '/health/ready'")]
    [InlineData("version: '16'")]
    [InlineData("enableRbacAuthorization: true")]
    [InlineData("value: 'ManagedIdentity'")]
    [InlineData("value: '@Microsoft.KeyVault(SecretUri=")]
    [InlineData("keyVaultReferenceIdentity: identity.id")]
    [InlineData("output botEndpoint string")]
    [InlineData("output webAppHostName string")]
    public void TemplateContains(string fragment)
    {
        Assert.Contains(fragment, Bicep, StringComparison.Ordinal);
    }

    [Fact]
    public void BotEndpointIsTheMessagesRouteOnTheWebApp()
    {
        Assert.Contains("'https://${web.properties.defaultHostName}/api/messages'", Bicep, StringComparison.Ordinal);
    }

    [Fact]
    public void GuideSaysWhatCouldNotBeCheckedAndListsTheGraphPermissions()
    {
        var guide = File.ReadAllText(Path.Combine(Infra, "README.md"));
        foreach (var permission in new[] { "User.Read.All", "TeamsAppInstallation.ReadWriteSelfForUser.All", "AppCatalog.Read.All" })
        {
            Assert.Contains(permission, guide, StringComparison.Ordinal);
        }

        Assert.Contains("Not checked here", guide, StringComparison.Ordinal);
        Assert.Contains("az deployment group create", guide, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^param\s+(\w+)\s", RegexOptions.Multiline)]
    private static partial Regex ParamDeclaration();
}
