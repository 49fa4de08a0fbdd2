using System.Globalization;

namespace ValueBot.Benchmarks;

/// <summary>
/// The command line every benchmark reads the same way: <c>--name value</c> pairs, flags, and the engines to run on —
/// SQLite, plus PostgreSQL with <c>--postgres</c> (PostgreSQL alone with <c>--postgres-only</c>) when
/// <c>VALUEBOT_TEST_POSTGRES</c> names a server.
/// </summary>
internal sealed class BenchmarkArgs(string[] args)
{
    public const string PostgresVariable = "VALUEBOT_TEST_POSTGRES";

    public string? Value(string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    public int Int(string name, int fallback) => Value(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public IReadOnlyList<int> Ints(string name, string fallback) =>
        (Value(name) ?? fallback).Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();

    public bool Has(string flag) => args.Contains(flag);

    public IReadOnlyList<string> Engines()
    {
        var postgresOnly = Has("--postgres-only");
        var engines = postgresOnly ? new List<string>() : ["sqlite"];
        if (Has("--postgres") || postgresOnly)
        {
            if (Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 })
            {
                engines.Add("postgres");
            }
            else
            {
                Console.WriteLine($"--postgres given but {PostgresVariable} is not set; PostgreSQL skipped.");
            }
        }

        return engines;
    }
}
