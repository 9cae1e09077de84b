using System.Net;
using System.Text.Json.Nodes;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests;

public sealed class when_a_field_holds_a_value_of_the_wrong_type(AppFixture app) : IntegrationContext(app)
{
    [Fact]
    public async Task the_answer_names_that_field_in_errors()
    {
        var accountId = await OpenAccountAsync();

        var response = await PostRawAsync($"/api/accounts/{accountId}/commitments", """{"driver":"cost","target":"abc"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await ReadAsync(response))["errors"]!.AsObject();
        Assert.Equal(["target"], errors.Select(e => e.Key));
        Assert.Equal("'target' must be a number.", errors["target"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task a_nested_field_is_named_by_its_path()
    {
        var accountId = await OpenAccountAsync();

        var response = await PostRawAsync($"/api/accounts/{accountId}/commitments", """{"baseline":{"value":true}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["baseline.value"], (await ReadAsync(response))["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task an_unknown_enum_value_lists_the_values_the_field_takes()
    {
        var accountId = await OpenAccountAsync();

        var response = await PostRawAsync($"/api/accounts/{accountId}/prioritisation", """{"abilityToPay":"huge","willingnessToPay":"low"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await ReadAsync(response))["errors"]!.AsObject();
        Assert.Equal("'abilityToPay' must be one of: low, medium, high.", errors["abilityToPay"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task a_body_that_is_not_json_is_named_as_the_body()
    {
        var accountId = await OpenAccountAsync();

        var response = await PostRawAsync($"/api/accounts/{accountId}/prioritisation", """{"abilityToPay": """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["body"], (await ReadAsync(response))["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task a_refused_type_writes_nothing()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();

        var response = await PostRawAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/measurements",
            """{"periodStart":"2026-01-01","periodEnd":"2026-01-31","value":"ninety","source":"manual"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["value"], (await ReadAsync(response))["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(2, (long)(await GetJsonAsync($"/api/accounts/{accountId}"))["version"]!);
    }
}

/// <summary>
/// Walks every JSON write route of the OpenAPI document and sends, for each scalar field of its request body, a value of
/// the wrong type: each answer must be a 400 whose errors name exactly that field (never a 500, never a bare message).
/// </summary>
public sealed partial class when_any_route_gets_a_wrong_type(AppFixture app) : IntegrationContext(app)
{
    private static readonly string[] WriteMethods = ["post", "put", "patch"];

    [Fact]
    public async Task every_scalar_field_of_every_json_body_is_named()
    {
        var openApiResponse = await App.ClientFor(Roles.Admin).GetAsync("/openapi/v1.json");
        var openApiText = await openApiResponse.Content.ReadAsStringAsync();
        Assert.True(openApiResponse.IsSuccessStatusCode, $"/openapi/v1.json answered {(int)openApiResponse.StatusCode}: {openApiText}");
        var openApi = JsonNode.Parse(openApiText)!;
        var admin = App.ClientFor(Roles.Admin, "field.errors");
        // Sign-off routes admit only an approver contact of the account (staff get 403 before the body is read).
        var accountId = Guid.NewGuid();
        var approver = App.ClientFor(Roles.Customer, "approver@customer.example", accountId);
        var checkedFields = 0;
        var failures = new List<string>();

        foreach (var (method, template, schema) in JsonWriteRoutes(openApi))
        {
            var url = RouteParameter().Replace(template, m => m.Value == "{accountId}" ? accountId.ToString() : Guid.NewGuid().ToString());
            foreach (var (field, wrongValue) in ScalarFields(schema, openApi))
            {
                HttpRequestMessage Request() => new(new HttpMethod(method), url)
                {
                    Content = new StringContent(new JsonObject { [field] = wrongValue.DeepClone() }.ToJsonString(), System.Text.Encoding.UTF8, "application/json")
                };
                var response = await admin.SendAsync(Request());
                if (response.StatusCode == HttpStatusCode.Forbidden)
                {
                    response.Dispose();
                    response = await approver.SendAsync(Request());
                }
                using var answered = response;
                checkedFields++;
                var keys = response.StatusCode == HttpStatusCode.BadRequest
                    ? ((await ReadAsync(response))["errors"]?.AsObject().Select(e => e.Key).ToList() ?? [])
                    : [];
                if (!keys.Contains(field)) failures.Add($"{method.ToUpperInvariant()} {template} {field}: {(int)response.StatusCode} [{string.Join(", ", keys)}]");
            }
        }

        Assert.True(checkedFields > 20, $"only {checkedFields} fields were found in the OpenAPI document");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static IEnumerable<(string Method, string Template, JsonNode Schema)> JsonWriteRoutes(JsonNode openApi) =>
        from path in openApi["paths"]!.AsObject()
        from operation in path.Value!.AsObject()
        where WriteMethods.Contains(operation.Key)
        let schema = operation.Value!["requestBody"]?["content"]?["application/json"]?["schema"]
        where schema is not null
        select (operation.Key, path.Key, (JsonNode)schema);

    /// <summary>Top-level fields whose type is a number, a boolean or a string, each with a value it cannot take.</summary>
    private static IEnumerable<(string Field, JsonNode WrongValue)> ScalarFields(JsonNode schema, JsonNode openApi)
    {
        var resolved = Resolve(schema, openApi);
        foreach (var (name, property) in resolved?["properties"]?.AsObject() ?? [])
        {
            var field = Resolve(property!, openApi);
            var type = field?["type"] switch
            {
                JsonArray types => types.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null"),
                JsonValue t => t.GetValue<string>(),
                _ => null
            };
                        JsonNode? wrong = type switch
            {
                "integer" or "number" => "not a number",
                "boolean" => "not a boolean",
                "string" => 12,
                _ => null
            };
            if (wrong is not null) yield return (name, wrong);
        }
    }

    private static JsonNode? Resolve(JsonNode schema, JsonNode openApi)
    {
        for (var depth = 0; depth < 6 && schema["$ref"]?.GetValue<string>() is { } reference; depth++)
        {
            var target = reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Aggregate((JsonNode?)openApi, (node, segment) => node?[segment]);
            if (target is null) return null;
            schema = target;
        }
        return schema["oneOf"] is JsonArray options ? options.Select(o => Resolve(o!, openApi)).FirstOrDefault(o => o?["properties"] is not null) : schema;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\{[^}]+\}")]
    private static partial System.Text.RegularExpressions.Regex RouteParameter();
}
