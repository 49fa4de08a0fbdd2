using System.Globalization;

namespace ValueBot.Domain.Common;

/// <summary>An amount in one currency. Arithmetic across currencies is refused rather than guessed.</summary>
public readonly record struct Money(decimal Amount, string Currency) : IComparable<Money>
{
    public static Money Zero(string currency) => new(0m, currency);

    public bool IsZero => Amount == 0m;

    public bool IsNegative => Amount < 0m;

    /// <summary>Rounded to cents, half away from zero (DOMAIN.md "Rounding: figures that add up").</summary>
    public Money RoundedToCents() => new(Math.Round(Amount, 2, MidpointRounding.AwayFromZero), Currency);

    public static Money operator +(Money left, Money right)
    {
        EnsureSameCurrency(left, right);
        return new Money(left.Amount + right.Amount, left.Currency);
    }

    public static Money operator -(Money left, Money right)
    {
        EnsureSameCurrency(left, right);
        return new Money(left.Amount - right.Amount, left.Currency);
    }

    public static Money operator -(Money value) => new(-value.Amount, value.Currency);

    public static Money operator *(Money value, decimal factor) => new(value.Amount * factor, value.Currency);

    public static Money operator *(decimal factor, Money value) => new(value.Amount * factor, value.Currency);

    public static Money operator /(Money value, decimal divisor) => new(value.Amount / divisor, value.Currency);

    public static bool operator >(Money left, Money right) => left.CompareTo(right) > 0;

    public static bool operator <(Money left, Money right) => left.CompareTo(right) < 0;

    public static bool operator >=(Money left, Money right) => left.CompareTo(right) >= 0;

    public static bool operator <=(Money left, Money right) => left.CompareTo(right) <= 0;

    public static Money Max(Money left, Money right) => left >= right ? left : right;

    public int CompareTo(Money other)
    {
        EnsureSameCurrency(this, other);
        return Amount.CompareTo(other.Amount);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Amount:#,0.00} {Currency}");

    private static void EnsureSameCurrency(Money left, Money right)
    {
        if (!string.Equals(left.Currency, right.Currency, StringComparison.Ordinal))
        {
            throw new CurrencyMismatchException(left.Currency, right.Currency);
        }
    }
}

public sealed class CurrencyMismatchException(string? left, string? right)
    : InvalidOperationException($"Cannot combine amounts in {left ?? "(none)"} and {right ?? "(none)"}.")
{
    public string? Left { get; } = left;

    public string? Right { get; } = right;
}
