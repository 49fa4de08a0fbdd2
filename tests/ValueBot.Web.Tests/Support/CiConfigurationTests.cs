namespace ValueBot.Web.Tests.Support;

public sealed class CiConfigurationTests
{
    [Fact]
    public void PostgresServerIsConfiguredWhenRunningInCi()
    {
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.False(TestDatabase.PostgresServer is null, $"CI must set {TestDatabase.PostgresVariable} so the PostgreSQL tests run.");
        }
    }
}
