using System.Reflection;

namespace ValueBot.Web.Tab;

/// <summary>The tab's stylesheet, built into the assembly (<c>Tab/tab.css</c>) so the pages are styled with or without the built script.</summary>
internal static class TabAssets
{
    public static string Stylesheet { get; } = Read("ValueBot.Web.Tab.tab.css");

    private static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The resource {name} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
