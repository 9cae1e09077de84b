using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ValueLedger.Harness;

namespace ValueLedger.Reliability;

/// <summary>
/// Every write route the app's OpenAPI document lists, sent malformed JSON, wrong types, huge and non-finite numbers,
/// long strings, impossible dates, unknown enum values, wrong content types, 10 MB bodies, bad headers and bad ids.
/// No answer may be a 5xx, every refusal must be ProblemDetails, and a refused request must not write an event
/// (the events table is compared before and after each request; requests go one at a time).
/// </summary>
public sealed partial class Fuzz(Suite suite)
{
    private const string Leaf = "__FUZZ_LEAF__";
    private static readonly string[] WriteMethods = ["post", "put", "patch", "delete"];

    private static readonly HashSet<string> EnumValues =
    [
        "productCentric", "processCentric", "outcomeCentric", "cost", "revenue", "capital", "higherIsBetter", "lowerIsBetter",
        "monthly", "quarterly", "yearly", "seller", "customer", "joint", "low", "medium", "high", "manual", "import", "system",
        "csm", "executive", "auditor", "admin", "sharedSavings", "banded"
    ];

    private sealed record Case(string Route, string Category, string Description, Func<HttpRequestMessage> Build, bool Big = false);

    private bool Short => suite.Options.Short;

