namespace ValueBot.Testing;

/// <summary>Finds the repository's folders from wherever the test binaries run.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// The shared folder beside the repository (DOMAIN.md, schemas/); for a git worktree nested deeper
    /// (for example /work/wt/name), the nearest <c>shared</c> folder above it.
    /// </summary>
    public static string Shared { get; } = FindShared();

    public static string AdaptiveCardSchema => Path.Combine(Shared, "schemas", "adaptive-card-1.5.schema.json");

    public static string TeamsManifestSchema => Path.Combine(Shared, "schemas", "teams-manifest-1.29.schema.json");

    public static string NodeTools => Path.Combine(Root, "tests", "node");

    private static string FindShared()
    {
        for (var dir = new DirectoryInfo(Root).Parent; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "schemas")))
            {
                return candidate;
            }
        }

        return Path.GetFullPath(Path.Combine(Root, "..", "shared"));
    }

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
