namespace ValueBot.Testing;

/// <summary>Finds the repository's folders from wherever the test binaries run.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The shared folder beside the repository (DOMAIN.md, schemas/).</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string AdaptiveCardSchema => Path.Combine(Shared, "schemas", "adaptive-card-1.5.schema.json");

    public static string TeamsManifestSchema => Path.Combine(Shared, "schemas", "teams-manifest-1.29.schema.json");

    public static string NodeTools => Path.Combine(Root, "tests", "node");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ValueBot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ValueBot.sln not found above " + AppContext.BaseDirectory);
    }
}
