using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace ValueBot.Domain.Periods;

/// <summary>An ISO 8601 week, the period of one check-in. Formatted as "2026-W47".</summary>
public readonly record struct IsoWeek : IComparable<IsoWeek>, ISpanParsable<IsoWeek>
{
    // Monday 0001-01-01 is day 0, so (days since then) / 7 numbers weeks consecutively.
    private readonly int _index;

    private IsoWeek(int index) => _index = index;

    public static IsoWeek Create(int year, int week)
    {
        if (year is < 1 or > 9998)
        {
            throw new ArgumentOutOfRangeException(nameof(year), year, "Year must be between 1 and 9998.");
        }

        if (week < 1 || week > ISOWeek.GetWeeksInYear(year))
        {
            throw new ArgumentOutOfRangeException(nameof(week), week, $"Year {year} has no ISO week {week}.");
        }

        return FromDate(DateOnly.FromDateTime(ISOWeek.ToDateTime(year, week, DayOfWeek.Monday)));
    }

    public static IsoWeek FromDate(DateOnly date) => new(date.DayNumber / 7);

    public int Year => ISOWeek.GetYear(Start.ToDateTime(TimeOnly.MinValue));

    public int Week => ISOWeek.GetWeekOfYear(Start.ToDateTime(TimeOnly.MinValue));

    /// <summary>The Monday that starts the week.</summary>
    public DateOnly Start => DateOnly.FromDayNumber(_index * 7);

    /// <summary>The Sunday that ends the week.</summary>
    public DateOnly End => DateOnly.FromDayNumber(_index * 7 + 6);

    /// <summary>A number that increases by one per week; differences between weeks are week counts.</summary>
    public int Ordinal => _index;

    public IsoWeek Next() => new(_index + 1);

    public IsoWeek Previous() => new(_index - 1);

    public IsoWeek AddWeeks(int weeks) => new(_index + weeks);

    /// <summary>Number of weeks from <paramref name="earlier"/> to this week (0 when equal).</summary>
    public int WeeksSince(IsoWeek earlier) => _index - earlier._index;

    public DateOnly Day(DayOfWeek day) => DateOnly.FromDayNumber(_index * 7 + ((int)day + 6) % 7);

    public bool Contains(DateOnly date) => date.DayNumber / 7 == _index;

    public int CompareTo(IsoWeek other) => _index.CompareTo(other._index);

    public static bool operator <(IsoWeek left, IsoWeek right) => left._index < right._index;

    public static bool operator >(IsoWeek left, IsoWeek right) => left._index > right._index;

    public static bool operator <=(IsoWeek left, IsoWeek right) => left._index <= right._index;

    public static bool operator >=(IsoWeek left, IsoWeek right) => left._index >= right._index;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-W{Week:D2}");

    public static IsoWeek Parse(string s) => Parse(s.AsSpan(), null);

    public static IsoWeek Parse(string s, IFormatProvider? provider) => Parse(s.AsSpan(), provider);

    public static IsoWeek Parse(ReadOnlySpan<char> s, IFormatProvider? provider) =>
        TryParse(s, provider, out var week)
            ? week
            : throw new FormatException($"'{s.ToString()}' is not an ISO week like 2026-W47.");

    public static bool TryParse([NotNullWhen(true)] string? s, out IsoWeek result) =>
        TryParse(s.AsSpan(), null, out result);

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out IsoWeek result) =>
        TryParse(s.AsSpan(), provider, out result);

    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out IsoWeek result)
    {
        result = default;
        s = s.Trim();
        var dash = s.IndexOf('-');
        if (dash != 4 || s.Length < 7 || (s[5] != 'W' && s[5] != 'w'))
        {
            return false;
        }

        if (!int.TryParse(s[..4], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(s[6..], NumberStyles.None, CultureInfo.InvariantCulture, out var week)
            || s.Length > 8
            || year < 1 || year > 9998
            || week < 1 || week > ISOWeek.GetWeeksInYear(year))
        {
            return false;
        }

        result = Create(year, week);
        return true;
    }
}
