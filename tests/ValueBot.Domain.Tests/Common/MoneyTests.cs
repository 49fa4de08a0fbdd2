using ValueBot.Domain.Common;

namespace ValueBot.Domain.Tests.Common;

public class MoneyTests
{
    [Fact]
    public void AddsAndSubtractsAmountsInTheSameCurrency()
    {
        var total = new Money(10.5m, "EUR") + new Money(4.5m, "EUR") - new Money(5m, "EUR");

        Assert.Equal(new Money(10m, "EUR"), total);
    }

    [Fact]
    public void RefusesToAddMixedCurrencies()
    {
        var ex = Assert.Throws<CurrencyMismatchException>(() => new Money(1m, "EUR") + new Money(1m, "USD"));

        Assert.Equal("EUR", ex.Left);
        Assert.Equal("USD", ex.Right);
    }

    [Fact]
    public void RefusesToSubtractOrCompareMixedCurrencies()
    {
        Assert.Throws<CurrencyMismatchException>(() => new Money(1m, "EUR") - new Money(1m, "GBP"));
        Assert.Throws<CurrencyMismatchException>(() => new Money(1m, "EUR") > new Money(1m, "GBP"));
        Assert.Throws<CurrencyMismatchException>(() => Money.Max(new Money(1m, "EUR"), new Money(1m, "GBP")));
    }

    [Fact]
    public void MultipliesAndDividesByAFactorKeepingTheCurrency()
    {
        Assert.Equal(new Money(30m, "EUR"), new Money(10m, "EUR") * 3m);
        Assert.Equal(new Money(30m, "EUR"), 3m * new Money(10m, "EUR"));
        Assert.Equal(new Money(2.5m, "EUR"), new Money(10m, "EUR") / 4m);
    }

    [Fact]
    public void MaxReturnsTheLargerAmount()
    {
        Assert.Equal(new Money(0m, "EUR"), Money.Max(Money.Zero("EUR"), new Money(-3m, "EUR")));
    }

    [Fact]
    public void FormatsWithTwoDecimalsAndTheCurrencyCode()
    {
        Assert.Equal("1,234.50 EUR", new Money(1234.5m, "EUR").ToString());
    }
}
