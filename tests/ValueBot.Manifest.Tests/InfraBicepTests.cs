using System.Diagnostics;
using System.Reflection;

namespace ValueBot.Manifest.Tests;

/// <summary>
/// The Bicep CLI from NuGet (Azure.Bicep.CommandLine.linux-x64, a PackageDownload of this project, so a restore brings
/// it) compiles and lints <c>infra/main.bicep</c>: any error or warning fails the test.
/// </summary>
public sealed class InfraBicepTests
{
    private static readonly string Template = Path.Combine(ValueBot.Testing.RepositoryPaths.Root, "infra", "main.bicep");

    [Fact]
    public async Task TheTemplateBuildsWithoutAWarning()
    {
        var output = Path.Combine(Path.GetTempPath(), $"valuebot-bicep-{Guid.NewGuid():N}");
        try
        {
            var (exit, stdout, stderr) = await BicepAsync("build", Template, "--outdir", output);
            Assert.True(exit == 0 && stderr.Length == 0, $"bicep build exited {exit}:\n{stderr}{stdout}");
            Assert.True(File.Exists(Path.Combine(output, "main.json")), "bicep build wrote no ARM template");
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    [Fact]
    public async Task TheTemplateLintsWithoutAWarning()
    {
        var (exit, stdout, stderr) = await BicepAsync("lint", Template);
        Assert.True(exit == 0 && stderr.Length == 0, $"bicep lint exited {exit}:\n{stderr}{stdout}");
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> BicepAsync(params string[] arguments)
    {
        var cli = typeof(InfraBicepTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepCli").Value!;
        Assert.True(File.Exists(cli), $"the Bicep CLI is not at {cli}: restore tests/ValueBot.Manifest.Tests");
        // NuGet does not keep the executable bit when it extracts a package (the package is the Linux CLI).
        if (!OperatingSystem.IsWindows() && !File.GetUnixFileMode(cli).HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(cli, File.GetUnixFileMode(cli) | UnixFileMode.UserExecute);
        }

        var start = new ProcessStartInfo(cli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, (await stdout).Trim(), (await stderr).Trim());
    }
}
