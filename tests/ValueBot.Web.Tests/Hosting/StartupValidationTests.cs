using System.Diagnostics;

namespace ValueBot.Web.Tests.Hosting;

/// <summary>Starts the built ValueBot.Web.dll as its own process, as a deployment would, and checks it refuses bad configuration.</summary>
public sealed class StartupValidationTests
{
    [Fact]
    public async Task RefusesToStartInProductionNamingEachMissingSetting()
    {
        var (exitCode, output) = await RunAppAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        });

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Bot:AppId", output);
        Assert.Contains("Bot:Credential:Type", output);
    }

    [Fact]
    public async Task RefusesLocalModeInProduction()
    {
        var (exitCode, output) = await RunAppAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Bot__LocalMode"] = "true",
        });

        Assert.NotEqual(0, exitCode);
        Assert.Contains("LocalMode", output);
    }

    [Fact]
    public async Task RefusesSqliteWhenSeveralInstancesAreConfigured()
    {
        var (exitCode, output) = await RunAppAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Bot__AppId"] = "00000000-0000-0000-0000-0000000000b0",
            ["Bot__TenantId"] = "11111111-1111-1111-1111-111111111111",
            ["Bot__Credential__Type"] = "ManagedIdentity",
            ["Deployment__InstanceCount"] = "2",
        });

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Deployment:InstanceCount", output);
        Assert.Contains("PostgreSQL", output);
    }

    private static async Task<(int ExitCode, string Output)> RunAppAsync(IDictionary<string, string> environment)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ValueBot.Web.dll");
        var dataFolder = Path.Combine(Path.GetTempPath(), "valuebot-startup-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["Database__DataFolder"] = dataFolder;
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException("ValueBot started although its configuration is invalid: " + await stdout);
        }
        finally
        {
            if (Directory.Exists(dataFolder))
            {
                Directory.Delete(dataFolder, recursive: true);
            }
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
