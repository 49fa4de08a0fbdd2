namespace ValueBot.Web.Persistence;

/// <summary>Which database ValueBot uses. SQLite in the app's data folder unless a connection string says otherwise.</summary>
public sealed class DatabaseOptions
{
    /// <summary>The connection string's name under <c>ConnectionStrings</c>.</summary>
    public const string ConnectionStringName = "ValueBot";

    /// <summary>Folder for the default SQLite file, relative to the content root unless rooted.</summary>
    public string DataFolder { get; set; } = "data";

    public DatabaseEngine Engine { get; init; }

    public string ConnectionString { get; init; } = "";

    /// <summary>
    /// Reads <c>ConnectionStrings:ValueBot</c>: empty means a SQLite file in the data folder;
    /// <c>Host=…</c> or a <c>postgres://</c> URL means PostgreSQL; <c>Data Source=…</c> means SQLite.
    /// </summary>
    public static DatabaseOptions From(IConfiguration configuration, string contentRoot)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        var dataFolder = configuration["Database:DataFolder"] ?? "data";
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var folder = Path.IsPathRooted(dataFolder) ? dataFolder : Path.Combine(contentRoot, dataFolder);
            Directory.CreateDirectory(folder);
            return new DatabaseOptions
            {
                DataFolder = folder,
                Engine = DatabaseEngine.Sqlite,
                ConnectionString = $"Data Source={Path.Combine(folder, "valuebot.db")}",
            };
        }

        var trimmed = connectionString.Trim();
        if (trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new DatabaseOptions { Engine = DatabaseEngine.Postgres, ConnectionString = FromUrl(new Uri(trimmed)) };
        }

        var isPostgres = trimmed.Contains("Host=", StringComparison.OrdinalIgnoreCase)
            || trimmed.Contains("Server=", StringComparison.OrdinalIgnoreCase);
        return new DatabaseOptions
        {
            DataFolder = dataFolder,
            Engine = isPostgres ? DatabaseEngine.Postgres : DatabaseEngine.Sqlite,
            ConnectionString = trimmed,
        };
    }

    private static string FromUrl(Uri url)
    {
        var userInfo = url.UserInfo.Split(':', 2);
        var builder = new Npgsql.NpgsqlConnectionStringBuilder
        {
            Host = url.Host,
            Port = url.IsDefaultPort || url.Port < 0 ? 5432 : url.Port,
            Database = Uri.UnescapeDataString(url.AbsolutePath.TrimStart('/')),
            Username = Uri.UnescapeDataString(userInfo[0]),
        };
        if (userInfo.Length > 1)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        return builder.ConnectionString;
    }
}

public enum DatabaseEngine
{
    Sqlite,
    Postgres,
}
