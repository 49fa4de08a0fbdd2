using System.Text.Json.Nodes;
using ValueBot.Domain.Policies;

namespace ValueBot.Web.Admin;

/// <summary>
/// A hand-written OpenAPI 3 description of the admin API, served at <c>/openapi/v1.json</c>:
/// Microsoft.AspNetCore.OpenApi does not resolve from the package registry available here.
/// </summary>
internal static class AdminOpenApi
{
    /// <summary>The document served: <see cref="Paths"/> with the schemas of the policy overrides, generated from <see cref="PolicyParameters"/>.</summary>
    public static string Document { get; } = Build();

    private const string Paths = """
        {
          "openapi": "3.0.3",
          "info": { "title": "ValueBot admin API", "version": "v1" },
          "components": {
            "securitySchemes": {
              "entra": { "type": "http", "scheme": "bearer", "bearerFormat": "JWT", "description": "Entra ID token for Admin:Audience with the Admin:Role app role" },
              "localKey": { "type": "apiKey", "in": "header", "name": "X-ValueBot-Admin-Key", "description": "Local mode only" }
            }
          },
          "security": [ { "entra": [] }, { "localKey": [] } ],
          "paths": {
            "/api/admin/use-cases": {
              "get": { "summary": "List use cases (paged)", "parameters": [
                { "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1 } },
                { "name": "pageSize", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 500 } },
                { "name": "includeRetired", "in": "query", "schema": { "type": "boolean" } } ],
                "responses": { "200": { "description": "A page of use cases" }, "400": { "description": "Invalid query" } } },
              "post": { "summary": "Register a use case", "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/UseCaseInput" } } } },
                "responses": { "201": { "description": "Created" }, "400": { "description": "Validation problem naming each field" }, "409": { "description": "Id already used" } } }
            },
            "/api/admin/use-cases/{id}": {
              "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } } ],
              "get": { "summary": "Read a use case", "responses": { "200": { "description": "The use case" }, "404": { "description": "Unknown id" } } },
              "put": { "summary": "Replace a use case (every changed field is audited); send rowVersion to detect conflicts",
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/UseCaseInput" } } } },
                "responses": { "200": { "description": "Updated" }, "400": { "description": "Validation problem" }, "404": { "description": "Unknown id" }, "409": { "description": "Changed since read" } } },
              "delete": { "summary": "Retire a use case (soft)", "responses": { "200": { "description": "Retired" }, "404": { "description": "Unknown id" } } }
            },
            "/api/admin/use-cases/{id}/audit": {
              "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } } ],
              "get": { "summary": "Audit trail: who, when, field, old and new value", "responses": { "200": { "description": "Entries" }, "404": { "description": "Unknown id" } } }
            },
            "/api/admin/use-cases/{id}/evaluation": {
              "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } },
                { "name": "week", "in": "query", "schema": { "type": "string", "example": "2026-W10" } } ],
              "get": { "summary": "Metrics, the three figures over 90 days, leakage, warnings and the recommendation with its rules",
                "responses": { "200": { "description": "Evaluation" }, "404": { "description": "Unknown id" } } }
            },
            "/api/admin/use-cases/{id}/decisions": {
              "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } } ],
              "get": { "summary": "Recorded stage-gate decisions", "responses": { "200": { "description": "Decisions" }, "404": { "description": "Unknown id" } } },
              "post": { "summary": "Record a decision (scale, redesign, hold, stop) with its reason",
                "requestBody": { "required": true, "content": { "application/json": {} } },
                "responses": { "201": { "description": "Recorded with the current recommendation" }, "400": { "description": "Validation problem" }, "404": { "description": "Unknown id" } } }
            },
            "/api/admin/use-cases/import": {
              "post": { "summary": "Import use cases from CSV; all rows or none", "requestBody": { "required": true, "content": { "text/csv": {}, "multipart/form-data": {} } },
                "responses": { "200": { "description": "Created and updated counts" }, "400": { "description": "Line-numbered errors; nothing imported" } } }
            },
            "/api/admin/use-cases/export": { "get": { "summary": "Export the registry as CSV (the import format)", "responses": { "200": { "description": "CSV", "content": { "text/csv": {} } } } } },
            "/api/admin/policy": { "get": { "summary": "The organisation's stop-loss thresholds and rule parameters (Policy:*), which every use case follows where it sets none of its own", "responses": { "200": { "description": "Policy" } } } },
            "/api/admin/answers/export": { "get": { "summary": "Every stored check-in answer as CSV", "responses": { "200": { "description": "CSV", "content": { "text/csv": {} } } } } },
            "/api/admin/metrics/export": { "get": { "summary": "Weekly metrics per use case per answered week as CSV: the three figures, leakage, and beside the reported netValue the risk-adjusted adjustedGrossValue and netValueRiskAdjusted (organisation evidence factors), with minutesSavedSource/Confidence, evidenceFactor, adoptionReview and unconfirmedOutlier", "responses": { "200": { "description": "CSV", "content": { "text/csv": {} } } } } }
          }
        }
        """;

