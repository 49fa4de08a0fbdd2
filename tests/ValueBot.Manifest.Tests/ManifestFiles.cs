using System.Diagnostics;
using System.Text.Json.Nodes;
using ValueBot.Testing;

namespace ValueBot.Manifest.Tests;

/// <summary>Paths of the manifest folder and a way to run its package script.</summary>
internal static class ManifestFiles
{
    public const string PlaceholderGuid = "00000000-0000-0000-0000-000000000000";

    public static string Folder => Path.Combine(RepositoryPaths.Root, "manifest");

    public static string Template => Path.Combine(Folder, "manifest.json");

    public static string PackageScript => Path.Combine(Folder, "package.sh");

    public static JsonObject ReadTemplate() => JsonNode.Parse(File.ReadAllText(Template))!.AsObject();

    /// <summary>What package.sh does to the template, for tests that need a filled manifest without running bash.</summary>
    public static string Fill(string botId, string domain) =>
        File.ReadAllText(Template)
            .Replace("{{BOT_ID}}", botId, StringComparison.Ordinal)
            .Replace("{{BOT_DOMAIN}}", domain, StringComparison.Ordinal)
            .Replace(PlaceholderGuid, botId, StringComparison.Ordinal);

    public sealed record ScriptRun(int ExitCode, string StdOut, string StdErr);

    /// <summary>Runs package.sh with only the given variables set (BOT_ID/BOT_DOMAIN from the test host are removed).</summary>
    public static ScriptRun RunPackageScript(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("bash", [PackageScript, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        start.Environment.Remove("BOT_ID");
        start.Environment.Remove("BOT_DOMAIN");
        start.Environment.Remove("OUT");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("package.sh did not finish in 60 s");
        }

        return new ScriptRun(process.ExitCode, stdout, stderr.Result);
    }
}
