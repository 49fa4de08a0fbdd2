using System.Text.Json.Serialization;

namespace ValueBot.Teams.Cards;

/// <summary>Base of every card body element; the JSON <c>type</c> names the concrete element.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(TextBlock), "TextBlock")]
[JsonDerivedType(typeof(RichTextBlock), "RichTextBlock")]
[JsonDerivedType(typeof(FactSet), "FactSet")]
[JsonDerivedType(typeof(Container), "Container")]
[JsonDerivedType(typeof(ColumnSet), "ColumnSet")]
[JsonDerivedType(typeof(Image), "Image")]
[JsonDerivedType(typeof(ActionSet), "ActionSet")]
[JsonDerivedType(typeof(TextInput), "Input.Text")]
[JsonDerivedType(typeof(NumberInput), "Input.Number")]
[JsonDerivedType(typeof(ChoiceSetInput), "Input.ChoiceSet")]
[JsonDerivedType(typeof(ToggleInput), "Input.Toggle")]
[JsonDerivedType(typeof(DateInput), "Input.Date")]
[JsonDerivedType(typeof(LineChart), "Chart.Line")]
[JsonDerivedType(typeof(VerticalBarChart), "Chart.VerticalBar")]
[JsonDerivedType(typeof(DonutChart), "Chart.Donut")]
public abstract class CardElement
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("spacing")] public string? Spacing { get; set; }
    [JsonPropertyName("separator")] public bool? Separator { get; set; }
    [JsonPropertyName("isVisible")] public bool? IsVisible { get; set; }
}

/// <summary>A block of (markdown subset) text.</summary>
public sealed class TextBlock : CardElement
{
    public TextBlock() { }

    public TextBlock(string text) => Text = text;

    [JsonPropertyName("text")] public string? Text { get; set; }
    [JsonPropertyName("wrap")] public bool? Wrap { get; set; } = true;
    [JsonPropertyName("size")] public string? Size { get; set; }
    [JsonPropertyName("weight")] public string? Weight { get; set; }
    [JsonPropertyName("color")] public string? Color { get; set; }
    [JsonPropertyName("isSubtle")] public bool? IsSubtle { get; set; }
    [JsonPropertyName("style")] public string? Style { get; set; }
    [JsonPropertyName("maxLines")] public int? MaxLines { get; set; }
    [JsonPropertyName("horizontalAlignment")] public string? HorizontalAlignment { get; set; }
}

/// <summary>A paragraph of separately styled text runs.</summary>
public sealed class RichTextBlock : CardElement
{
    [JsonPropertyName("inlines")] public List<TextRun> Inlines { get; set; } = [];
}

/// <summary>One run of a <see cref="RichTextBlock"/>.</summary>
public sealed class TextRun
{
    public TextRun() { }

    public TextRun(string text) => Text = text;

    [JsonPropertyName("type")] public string Type => "TextRun";
    [JsonPropertyName("text")] public string? Text { get; set; }
    [JsonPropertyName("weight")] public string? Weight { get; set; }
    [JsonPropertyName("italic")] public bool? Italic { get; set; }
    [JsonPropertyName("color")] public string? Color { get; set; }
    [JsonPropertyName("isSubtle")] public bool? IsSubtle { get; set; }
}

/// <summary>Label/value pairs.</summary>
public sealed class FactSet : CardElement
{
    [JsonPropertyName("facts")] public List<Fact> Facts { get; set; } = [];
}

/// <summary>One label/value pair of a <see cref="FactSet"/>.</summary>
public sealed class Fact
{
    public Fact() { }

    public Fact(string title, string value)
    {
        Title = title;
        Value = value;
    }

    [JsonPropertyName("title")] public string? Title { get; set; }
    [JsonPropertyName("value")] public string? Value { get; set; }
}

/// <summary>A group of elements.</summary>
public sealed class Container : CardElement
{
    [JsonPropertyName("items")] public List<CardElement> Items { get; set; } = [];
    [JsonPropertyName("style")] public string? Style { get; set; }
    [JsonPropertyName("selectAction")] public CardAction? SelectAction { get; set; }
}

/// <summary>Columns side by side.</summary>
public sealed class ColumnSet : CardElement
{
    [JsonPropertyName("columns")] public List<Column> Columns { get; set; } = [];
}

