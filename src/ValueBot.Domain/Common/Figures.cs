using System.Globalization;

namespace ValueBot.Domain.Common;

/// <summary>Formats figures for reasons and messages; percentages are stored as fractions.</summary>
public static class Figures
{
    public static string Percent(decimal fraction) =>
        (fraction * 100m).ToString("0.#", CultureInfo.InvariantCulture) + " %";

    public static string Percent(decimal? fraction) => fraction is { } f ? Percent(f) : "–";

    public static string Points(decimal fraction) =>
        (fraction * 100m).ToString("0.#", CultureInfo.InvariantCulture);

    public static string Number(decimal value) => value.ToString("#,0.##", CultureInfo.InvariantCulture);

    public static string Money(Money? value) => value is { } m ? m.ToString() : "–";
}