    public async Task<ScenarioResult> RunAsync()
    {
        var result = new ScenarioResult("fuzz every write route",
            "every POST/PUT/PATCH/DELETE route of /openapi/v1.json with malformed JSON, wrong types, huge and non-finite numbers, long strings, " +
            "impossible dates, unknown enum values, wrong content types, 10 MB bodies (with and without Content-Length), bad If-Match / " +
            "Idempotency-Key headers and bad ids; one request at a time, the events table checked around each");
        var target = (await WriteLoad.OpenAsync(suite, 1, "Fuzz"))[0];
        var measurement = (await suite.Api.CreatedAsync($"/api/accounts/{target.Account}/commitments/{target.Commitment}/measurements",
            Bodies.Measurement(Bodies.Day(0), 90)))["id"]!.GetValue<Guid>();
        var ids = new Dictionary<string, string>
        {
            ["accountId"] = target.Account.ToString(), ["commitmentId"] = target.Commitment.ToString(), ["measurementId"] = measurement.ToString()
        };

        var openApi = JsonNode.Parse(await suite.Api.Http.GetStringAsync("/openapi/v1.json"))!;
        var routes = openApi["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Where(m => WriteMethods.Contains(m.Key)).Select(m => (Method: m.Key.ToUpperInvariant(), Template: p.Key, Operation: m.Value!)))
            // A withdrawal that happens to be accepted would end the commitment the other routes write to: fuzz it last.
            .OrderBy(r => r.Template.EndsWith("/withdrawal", StringComparison.Ordinal)).ThenBy(r => r.Template)
            .ToList();
        var cases = routes.SelectMany(r => CasesFor(r.Method, r.Template, Url(r.Template, ids), Sample(r.Template, r.Operation, openApi, target))).ToList();
        Suite.Log($"fuzz: {cases.Count:N0} requests over {routes.Count} write routes");

        var token = suite.Tokens.For(ValueLedger.Api.Infrastructure.Roles.Csm, "reliability.csm");
        var statuses = new SortedDictionary<int, int>();
        var accepted = new List<string>();
        var closed = 0;
        foreach (var c in cases)
        {
            var before = await suite.Ledger.HighestSequenceAsync();
            int status;
            string body, mediaType;
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                using var request = c.Build();
                if (c.Big)
                {
                    // Over a plain socket: the server may answer 413 and close while the body is still being sent.
                    var answer = await RawHttp.SendAsync(suite.App!.BaseUrl, request.Method.Method, request.RequestUri!.ToString(), token,
                        request.Content!.Headers.ContentType!.ToString(), await request.Content.ReadAsByteArrayAsync(timeout.Token),
                        chunked: request.Content.Headers.ContentLength is null || c.Description.StartsWith("chunked"), timeout.Token);
                    (status, body, mediaType) = (answer.Status, answer.Body, answer.ContentType);
                    if (status == 0)
                    {
                        Interlocked.Increment(ref result.RequestsSent);
                        closed++;
                        result.Fail($"{c.Route} [{c.Category}: {c.Description}]: the connection closed without an answer");
                        continue;
                    }
                }
                else
                {
                    using var response = await suite.Api.Http.SendAsync(request, timeout.Token);
                    status = (int)response.StatusCode;
                    body = await response.Content.ReadAsStringAsync(timeout.Token);
                    mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
            {
                Interlocked.Increment(ref result.RequestsSent);
                result.Fail($"{c.Route} [{c.Category}: {c.Description}]: no answer ({e.GetType().Name}: {e.Message})");
                continue;
            }
            Interlocked.Increment(ref result.RequestsSent);
            statuses[status] = statuses.GetValueOrDefault(status) + 1;

            var written = await suite.Ledger.ScalarAsync(
                "select count(*) from valueledger.mt_events where seq_id > $1 and type <> 'measurements_went_stale'", before);
            var what = $"{c.Route} [{c.Category}: {c.Description}]";
            if (status >= 500) result.Fail($"{what} answered {status}: {Cut(body)}");
            else if (status >= 400 && mediaType != "application/problem+json") result.Fail($"{what} answered {status} without ProblemDetails ({mediaType}): {Cut(body)}");
            if (status is < 200 or >= 300 && written > 0) result.Fail($"{what} was refused with {status} but wrote {written} event(s)");
            if (status is >= 200 and < 300 && c.Category != "valid") accepted.Add($"{what} → {status}");
        }

        // Whatever was accepted must leave every account and commitment readable (a value stored but too large for
        // the formulas would break every later read and push).
        var reads = 0;
        foreach (var account in await suite.Ledger.AccountIdsAsync())
        {
            foreach (var url in new[] { $"/api/accounts/{account}", $"/api/accounts/{account}?version=1" })
            {
                using var response = await suite.Api.Http.GetAsync(url);
                reads++;
                if ((int)response.StatusCode >= 500) result.Fail($"after the fuzz run GET {url} answers {(int)response.StatusCode}");
            }
        }
        var view = await suite.Api.GetJsonAsync($"/api/accounts/{target.Account}");
        foreach (var commitment in view?["commitments"]?.AsArray() ?? [])
        {
            var url = $"/api/accounts/{target.Account}/commitments/{commitment!["id"]}";
            using var response = await suite.Api.Http.GetAsync(url);
            reads++;
            if ((int)response.StatusCode >= 500) result.Fail($"after the fuzz run GET {url} answers {(int)response.StatusCode}");
        }
        result.RequestsSent += reads;
        result.Observe($"Afterwards {reads} reads of every account (live and replayed) and of the fuzzed account's commitments: none answered 5xx unless listed below.");

        result.Observe($"{cases.Count:N0} requests over {routes.Count} routes ({string.Join(", ", routes.Select(r => $"{r.Method} {r.Template}"))}).");
        result.Observe($"Answers: {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}" +
                       (closed > 0 ? $"; {closed} oversized uploads got no answer at all." : "; every 10 MB upload was answered (over a plain socket, reading while sending)."));
        result.Observe(accepted.Count == 0
            ? "No mutated request was accepted."
            : $"{accepted.Count} mutated requests were accepted (2xx, events allowed) — they are valid after all: " +
              string.Join("; ", accepted.Take(Short ? 8 : 40)) + (accepted.Count > (Short ? 8 : 40) ? "; …" : ""));
        return result;
    }

    // ------------------------------------------------------------------ the cases of one route

    private IEnumerable<Case> CasesFor(string method, string template, string url, JsonNode sample)
    {
        var route = $"{method} {template}";
        var json = sample.ToJsonString();
        Case Raw(string category, string description, string text, string? contentType = "application/json", bool big = false) =>
            new(route, category, description, () => Request(method, url, new StringContent(text, Encoding.UTF8), contentType), big);
        Case Bytes(string category, string description, byte[] bytes, string? contentType) =>
            new(route, category, description, () => Request(method, url, new ByteArrayContent(bytes), contentType));

        yield return Raw("valid", "the valid sample", json);

        // Malformed JSON and bodies of the wrong shape.
        foreach (var (name, text) in new[]
                 {
                     ("truncated", json[..(json.Length / 2)]), ("unterminated object", "{\"a\":"), ("not JSON", "not json at all"),
                     ("array", "[]"), ("null", "null"), ("string", "\"\""), ("number", "123"), ("empty object", "{}"), ("empty body", ""),
                     ("deep nesting", new string('[', 10_000) + new string(']', 10_000)), ("trailing garbage", json + "}}}"),
                     ("duplicate property", json.Length > 2 ? "{" + json[1..^1] + "," + json[1..^1] + "}" : json),
                     ("comments", "/* c */" + json), ("single quotes", json.Replace('"', '\''))
                 })
            yield return Raw("malformed JSON", name, text);
        yield return Bytes("malformed JSON", "invalid UTF-8", [0xff, 0xfe, 0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d], "application/json");

        // Field by field.
        foreach (var (path, value) in Leaves(sample))
        {
            var field = string.Join('.', path);
            foreach (var (category, token) in MutationsOf(path[^1].ToString()!, value))
                yield return Raw(category, $"{field} = {Describe(token)}", With(sample, path, token));
        }

        // Wrong content types with the valid body.
        var contentTypes = new[] { "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", null, "text/csv", "application/merge-patch+json" };
        foreach (var contentType in Short ? contentTypes.Take(4) : contentTypes)
            yield return Raw("content type", contentType ?? "no Content-Type", json, contentType);
        yield return Bytes("content type", "UTF-16 body declared as such", Encoding.Unicode.GetBytes(json), "application/json; charset=utf-16");

        // 10 MB: declared with Content-Length, and streamed without one (chunked).
        var padded = sample.DeepClone();
        if (padded is JsonObject o) o["padding"] = Leaf;
        var big = (padded is JsonObject ? padded.ToJsonString() : json).Replace($"\"{Leaf}\"", "\"" + new string('x', 10 * 1024 * 1024) + "\"");
        yield return Raw("10 MB body", "with Content-Length", big, big: true);
        if (!Short)
            yield return new Case(route, "10 MB body", "chunked, no Content-Length",
                () => Request(method, url, new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big))), "application/json"), true);

