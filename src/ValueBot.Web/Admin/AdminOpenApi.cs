namespace ValueBot.Web.Admin;

/// <summary>
/// A hand-written OpenAPI 3 description of the admin API, served at <c>/openapi/v1.json</c>:
/// Microsoft.AspNetCore.OpenApi does not resolve from the package registry available here.
/// </summary>
internal static class AdminOpenApi
{
    public const string Document = """
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
              "post": { "summary": "Register a use case", "requestBody": { "required": true, "content": { "application/json": {} } },
                "responses": { "201": { "description": "Created" }, "400": { "description": "Validation problem naming each field" }, "409": { "description": "Id already used" } } }
            },
            "/api/admin/use-cases/{id}": {
              "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } } ],
              "get": { "summary": "Read a use case", "responses": { "200": { "description": "The use case" }, "404": { "description": "Unknown id" } } },
              "put": { "summary": "Replace a use case (every changed field is audited); send rowVersion to detect conflicts",
                "requestBody": { "required": true, "content": { "application/json": {} } },
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
            "/api/admin/answers/export": { "get": { "summary": "Every stored check-in answer as CSV", "responses": { "200": { "description": "CSV", "content": { "text/csv": {} } } } } },
            "/api/admin/metrics/export": { "get": { "summary": "Weekly metrics per use case per answered week as CSV", "responses": { "200": { "description": "CSV", "content": { "text/csv": {} } } } } }
          }
        }
        """;
}
