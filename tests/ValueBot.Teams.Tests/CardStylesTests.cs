using System.Reflection;
using System.Text.Json.Nodes;
using ValueBot.Teams.Cards;
using ValueBot.Testing;

namespace ValueBot.Teams.Tests;

/// <summary>
/// Every typed card style is a value the Adaptive Card 1.5 schema allows for the property it names (column widths and
/// chart colours have no enum in the schema: a free string and a Teams extension).
/// </summary>
public sealed class CardStylesTests
{
    public static TheoryData<string, string> StylesAndSchemaEnums() => new()
    {
        { nameof(TextWeight), "FontWeight" },
        { nameof(TextSize), "FontSize" },
        { nameof(TextColor), "Colors" },
        { nameof(ElementSpacing), "Spacing" },
        { nameof(ContainerStyle), "ContainerStyle" },
        { nameof(ActionStyle), "ActionStyle" },
        { nameof(ChoiceInputStyle), "ChoiceInputStyle" },
    };

    [Theory]
    [MemberData(nameof(StylesAndSchemaEnums))]
    public void EveryConstantIsAValueOfItsSchemaEnum(string styles, string schemaDefinition)
    {
        var schema = JsonNode.Parse(File.ReadAllText(RepositoryPaths.AdaptiveCardSchema))!;
        // The schema lists the values in camelCase and accepts any casing (its second branch is a case-blind pattern).
        var allowed = schema["definitions"]![schemaDefinition]!["anyOf"]![0]!["enum"]!.AsArray()
            .Select(v => v!.GetValue<string>()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var values = typeof(TextWeight).Assembly.GetType($"ValueBot.Teams.Cards.{styles}", throwOnError: true)!
            .GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();

        Assert.NotEmpty(values);
        Assert.All(values, v => Assert.Contains(v, allowed));
    }
}
