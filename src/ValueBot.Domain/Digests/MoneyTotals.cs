using ValueBot.Domain.Common;

namespace ValueBot.Domain.Digests;

/// <summary>
/// Sums of amounts per currency: a portfolio may hold use cases in several currencies, and amounts in different
/// currencies are never added up. <see cref="Amounts"/> is ordered by currency code; empty means "no data".
/// </summary>
public sealed class MoneyTotals
{
    private readonly SortedDictionary<string, decimal> _sums = new(StringComparer.Ordinal);

    public void Add(Money? amount)
    {
        if (amount is { } m)
        {
            _sums[m.Currency] = _sums.TryGetValue(m.Currency, out var sum) ? sum + m.Amount : m.Amount;
        }
    }

    public bool IsEmpty => _sums.Count == 0;

    public IReadOnlyList<Money> Amounts => _sums.Select(p => new Money(p.Value, p.Key)).ToList();

    /// <summary>The sum in one currency, or null when nothing in that currency was added.</summary>
    public Money? In(string currency) => _sums.TryGetValue(currency, out var sum) ? new Money(sum, currency) : null;

    /// <summary>"1,200.00 EUR + 300.00 USD", or "–" when empty.</summary>
    public override string ToString() => IsEmpty ? "–" : string.Join(" + ", Amounts.Select(a => a.ToString()));
}
