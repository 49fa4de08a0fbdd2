using System.Globalization;

namespace ValueBot.Benchmarks;

/// <summary>
/// The lines benchmarks/run-all.sh collects into its closing table: <c>TABLE | what | figure | target | met?</c>.
/// A benchmark prints one per figure that has a target, beside its own detailed output.
/// </summary>
internal static class BenchmarkTable
{
    public static void Row(string what, string figure, string target, bool? met) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"TABLE | {what} | {figure} | {target} | {(met is null ? "—" : met.Value ? "yes" : "NO")}"));

    /// <summary>The machine's 1/5/15-minute load average (Linux), for the record beside the figures.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
