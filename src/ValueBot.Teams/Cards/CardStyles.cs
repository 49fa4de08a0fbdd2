namespace ValueBot.Teams.Cards;

// Typed names for the Adaptive Card 1.5 enum values ValueBot's cards use. The schema compares them case-insensitively;
// each constant keeps the exact spelling the cards have always sent, so the JSON does not change. Kept as string
// constants (not C# enums) like the protocol's other open value sets: the element properties stay plain strings.

/// <summary><c>TextBlock.weight</c> / <c>TextRun.weight</c> (schema <c>FontWeight</c>).</summary>
public static class TextWeight
{
    public const string Default = "Default";
    public const string Lighter = "Lighter";
    public const string Bolder = "Bolder";
}

/// <summary><c>TextBlock.size</c> / <c>TextRun.size</c> (schema <c>FontSize</c>).</summary>
public static class TextSize
{
    public const string Default = "Default";
    public const string Small = "Small";
    public const string Medium = "Medium";
    public const string Large = "Large";
    public const string ExtraLarge = "ExtraLarge";
}

/// <summary><c>TextBlock.color</c> / <c>TextRun.color</c> (schema <c>Colors</c>).</summary>
public static class TextColor
{
    public const string Default = "Default";
    public const string Dark = "Dark";
    public const string Light = "Light";
    public const string Accent = "Accent";
    public const string Good = "Good";
    public const string Warning = "Warning";
    public const string Attention = "Attention";
}

/// <summary><c>spacing</c> of any element (schema <c>Spacing</c>).</summary>
public static class ElementSpacing
{
    public const string Default = "Default";
    public const string None = "None";
    public const string Small = "Small";
    public const string Medium = "Medium";
    public const string Large = "Large";
    public const string ExtraLarge = "ExtraLarge";
    public const string Padding = "Padding";
}

/// <summary><c>Container.style</c> / <c>Column.style</c> (schema <c>ContainerStyle</c>).</summary>
public static class ContainerStyle
{
    public const string Default = "default";
    public const string Emphasis = "emphasis";
    public const string Good = "good";
    public const string Attention = "attention";
    public const string Warning = "warning";
    public const string Accent = "accent";
}

/// <summary><c>Action.*.style</c> (schema <c>ActionStyle</c>; Teams does not draw positive/destructive differently, docs/protocol.md §6).</summary>
public static class ActionStyle
{
    public const string Default = "default";
    public const string Positive = "positive";
    public const string Destructive = "destructive";
}

/// <summary><c>Input.ChoiceSet.style</c> (schema <c>ChoiceInputStyle</c>).</summary>
public static class ChoiceInputStyle
{
    public const string Compact = "compact";
    public const string Expanded = "expanded";
}

/// <summary><c>Column.width</c> keywords (a number or pixel width is also allowed).</summary>
public static class ColumnWidth
{
    public const string Auto = "auto";
    public const string Stretch = "stretch";
}

/// <summary>Colours of Teams' chart data points (docs/protocol.md §6).</summary>
public static class ChartColor
{
    public const string Good = "good";
    public const string Warning = "warning";
    public const string Attention = "attention";
    public const string Neutral = "neutral";
    public const string CategoricalBlue = "categoricalBlue";
    public const string CategoricalPurple = "categoricalPurple";
    public const string CategoricalRed = "categoricalRed";
    public const string CategoricalYellow = "categoricalYellow";
}

/// <summary><c>msteams.width</c> of a card (Teams-only; <c>Full</c> stretches the card to the conversation's width, docs/protocol.md §6).</summary>
public static class TeamsCardWidth
{
    public const string Full = "Full";
}