        // Headers.
        yield return new Case(route, "headers", "If-Match: garbage", () => WithHeader(Request(method, url, new StringContent(json, Encoding.UTF8), "application/json"), "If-Match", "garbage"));
        yield return new Case(route, "headers", "If-Match: \"-5\"", () => WithHeader(Request(method, url, new StringContent(json, Encoding.UTF8), "application/json"), "If-Match", "\"-5\""));
        yield return new Case(route, "headers", "Idempotency-Key of 1,000 characters",
            () => WithHeader(Request(method, url, new StringContent(json, Encoding.UTF8), "application/json"), "Idempotency-Key", new string('k', 1000)));

        // Ids in the path.
        foreach (var parameter in RouteParameter().Matches(template).Select(m => m.Groups[1].Value).Distinct())
        foreach (var bad in new[] { "not-a-guid", Guid.NewGuid().ToString(), "00000000-0000-0000-0000-000000000000" })
        {
            var badUrl = RouteParameter().Replace(template, m => m.Groups[1].Value == parameter ? bad : UrlValue(m.Groups[1].Value, url, template));
            yield return new Case(route, "path", $"{parameter} = {bad}", () => Request(method, badUrl, new StringContent(json, Encoding.UTF8), "application/json"));
        }
    }

    private IEnumerable<(string Category, string Token)> MutationsOf(string name, JsonNode? value)
    {
        var kind = KindOf(value);
        IEnumerable<string> wrong = kind switch
        {
            "number" => ["\"abc\"", "true", "[1]", "{}", "null"],
            "boolean" => ["\"yes\"", "1", "null"],
            "object" or "array" => ["\"x\"", "1", kind == "object" ? "[]" : "{}", "null"],
            _ => ["123", "true", "[]", "{}", "null"]
        };
        foreach (var t in Pick(wrong, 3)) yield return ("wrong type", t);

        IEnumerable<string> special = kind switch
        {
            "number" =>
            [
                "1e309", "79228162514264337593543950336", "79228162514264337593543950335", "NaN", "\"Infinity\"", "-1e309", "1e400", "1e-400",
                "-79228162514264337593543950335", "Infinity", "-Infinity", "\"NaN\"", "0.0000000000000000000000000001", "-0", "1E+28",
                "12345678901234567890.123456789"
            ],
            "date" =>
            [
                "\"2026-02-30\"", "\"0001-01-01\"", "\"9999-12-31\"", "\"20260101\"", "\"2026-13-01\"", "\"2026-00-10\"", "\"0000-01-01\"",
                "\"9999-12-32\"", "\"2026-1-1\"", "\"2026-01-01T25:00:00Z\"", "\"-0001-01-01\"", "\"1900-01-01\"", "\"2199-12-31\""
            ],
            "time" =>
            [
                "\"2026-02-30T10:00:00Z\"", "\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59Z\"", "\"yesterday\"", "\"2026-01-01T25:00:00Z\"",
                "\"2026-01-01T10:00:00+25:00\""
            ],
            "enum" => ["\"banana\"", "1", "\"\"", "\"HIGH\"", "\"1\"", "99", "\"" + value!.GetValue<string>().ToLowerInvariant() + "\""],
            "guid" => ["\"not-a-guid\"", "\"00000000-0000-0000-0000-000000000000\"", $"\"{Guid.NewGuid()}\"", "123"],
            "string" =>
            [
                "\"" + new string('x', 100_000) + "\"", "\"\\u0000\"", "\"\\ud800\"", "\"\"", "\"   \"", "\"<script>alert(1)</script>\"",
                "\"'; drop table mt_events; --\""
            ],
            _ => []
        };
        var category = kind switch
        {
            "number" => "huge / non-finite number",
            "date" or "time" => "impossible date",
            "enum" => "unknown enum value",
            "guid" => "bad id",
            "string" => "long / odd string",
            _ => "other"
        };
        foreach (var t in Pick(special, kind == "number" ? 5 : kind == "date" ? 4 : 2)) yield return (category, t);
    }

    private IEnumerable<string> Pick(IEnumerable<string> all, int inShortForm) => Short ? all.Take(inShortForm) : all;

    private static string KindOf(JsonNode? value) => value switch
    {
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => "number",
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() switch
        {
            var s when DateOnly.TryParseExact(s, "yyyy-MM-dd", out _) => "date",
            var s when s.Contains('T') && DateTimeOffset.TryParse(s, out _) => "time",
            var s when Guid.TryParse(s, out _) => "guid",
            var s when EnumValues.Contains(s) => "enum",
            _ => "string"
        },
        _ => "null"
    };

    /// <summary>Every value in the body, by path (objects and arrays are values too, and are descended into).</summary>
    private static IEnumerable<(List<object> Path, JsonNode? Value)> Leaves(JsonNode node, List<object>? path = null)
    {
        path ??= [];
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    var p = new List<object>(path) { key };
                    yield return (p, value);
                    if (value is JsonObject or JsonArray)
                        foreach (var leaf in Leaves(value, p)) yield return leaf;
                }
                break;
            case JsonArray a when a.Count > 0:
                foreach (var leaf in Leaves(a[0]!, new List<object>(path) { 0 })) yield return leaf;
                break;
        }
    }

    /// <summary>The sample with the value at <paramref name="path"/> replaced by a raw JSON token (which may be invalid JSON on purpose).</summary>
    private static string With(JsonNode sample, List<object> path, string token)
    {
        var copy = sample.DeepClone();
        JsonNode parent = copy;
        foreach (var step in path.SkipLast(1)) parent = step is int i ? parent[i]! : parent[(string)step]!;
        if (path[^1] is int index) parent[index] = Leaf;
        else parent[(string)path[^1]] = Leaf;
        return copy.ToJsonString().Replace($"\"{Leaf}\"", token);
    }

    private static string Describe(string token) => token.Length > 40 ? $"{token[..12]}… ({token.Length:N0} characters)" : token;

    private static HttpRequestMessage Request(string method, string url, HttpContent content, string? contentType)
    {
        content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        return new HttpRequestMessage(new HttpMethod(method), url) { Content = content };
    }

    private static HttpRequestMessage WithHeader(HttpRequestMessage request, string name, string value)
    {
        request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    // ------------------------------------------------------------------ routes and samples

    private static string Url(string template, Dictionary<string, string> ids) =>
        RouteParameter().Replace(template, m => ids.TryGetValue(m.Groups[1].Value, out var id) ? id : Guid.NewGuid().ToString());

    /// <summary>The value a parameter has in the filled-in URL (so only one parameter at a time is spoilt).</summary>
    private static string UrlValue(string parameter, string url, string template)
    {
        var names = RouteParameter().Matches(template).Select(m => m.Groups[1].Value).ToList();
        var pattern = "^" + RouteParameter().Replace(Regex.Escape(template).Replace("\\{", "{"), "([^/]+)") + "$";
        var match = Regex.Match(url, pattern);
        return match.Success ? match.Groups[names.IndexOf(parameter) + 1].Value : Guid.NewGuid().ToString();
    }

    /// <summary>A valid body for the routes the suite knows; for any other route one made from its OpenAPI schema.</summary>
    private static JsonNode Sample(string template, JsonNode operation, JsonNode openApi, Target target)
    {
        object? known = template switch
        {
            "/api/accounts" => Bodies.Account("Fuzzed account"),
            "/api/local/sign-in" => new { role = "csm" },
            _ when template.EndsWith("/measurements/import") => new { rows = new[] { Bodies.ImportRow(target.Commitment, Bodies.Day(500), 85) } },
            _ when template.EndsWith("/measurements") => Bodies.Measurement(Bodies.Day(400), 88),
            _ when template.EndsWith("/commitments") => Bodies.Commitment(Bodies.FirstDay, Bodies.FirstDay.AddYears(2)),
            _ when template.EndsWith("/corrections") => new { value = 77, reason = "meter recalibrated", evidenceUrl = "https://erp.example/fix" },
            _ when template.EndsWith("/confirmation") => new { confirmedBy = "Jane Buyer", comment = "matches our books" },
            _ when template.EndsWith("/dispute") => new { disputedBy = "Jane Buyer", reason = "does not match our books" },
            _ when template.EndsWith("/prioritisation") => Bodies.Prioritisation("fuzz"),
            _ when template.EndsWith("/revisions") => new { target = 75, reason = "new plan" },
            _ when template.EndsWith("/withdrawal") => new { reason = "customer left" },
            _ => null
        };
        if (known is not null) return JsonSerializer.SerializeToNode(known, ApiClient.Json)!;
        var schema = operation["requestBody"]?["content"]?["application/json"]?["schema"];
        return (schema is null ? null : FromSchema(schema, openApi, 0)) ?? new JsonObject();
    }

    private static JsonNode? FromSchema(JsonNode schema, JsonNode openApi, int depth)
    {
        if (depth > 6) return null;
        if (schema["$ref"]?.GetValue<string>() is { } reference)
            return reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Aggregate((JsonNode?)openApi, (node, segment) => node?[segment]) is { } target
                ? FromSchema(target, openApi, depth + 1)
                : null;
        foreach (var combinator in new[] { "allOf", "oneOf", "anyOf" })
            if (schema[combinator] is JsonArray options)
                return options.Select(s => FromSchema(s!, openApi, depth + 1)).FirstOrDefault(s => s is not null);
        if (schema["enum"] is JsonArray values) return values.FirstOrDefault(v => v is not null)?.DeepClone();
        var type = schema["type"] switch
        {
            JsonArray types => types.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null"),
            JsonValue t => t.GetValue<string>(),
            _ => schema["properties"] is not null ? "object" : null
        };
        var format = schema["format"]?.GetValue<string>();
        return type switch
        {
            "object" => new JsonObject((schema["properties"]?.AsObject() ?? [])
                .Select(p => KeyValuePair.Create(p.Key, FromSchema(p.Value!, openApi, depth + 1)))),
            "array" => new JsonArray(schema["items"] is { } items ? FromSchema(items, openApi, depth + 1) : null),
            "string" when format == "date" => Bodies.FirstDay.ToString("O"),
            "string" when format == "date-time" => DateTimeOffset.UtcNow.ToString("O"),
            "string" when format == "uuid" => Guid.NewGuid().ToString(),
            "string" => "fuzz",
            "integer" or "number" => 1,
            "boolean" => true,
            _ => null
        };
    }

    private static string Cut(string text) => text.Length > 200 ? text[..200] + "…" : text;

    [GeneratedRegex(@"\{([^}:?]+)[^}]*\}")]
    private static partial Regex RouteParameter();
}
