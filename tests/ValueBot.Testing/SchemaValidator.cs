using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ValueBot.Testing;

/// <summary>
/// Validates JSON documents against an official JSON Schema with Ajv (tests/node/validate-schema.mjs):
/// no .NET validator for draft-04/06 resolves from the registry here. Needs `npm ci` in tests/node.
/// </summary>
public static class SchemaValidator
{
    public sealed record Result(bool Valid, IReadOnlyList<string> Errors);

    public static IReadOnlyList<Result> Validate(string schemaPath, IEnumerable<string> jsonDocuments)
    {
        var array = new JsonArray(jsonDocuments.Select(d => JsonNode.Parse(d)).ToArray());
        var script = Path.Combine(RepositoryPaths.NodeTools, "validate-schema.mjs");
        if (!Directory.Exists(Path.Combine(RepositoryPaths.NodeTools, "node_modules", "ajv")))
        {
            throw new InvalidOperationException("Run `npm ci` in tests/node first (the .ci/run script does).");
        }

        var start = new ProcessStartInfo("node", [script, schemaPath])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.NodeTools,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(array.ToJsonString());
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"schema validation failed to run: {stderr.Result}");
        }

        using var results = JsonDocument.Parse(stdout);
        return results.RootElement.EnumerateArray()
            .Select(r => new Result(
                r.GetProperty("valid").GetBoolean(),
                r.GetProperty("errors").EnumerateArray().Select(e => e.GetString() ?? "").ToList()))
            .ToList();
    }

    /// <summary>Throws with every schema error when the document does not validate.</summary>
    public static void AssertValid(string schemaPath, string json)
    {
        var result = Validate(schemaPath, [json])[0];
        if (!result.Valid)
        {
            throw new Xunit.Sdk.XunitException(
                $"Document does not validate against {Path.GetFileName(schemaPath)}:\n  " + string.Join("\n  ", result.Errors.Take(20)));
        }
    }
}
