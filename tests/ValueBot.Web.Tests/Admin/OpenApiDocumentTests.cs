using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ValueBot.Web.Tests.Support;
using static ValueBot.Web.Tests.Admin.AdminClient;

namespace ValueBot.Web.Tests.Admin;

/// <summary>The OpenAPI document generated from the admin endpoints (Microsoft.AspNetCore.OpenApi), as an admin reads it.</summary>
public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task OnlyAdminsReadTheDocument()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(host, HttpMethod.Get, "/openapi/v1.json", token: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(host, HttpMethod.Get, "/openapi/v1.json", token: Token(host, role: null))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(host, HttpMethod.Get, "/openapi/v1.json")).StatusCode);
    }

    [Fact]
    public async Task DescribesEveryAdminEndpointAndNothingElse()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);
        var document = await DocumentAsync(host);

        var mapped = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/admin", StringComparison.Ordinal) == true)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods
                .Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .Order(StringComparer.Ordinal).ToList();
        var described = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Where(o => o.Key != "parameters").Select(o => $"{o.Key.ToUpperInvariant()} {p.Key}"))
            .Order(StringComparer.Ordinal).ToList();

        Assert.True(mapped.Count >= 20, $"only {mapped.Count} admin endpoints found");
        Assert.Equal(mapped, described);
        Assert.StartsWith("3.", document["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryOperationNamesItsAuthenticationAndItsRefusals()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);
        var document = await DocumentAsync(host);

        var schemes = document["components"]!["securitySchemes"]!;
        Assert.Equal("bearer", schemes["entra"]!["scheme"]!.GetValue<string>());
        Assert.Equal("header", schemes["localKey"]!["in"]!.GetValue<string>());
        Assert.Equal("X-ValueBot-Admin-Key", schemes["localKey"]!["name"]!.GetValue<string>());

        var operations = Operations(document).ToList();
        Assert.All(operations, o =>
        {
            var security = o.Operation["security"]!.AsArray().Select(r => r!.AsObject().Single().Key).ToList();
            Assert.Equal(["entra", "localKey"], security);
            Assert.NotNull(o.Operation["responses"]!["401"]);
            Assert.NotNull(o.Operation["responses"]!["403"]);
            Assert.False(string.IsNullOrWhiteSpace(o.Operation["operationId"]?.GetValue<string>()), o.Name);
            Assert.False(string.IsNullOrWhiteSpace(o.Operation["summary"]?.GetValue<string>()), o.Name);
        });
        Assert.Equal(operations.Count, operations.Select(o => o.Operation["operationId"]!.GetValue<string>()).Distinct().Count());
    }

    [Fact]
    public async Task RefusalsAreDescribedAsProblemDetails()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);
        var document = await DocumentAsync(host);
        var read = document["paths"]!["/api/admin/use-cases/{id}"]!["get"]!["responses"]!;

        Assert.Equal("#/components/schemas/UseCaseView", SchemaRef(read["200"]!, "application/json"));
        Assert.Equal("#/components/schemas/HttpValidationProblemDetails", SchemaRef(read["400"]!, "application/problem+json"));
        Assert.Equal("#/components/schemas/ProblemDetails", SchemaRef(read["404"]!, "application/json"));
        var import = document["paths"]!["/api/admin/use-cases/import"]!["post"]!;
        Assert.Equal("#/components/schemas/ProblemDetails", SchemaRef(import["responses"]!["413"]!, "application/problem+json"));
        Assert.NotNull(import["requestBody"]!["content"]!["text/csv"]);
        var sendAgain = document["paths"]!["/api/admin/delivery/send-again"]!["post"]!["responses"]!;
        Assert.Equal("#/components/schemas/ProblemDetails", SchemaRef(sendAgain["409"]!, "application/json"));
        Assert.Equal("#/components/schemas/SendAgainView", SchemaRef(sendAgain["202"]!, "application/json"));
        Assert.NotNull(document["components"]!["schemas"]!["ProblemDetails"]!["properties"]!["detail"]);
    }

    [Fact]
    public async Task TheUseCaseBodyCarriesThePolicyRangesOfTheDomain()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);
        var document = await DocumentAsync(host);
        var schemas = document["components"]!["schemas"]!;

        var body = SchemaRef(document["paths"]!["/api/admin/use-cases/{id}"]!["put"]!["requestBody"]!, "application/json");
        Assert.Equal("#/components/schemas/UseCaseInput", body);
        Assert.Equal(body, SchemaRef(document["paths"]!["/api/admin/use-cases"]!["post"]!["requestBody"]!, "application/json"));
        var input = schemas["UseCaseInput"]!["properties"]!;
        Assert.Equal("#/components/schemas/Rules", input["rules"]!["$ref"]!.GetValue<string>());
        var rules = schemas["Rules"]!["properties"]!.AsObject();
        Assert.Equal(ValueBot.Domain.Policies.PolicyParameters.Rules.Select(p => p.Name), rules.Select(p => p.Key));
        Assert.Equal(1, rules["costDriftFactor"]!["minimum"]!.GetValue<int>());
        Assert.Contains("integer", rules["staleWindow"]!["type"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.False(schemas["Rules"]!["additionalProperties"]!.GetValue<bool>());

        var stopLossRef = input["stopLoss"]!["oneOf"]!.AsArray().Select(s => s!["$ref"]?.GetValue<string>()).Single(r => r is not null);
        var stopLoss = schemas[stopLossRef!.Split('/')[^1]]!["properties"]!.AsObject();
        Assert.Equal(ValueBot.Domain.Policies.PolicyParameters.StopLoss.Select(p => p.Name), stopLoss.Select(p => p.Key));
        Assert.Equal(1, stopLoss["minAdoption"]!["maximum"]!.GetValue<int>());
    }

    private static async Task<JsonNode> DocumentAsync(ValueBotTestHost host)
    {
        var served = await SendAsync(host, HttpMethod.Get, "/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        return JsonNode.Parse(await served.Content.ReadAsStringAsync())!;
    }

    private static IEnumerable<(string Name, JsonNode Operation)> Operations(JsonNode document) =>
        document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()
            .Where(o => o.Key != "parameters")
            .Select(o => ($"{o.Key} {p.Key}", o.Value!)));

    private static string? SchemaRef(JsonNode responseOrBody, string contentType) =>
        responseOrBody["content"]?[contentType]?["schema"]?["$ref"]?.GetValue<string>();
}
