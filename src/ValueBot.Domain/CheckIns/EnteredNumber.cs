using System.Globalization;

namespace ValueBot.Domain.CheckIns;

/// <summary>Why a typed number was not read.</summary>
public enum EnteredNumberProblem
{
    None,

    /// <summary>Nothing like a number ("a few").</summary>
    NotANumber,

    /// <summary>
    /// Grouped digits ("1,234.5", "1.234,5", "1 234") or a lone separator before exactly three digits ("1,234"): it
    /// could mean a thousand or a decimal, so it is not guessed.
    /// </summary>
    Ambiguous,
}

/// <summary>
/// Numbers as people type them on the check-in card, read one way everywhere (validation and the card that shows
/// them back). One separator, a comma or a point, marks the decimals: "12,5" and "12.5" are both 12.5. Thousands
/// separators are not read: "1,234.5", "1.234,5" and "1 234" are refused with a message saying how to write the
/// number, and so is a lone separator followed by exactly three digits after 1–3 other digits ("1,234": 1234 in one
/// country, 1.234 in the next). "0,125" and "1,2345" are unambiguous decimals.
/// </summary>
public static class EnteredNumber
{
    /// <summary>What the card says when a number is refused as <see cref="EnteredNumberProblem.Ambiguous"/>.</summary>
    public static string AmbiguousMessage(string label, string text) =>
        $"“{text}” for the {label} could be read two ways: write it without a thousands separator, like 1234 or 1234.5 (a comma or a point marks the decimals).";

    public static bool TryParse(string? text, out decimal value, out EnteredNumberProblem problem)
    {
        value = 0m;
        problem = EnteredNumberProblem.NotANumber;
        var s = text?.Trim();
        if (string.IsNullOrEmpty(s))
        {
            return false;
        }

        var start = s[0] is '-' or '+' ? 1 : 0;
        int digitsBefore = 0, digitsAfter = 0, separators = 0, spaces = 0;
        var separatorAt = -1;
        for (var i = start; i < s.Length; i++)
        {
            var c = s[i];
            if (c is >= '0' and <= '9')
            {
                if (separators == 0)
                {
                    digitsBefore++;
                }
                else
                {
                    digitsAfter++;
                }
            }
            else if (c is ',' or '.')
            {
                separators++;
                separatorAt = i;
                digitsAfter = 0;
            }
            else if (c is ' ' or '\u00A0' or '\u202F' or '\'' or '’' && i > start && i < s.Length - 1)
            {
                spaces++;
            }
            else
            {
                return false;
            }
        }

        if (digitsBefore + digitsAfter == 0 && separators <= 1)
        {
            return false;
        }

        var integerDigits = separators == 0 ? digitsBefore : CountDigits(s, start, separatorAt);
        var integerPart = separators == 0 ? s[start..] : s[start..separatorAt];
        if (separators > 1 || spaces > 0
            || (separators == 1 && digitsAfter == 3 && integerDigits is >= 1 and <= 3 && integerPart.TrimStart('0').Length > 0))
        {
            problem = EnteredNumberProblem.Ambiguous;
            return false;
        }

        var normalised = separators == 1 ? s.Replace(',', '.') : s;
        if (!decimal.TryParse(normalised, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value))
        {
            value = 0m;
            return false;
        }

        problem = EnteredNumberProblem.None;
        return true;
    }

    /// <summary>A number shown back as stored: invariant, no grouping, no trailing zeros (12.5, 1234, 0.125).</summary>
    public static string Format(decimal value) =>
        (value / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    private static int CountDigits(string s, int from, int to)
    {
        var count = 0;
        for (var i = from; i < to; i++)
        {
            if (s[i] is >= '0' and <= '9')
            {
                count++;
            }
        }

        return count;
    }
}
