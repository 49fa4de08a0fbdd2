using Microsoft.Extensions.Logging.Testing;

namespace ValueBot.Web.Tests.Observability;

/// <summary>Reads the key/value pairs of the logging scopes a <see cref="FakeLogRecord"/> was written in.</summary>
public static class LogScopes
{
    /// <summary>Every key of every scope active when the record was written; an inner scope's value wins.</summary>
    public static IReadOnlyDictionary<string, object?> ScopeValues(this FakeLogRecord record)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var scope in record.Scopes)
        {
            if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                {
                    values[key] = value;
                }
            }
        }

        return values;
    }
}
