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
    [InlineData("Deployment__InstanceCount")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT")]
    [InlineData("OTEL_EXPORTER_OTLP_PROTOCOL")]
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

        Assert.Contains("Compiled, not deployed", guide, StringComparison.Ordinal);
        Assert.Contains("never been deployed", guide, StringComparison.Ordinal);
        Assert.Contains("az deployment group create", guide, StringComparison.Ordinal);
    }

    [Fact]
    public void InstanceCountIsThePlansCapacityAndTheAppsDeploymentInstanceCount()
    {
        Assert.Matches(@"sku:\s*\{\s*name: appServiceSku\s*capacity: instanceCount\s*\}", Bicep);
        Assert.Equal("string(instanceCount)", SettingValue("Deployment__InstanceCount"));
        Assert.Single(Regex.Matches(Bicep, @"capacity:"));
    }

    [Fact]
    public void TheSchedulerIsNotASettingEveryInstanceSharesHangfiresStorageOnTheDatabase()
    {
        Assert.DoesNotContain("Scheduler__", Bicep, StringComparison.Ordinal);
        Assert.DoesNotContain("Hangfire__", Bicep, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDatabaseIsAlwaysPostgresWhateverTheInstanceCount()
    {
        Assert.Contains("value: '@Microsoft.KeyVault(SecretUri=${connectionStringSecret.properties.secretUri})'", SettingBlock("ConnectionStrings__ValueBot"), StringComparison.Ordinal);
        Assert.Matches(@"value: 'Host=\$\{postgres\.properties\.fullyQualifiedDomainName\};Port=5432;", Bicep);
        // The connection string setting is in the unconditional list, not behind an instanceCount condition.
        var baseSettings = Bicep[Bicep.IndexOf("var baseAppSettings = [", StringComparison.Ordinal)..Bicep.IndexOf("var otlpAppSettings", StringComparison.Ordinal)];
        Assert.Contains("name: 'ConnectionStrings__ValueBot'", baseSettings, StringComparison.Ordinal);
        Assert.DoesNotContain("Data Source=", Bicep, StringComparison.OrdinalIgnoreCase); // no SQLite connection string anywhere
    }

    [Theory]
    [InlineData(1, 40)]
    [InlineData(2, 20)]
    [InlineData(3, 13)]
    [InlineData(10, 5)]
    public void EachInstanceGetsItsShareOfTheConnectionBudget(int instances, int expectedPool)
    {
        // The template's formulas, evaluated as Bicep does (integer division).
        Assert.Contains("var poolSizePerInstance = max(5, postgresConnectionBudget / instanceCount)", Bicep, StringComparison.Ordinal);
        Assert.Contains("Maximum Pool Size=${poolSizePerInstance}", Bicep, StringComparison.Ordinal);
        var budget = (int)JsonNode.Parse(File.ReadAllText(Path.Combine(Infra, "main.parameters.json")))!["parameters"]!["postgresConnectionBudget"]!["value"]!;

        Assert.Equal(expectedPool, Math.Max(5, budget / instances));
        Assert.DoesNotContain("Delivery__RequestsPerSecondPerTenant", Bicep, StringComparison.Ordinal); // the app divides the rate itself
    }

    [Fact]
    public void TheParametersFilesInstanceCountIsWithinTheTemplatesBoundsAndScalesOut()
    {
        var count = (int)JsonNode.Parse(File.ReadAllText(Path.Combine(Infra, "main.parameters.json")))!["parameters"]!["instanceCount"]!["value"]!;
        var bounds = Regex.Match(Bicep, @"@minValue\((\d+)\)\s*\n@maxValue\((\d+)\)\s*\nparam instanceCount int");
        Assert.True(bounds.Success, "instanceCount has @minValue and @maxValue");
        Assert.InRange(count, int.Parse(bounds.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(bounds.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(count > 1, "the sample deployment runs more than one instance");
    }

    [Fact]
    public void TheHealthProbeIsTheReadinessEndpointAndAffinityIsOff()
    {
        Assert.Single(Regex.Matches(Bicep, "healthCheckPath:"));
        Assert.Contains("healthCheckPath: '/health/ready'", Bicep, StringComparison.Ordinal);
        Assert.Contains("clientAffinityEnabled: false", Bicep, StringComparison.Ordinal);
    }

    [Fact]
    public void GuideExplainsScaleOut()
    {
        var guide = File.ReadAllText(Path.Combine(Infra, "README.md"));
        foreach (var fragment in new[] { "instanceCount", "Deployment__InstanceCount", "Hangfire", "SKIP LOCKED", "lease", "Delivery:RequestsPerSecondPerTenant", "/health/ready", "bicep" })
        {
            Assert.Contains(fragment, guide, StringComparison.Ordinal);
        }
    }

    /// <summary>The <c>{ name: '…' value: … }</c> block of an app setting.</summary>
    private static string SettingBlock(string name)
    {
        var match = Regex.Match(Bicep, @"\{\s*name: '" + Regex.Escape(name) + @"'\s*value: ([^\n]+)\s*\}");
        Assert.True(match.Success, $"no app setting {name}");
        return match.Value;
    }

    private static string SettingValue(string name) =>
        Regex.Match(SettingBlock(name), @"value: ([^\n]+)").Groups[1].Value.Trim();

    [GeneratedRegex(@"^param\s+(\w+)\s", RegexOptions.Multiline)]
    private static partial Regex ParamDeclaration();
}
