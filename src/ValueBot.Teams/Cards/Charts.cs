using System.Text.Json.Serialization;

namespace ValueBot.Teams.Cards;

/// <summary>
/// Base of Teams' chart elements (<c>Chart.*</c>, docs/protocol.md §6). They are a Teams extension, not part of the
/// published Adaptive Card 1.5 schema, so every chart carries a <see cref="Fallback"/> element that clients without
/// charts show instead; it should say the same in words or facts.
/// </summary>
public abstract class ChartElement : CardElement
{
    [JsonPropertyName("title")] public string? Title { get; set; }

    /// <summary>The element shown where charts are not supported (for example a FactSet of the same numbers).</summary>
    [JsonPropertyName("fallback")] public CardElement? Fallback { get; set; }

    [JsonPropertyName("colorSet")] public string? ColorSet { get; set; }
}

/// <summary><c>Chart.Line</c>: one or more series of (x, y) points.</summary>
public sealed class LineChart : ChartElement
{
    [JsonPropertyName("data")] public List<LineChartSeries> Data { get; set; } = [];

    [JsonPropertyName("xAxisTitle")] public string? XAxisTitle { get; set; }

    [JsonPropertyName("yAxisTitle")] public string? YAxisTitle { get; set; }
}

/// <summary>One series of a <see cref="LineChart"/>.</summary>
public sealed class LineChartSeries
{
    [JsonPropertyName("legend")] public string? Legend { get; set; }

    [JsonPropertyName("color")] public string? Color { get; set; }

    [JsonPropertyName("values")] public List<ChartPoint> Values { get; set; } = [];
}

/// <summary><c>Chart.VerticalBar</c>: one bar per point.</summary>
public sealed class VerticalBarChart : ChartElement
{
    [JsonPropertyName("data")] public List<ChartPoint> Data { get; set; } = [];

    [JsonPropertyName("xAxisTitle")] public string? XAxisTitle { get; set; }

    [JsonPropertyName("yAxisTitle")] public string? YAxisTitle { get; set; }
}

/// <summary><c>Chart.Donut</c>: shares of a whole.</summary>
public sealed class DonutChart : ChartElement
{
    [JsonPropertyName("data")] public List<ChartSlice> Data { get; set; } = [];
}

/// <summary>A point of a line or bar chart; <see cref="Color"/> is a Teams chart colour such as <c>good</c> or <c>attention</c>.</summary>
public sealed class ChartPoint
{
    public ChartPoint() { }

    public ChartPoint(string x, decimal y, string? color = null)
    {
        X = x;
        Y = y;
        Color = color;
    }

    [JsonPropertyName("x")] public string? X { get; set; }

    [JsonPropertyName("y")] public decimal Y { get; set; }

    [JsonPropertyName("color")] public string? Color { get; set; }
}

/// <summary>A slice of a <see cref="DonutChart"/>.</summary>
public sealed class ChartSlice
{
    public ChartSlice() { }

    public ChartSlice(string legend, decimal value, string? color = null)
    {
        Legend = legend;
        Value = value;
        Color = color;
    }

    [JsonPropertyName("legend")] public string? Legend { get; set; }

    [JsonPropertyName("value")] public decimal Value { get; set; }

    [JsonPropertyName("color")] public string? Color { get; set; }
}
