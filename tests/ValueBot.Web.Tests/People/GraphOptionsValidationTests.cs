using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ValueBot.Web.People;

namespace ValueBot.Web.Tests.People;

public sealed class GraphOptionsValidationTests
{
    [Fact]
    public async Task RefusesToStartWhenEnabledAndEachMissingSettingIsNamed()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Graph:Enabled"] = "true",
            ["Graph:Credential:Type"] = "ClientSecret",
        });
        builder.Services.AddPeopleDirectory(builder.Configuration);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Graph:Credential:TenantId", error.Message, StringComparison.Ordinal);
        Assert.Contains("Graph:Credential:ClientId", error.Message, StringComparison.Ordinal);
        Assert.Contains("Graph:Credential:ClientSecret", error.Message, StringComparison.Ordinal);
        Assert.Contains("Graph:TeamsAppExternalId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AcceptsNothingWhenDisabled()
    {
        var failures = Validate([]);

        Assert.Empty(failures);
    }

    [Fact]
    public void NamesTheCertificatePathForCertificateCredentials()
    {
        var failures = Validate(new()
        {
            ["Graph:Enabled"] = "true",
            ["Graph:TeamsAppExternalId"] = "app",
            ["Graph:Credential:Type"] = "Certificate",
            ["Graph:Credential:TenantId"] = "t",
            ["Graph:Credential:ClientId"] = "c",
        });

        Assert.Equal(["Graph:Credential:CertificatePath is required for Graph:Credential:Type Certificate."], failures);
    }

    [Fact]
    public void NamesTheManagedIdentityClientId()
    {
        var failures = Validate(new()
        {
            ["Graph:Enabled"] = "true",
            ["Graph:TeamsAppExternalId"] = "app",
            ["Graph:Credential:Type"] = "ManagedIdentity",
        });

        Assert.Contains(failures, f => f.Contains("Graph:Credential:ManagedIdentityClientId", StringComparison.Ordinal));
    }

    [Fact]
    public void AllowsNoCredentialOnlyForALoopbackGraph()
    {
        var production = Validate(new() { ["Graph:Enabled"] = "true", ["Graph:TeamsAppExternalId"] = "app", ["Graph:Credential:Type"] = "None" });
        var loopback = Validate(new()
        {
            ["Graph:Enabled"] = "true",
            ["Graph:TeamsAppExternalId"] = "app",
            ["Graph:Credential:Type"] = "None",
            ["Graph:BaseUrl"] = "http://127.0.0.1:5005/v1.0",
        });

        Assert.Contains(production, f => f.Contains("Graph:Credential:Type", StringComparison.Ordinal));
        Assert.Empty(loopback);
    }

    [Fact]
    public void RefusesAPlainHttpGraphOffLoopback()
    {
        var failures = Validate(new()
        {
            ["Graph:Enabled"] = "true",
            ["Graph:TeamsAppExternalId"] = "app",
            ["Graph:BaseUrl"] = "http://graph.example/v1.0",
            ["Graph:Credential:Type"] = "ClientSecret",
            ["Graph:Credential:TenantId"] = "t",
            ["Graph:Credential:ClientId"] = "c",
            ["Graph:Credential:ClientSecret"] = "s",
        });

        Assert.Contains(failures, f => f.Contains("Graph:BaseUrl", StringComparison.Ordinal));
    }

    [Fact]
    public void DefaultsToPublicGraphAndAnHourOfCaching()
    {
        var options = new GraphOptions();

        Assert.Equal("https://graph.microsoft.com/v1.0", options.BaseUrl);
        Assert.Equal(TimeSpan.FromHours(1), options.CacheDuration);
        Assert.False(options.Enabled);
    }

    private static IReadOnlyList<string> Validate(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddLogging().AddPeopleDirectory(configuration).BuildServiceProvider();
        try
        {
            _ = services.GetRequiredService<IOptions<GraphOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException e)
        {
            return e.Failures.ToList();
        }
    }
}