    private static string Build()
    {
        var document = JsonNode.Parse(Paths)!.AsObject();
        var schemas = new JsonObject
        {
            ["StopLoss"] = Overrides("Stop-loss thresholds as fractions; a value left out or null follows the organisation's (Policy:*).",
                PolicyParameters.StopLoss),
            ["Rules"] = Overrides("Rule parameters of the early warnings and the stage gate; a name left out or null follows the organisation's (Policy:*). Other names are a 400.",
                PolicyParameters.Rules),
            ["UseCaseInput"] = new JsonObject
            {
                ["type"] = "object",
                ["description"] = "Create and update body; shares are fractions (0.15 = 15 %), money in currency. Choices are camelCase names.",
                ["required"] = new JsonArray("name", "valueModel", "targetUsers", "currency", "baseline", "plannedRunCostPerMonth"),
                ["properties"] = new JsonObject
                {
                    ["id"] = Type("string", "uuid"),
                    ["name"] = Type("string"),
                    ["description"] = Type("string"),
                    ["valueModel"] = Type("string"),
                    ["stage"] = Type("string"),
                    ["owner"] = Person(),
                    ["delegate"] = Person(),
                    ["sponsor"] = Person(),
                    ["orgUnit"] = Type("string"),
                    ["workflow"] = Type("string"),
                    ["pnlLine"] = Type("string"),
                    ["successCriteria"] = Type("string"),
                    ["launchDate"] = Type("string", "date"),
                    ["targetUsers"] = Type("integer"),
                    ["currency"] = Type("string"),
                    ["baseline"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject
                        {
                            ["minutesPerTask"] = Type("number"), ["tasksPerWeek"] = Type("number"), ["hourlyCost"] = Type("number"),
                            ["reworkRateBeforeAi"] = Type("number"), ["minutesPerException"] = Type("number"),
                        },
                    },
                    ["declaredPilotBenefit"] = Type("number"),
                    ["plannedRunCostPerMonth"] = Type("number"),
                    ["stopLoss"] = new JsonObject { ["$ref"] = "#/components/schemas/StopLoss" },
                    ["rules"] = new JsonObject { ["$ref"] = "#/components/schemas/Rules" },
                    ["checkInSchedule"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject { ["day"] = Type("string"), ["localTime"] = Type("string") },
                    },
                    ["rowVersion"] = new JsonObject { ["type"] = "integer", ["description"] = "On update: the version read; another stored version is a 409." },
                },
            },
        };
        document["components"]!["schemas"] = schemas;
        Previews.PreviewApi.Describe(document["paths"]!.AsObject());
        Operator.DeliveryApi.Describe(document["paths"]!.AsObject());
        Evidence.EvidenceApi.Describe(document["paths"]!.AsObject());
        return document.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonObject Overrides(string description, IEnumerable<PolicyParameter> parameters)
    {
        var properties = new JsonObject();
        foreach (var p in parameters)
        {
            var property = p.Kind switch
            {
                PolicyParameterKind.Share => new JsonObject { ["type"] = "number", ["minimum"] = 0, ["maximum"] = 1 },
                PolicyParameterKind.Factor => new JsonObject { ["type"] = "number", ["minimum"] = 1, ["maximum"] = PolicyParameter.MaxFactor },
                PolicyParameterKind.Discount => new JsonObject { ["type"] = "number", ["exclusiveMinimum"] = 0, ["maximum"] = 1 },
                _ => new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = PolicyParameter.MaxWeeks },
            };
            property["nullable"] = true;
            property["description"] = p.Meaning;
            properties[p.Name] = property;
        }

        return new JsonObject { ["type"] = "object", ["description"] = description, ["properties"] = properties, ["additionalProperties"] = false };
    }

    private static JsonObject Type(string type, string? format = null)
    {
        var schema = new JsonObject { ["type"] = type };
        if (format is not null)
        {
            schema["format"] = format;
        }

        return schema;
    }

    private static JsonObject Person() => new()
    {
        ["type"] = "object",
        ["description"] = "An Entra object id with a display name, or a UPN/email looked up in the directory.",
        ["properties"] = new JsonObject { ["aadObjectId"] = Type("string"), ["displayName"] = Type("string"), ["upn"] = Type("string") },
    };
}