/// <summary>One column of a <see cref="ColumnSet"/>.</summary>
public sealed class Column
{
    [JsonPropertyName("type")] public string Type => "Column";
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("items")] public List<CardElement> Items { get; set; } = [];

    /// <summary><c>auto</c>, <c>stretch</c>, a weight such as <c>2</c> or pixels such as <c>50px</c>.</summary>
    [JsonPropertyName("width")] public string? Width { get; set; }
    [JsonPropertyName("verticalContentAlignment")] public string? VerticalContentAlignment { get; set; }
}

/// <summary>An image (PNG, JPEG or GIF; at most 1024×1024 in Teams).</summary>
public sealed class Image : CardElement
{
    [JsonPropertyName("url")] public string? Url { get; set; }
    [JsonPropertyName("altText")] public string? AltText { get; set; }
    [JsonPropertyName("size")] public string? Size { get; set; }
    [JsonPropertyName("style")] public string? Style { get; set; }
}

/// <summary>Actions placed inside the body (needed for an Action.Execute with a fallback).</summary>
public sealed class ActionSet : CardElement
{
    [JsonPropertyName("actions")] public List<CardAction> Actions { get; set; } = [];
}

/// <summary>Members shared by every input. Re-validate inputs on the server: clients may not enforce these.</summary>
public abstract class CardInput : CardElement
{
    [JsonPropertyName("label")] public string? Label { get; set; }
    [JsonPropertyName("isRequired")] public bool? IsRequired { get; set; }
    [JsonPropertyName("errorMessage")] public string? ErrorMessage { get; set; }
}

/// <summary>A text field.</summary>
public sealed class TextInput : CardInput
{
    [JsonPropertyName("placeholder")] public string? Placeholder { get; set; }
    [JsonPropertyName("value")] public string? Value { get; set; }
    [JsonPropertyName("isMultiline")] public bool? IsMultiline { get; set; }
    [JsonPropertyName("maxLength")] public int? MaxLength { get; set; }
    [JsonPropertyName("regex")] public string? Regex { get; set; }
    [JsonPropertyName("style")] public string? Style { get; set; }
}

/// <summary>A number field; min and max are hints only.</summary>
public sealed class NumberInput : CardInput
{
    [JsonPropertyName("placeholder")] public string? Placeholder { get; set; }
    [JsonPropertyName("value")] public decimal? Value { get; set; }
    [JsonPropertyName("min")] public decimal? Min { get; set; }
    [JsonPropertyName("max")] public decimal? Max { get; set; }
}

/// <summary>A drop-down or radio/check list.</summary>
public sealed class ChoiceSetInput : CardInput
{
    [JsonPropertyName("choices")] public List<Choice> Choices { get; set; } = [];
    [JsonPropertyName("isMultiSelect")] public bool? IsMultiSelect { get; set; }

    /// <summary><c>compact</c>, <c>expanded</c> or <c>filtered</c>.</summary>
    [JsonPropertyName("style")] public string? Style { get; set; }

    /// <summary>The selected value; comma-separated when multi-select.</summary>
    [JsonPropertyName("value")] public string? Value { get; set; }
    [JsonPropertyName("placeholder")] public string? Placeholder { get; set; }
    [JsonPropertyName("wrap")] public bool? Wrap { get; set; }
}

/// <summary>One choice of a <see cref="ChoiceSetInput"/>.</summary>
public sealed class Choice
{
    public Choice() { }

    public Choice(string title, string value)
    {
        Title = title;
        Value = value;
    }

    [JsonPropertyName("title")] public string? Title { get; set; }
    [JsonPropertyName("value")] public string? Value { get; set; }
}

/// <summary>A check box.</summary>
public sealed class ToggleInput : CardInput
{
    [JsonPropertyName("title")] public string Title { get; set; } = "";
    [JsonPropertyName("value")] public string? Value { get; set; }
    [JsonPropertyName("valueOn")] public string? ValueOn { get; set; }
    [JsonPropertyName("valueOff")] public string? ValueOff { get; set; }

    /// <summary>Lets a long title wrap instead of being cut with "…" (Adaptive Cards 1.2).</summary>
    [JsonPropertyName("wrap")] public bool? Wrap { get; set; }
}

/// <summary>A date picker; values are <c>yyyy-MM-dd</c>.</summary>
public sealed class DateInput : CardInput
{
    [JsonPropertyName("value")] public string? Value { get; set; }
    [JsonPropertyName("min")] public string? Min { get; set; }
    [JsonPropertyName("max")] public string? Max { get; set; }
    [JsonPropertyName("placeholder")] public string? Placeholder { get; set; }
}
