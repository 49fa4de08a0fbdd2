using System.Reflection;
using System.Text.RegularExpressions;
using ValueBot.Teams.Hosting;
using ValueBot.Web.Observability;
using ValueBot.Web.Persistence;

namespace ValueBot.Web.Tests.Hosting;

/// <summary>
/// Every app setting <c>infra/main.bicep</c> gives the web app names something the app reads: <c>Section__Property</c>
/// settings a property of the options class bound from that section (by its <c>SectionName</c>), the connection string
/// the one the app asks for, and the upper-case ones a variable a named library or the platform reads.
/// </summary>
public sealed partial class InfraSettingsTests
{
    /// <summary>Settings no options class binds, and who reads them.</summary>
    private static readonly Dictionary<string, string> ReadElsewhere = new(StringComparer.Ordinal)
    {
        [ObservabilityExtensions.EndpointKey] = "ObservabilityExtensions",
        [ObservabilityExtensions.ProtocolKey] = "ObservabilityExtensions",
        ["OTEL_SERVICE_NAME"] = "ObservabilityExtensions",
        ["AZURE_CLIENT_ID"] = "Azure.Identity (the user-assigned identity)",
        ["ASPNETCORE_ENVIRONMENT"] = "the ASP.NET Core host",
        ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "App Service's Application Insights integration",
        ["WEBSITES_PORT"] = "App Service (the container's port)",
        ["WEBSITES_ENABLE_APP_SERVICE_STORAGE"] = "App Service (no shared /home mount)",
    };

    [Fact]
    public void EverySettingTheTemplateGivesTheAppIsOneTheAppReads()
    {
        var bicep = File.ReadAllText(Path.Combine(Testing.RepositoryPaths.Root, "infra", "main.bicep"));
        var settings = SettingName().Matches(bicep).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Contains("Bot__AppId", settings); // the pattern finds the app settings at all
        var sections = typeof(DeploymentOptions).Assembly.GetTypes().Concat(typeof(BotOptions).Assembly.GetTypes())
            .Select(t => (Type: t, Field: t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
            .Where(x => x.Field is { IsLiteral: true })
            .ToDictionary(x => (string)x.Field!.GetRawConstantValue()!, x => x.Type, StringComparer.OrdinalIgnoreCase);

        var unknown = new List<string>();
        foreach (var setting in settings)
        {
            var path = setting.Split("__");
            if (path.Length == 1)
            {
                if (!ReadElsewhere.ContainsKey(setting))
                {
                    unknown.Add($"{setting}: read by nothing known");
                }
            }
            else if (path[0] == "ConnectionStrings")
            {
                if (path is not [_, DatabaseOptions.ConnectionStringName])
                {
                    unknown.Add($"{setting}: the app reads ConnectionStrings:{DatabaseOptions.ConnectionStringName} only");
                }
            }
            else if (!sections.TryGetValue(path[0], out var type))
            {
                unknown.Add($"{setting}: no options class is bound from section '{path[0]}'");
            }
            else
            {
                foreach (var name in path[1..])
                {
                    var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
                    if (property is not { CanWrite: true })
                    {
                        unknown.Add($"{setting}: {type.Name} has no settable property '{name}'");
                        break;
                    }

                    type = property.PropertyType;
                }
            }
        }

        Assert.True(unknown.Count == 0, string.Join("\n", unknown));
    }

    /// <summary>The <c>name: '…'</c> of an app setting block (<c>{ name: 'X' value: … }</c>).</summary>
    [GeneratedRegex(@"\{\s*name: '([A-Za-z0-9_]+)'\s*value:")]
    private static partial Regex SettingName();
}
