using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Harness;

/// <summary>Signs tokens the app accepts: the app runs with Auth__SigningKey set to the same key.</summary>
public sealed class Tokens(string signingKeyBase64)
{
    private readonly SymmetricSecurityKey _key = new(Convert.FromBase64String(signingKeyBase64));

    public static string NewKey() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public string For(string role, string name, Guid? accountId = null) =>
        LocalTokens.Create(_key, role, name, accountId, DateTimeOffset.UtcNow.AddMinutes(-1), TimeSpan.FromHours(12));
}

/// <summary>The HTTP API as the benchmark and the fault suite speak it.</summary>
public sealed class ApiClient
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public ApiClient(Uri baseUrl, string token, TimeSpan? timeout = null)
    {
        Http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(5)
        })
        {
            BaseAddress = baseUrl,
            Timeout = timeout ?? TimeSpan.FromSeconds(100)
        };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public HttpClient Http { get; }

    public static StringContent JsonContent(object body) =>
        new(body as string ?? JsonSerializer.Serialize(body, Json), Encoding.UTF8, "application/json");

    public Task<HttpResponseMessage> PostAsync(string url, object body, string? idempotencyKey = null, CancellationToken cancellation = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent(body) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return Http.SendAsync(request, cancellation);
    }

    public async Task<JsonNode> CreatedAsync(string url, object body)
    {
        using var response = await PostAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"POST {url} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    public async Task<Guid> OpenAccountAsync(string name, string currency = "EUR", string segment = "enterprise", string owner = "bench") =>
        (await CreatedAsync("/api/accounts", Bodies.Account(name, currency, segment, owner)))["id"]!.GetValue<Guid>();

    public async Task<Guid> AddCommitmentAsync(Guid accountId, DateOnly start, DateOnly end, decimal unitValue = 1000, string cadence = "yearly") =>
        (await CreatedAsync($"/api/accounts/{accountId}/commitments", Bodies.Commitment(start, end, unitValue, cadence)))["id"]!.GetValue<Guid>();

    public async Task<JsonNode?> GetJsonAsync(string url)
    {
        using var response = await Http.GetAsync(url);
        if (response.StatusCode != HttpStatusCode.OK) return null;
        return JsonNode.Parse(await response.Content.ReadAsStringAsync());
    }
}

/// <summary>Request bodies of the contract (docs: /work/shared/api.md).</summary>
public static class Bodies
{
    /// <summary>Today (UTC), when the run started.</summary>
    public static readonly DateOnly FirstDay = DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>
    /// The n-th day measured on a commitment, counted back from yesterday: only ended periods are measured, and with
    /// yesterday measured first the latest measured day never moves, so no freshness check falls due during a run (it
    /// would if the days were long past) and the runs measure the writes themselves.
    /// </summary>
    public static DateOnly Day(int n) => FirstDay.AddDays(-1 - n);

    /// <summary>The bench commitments run from 30 years back to 30 years ahead, room for about 11,000 days measured back from yesterday.</summary>
    public static readonly DateOnly CommitmentStart = FirstDay.AddYears(-30), CommitmentEnd = FirstDay.AddYears(30);

    public static object Account(string name, string currency = "EUR", string segment = "enterprise", string owner = "bench") =>
        new { name, industry = "Manufacturing", segment, currency, approach = "processCentric", owner };

    /// <summary>Scrap rate from 100 to 80 (lower is better): 20 points of improvement × unitValue per cadence period.</summary>
    public static object Commitment(DateOnly start, DateOnly end, decimal unitValue = 1000, string cadence = "yearly") => new
    {
        driver = "cost", metric = "Scrap rate", unit = "%", direction = "lowerIsBetter",
        baseline = new { value = 100, asOf = start.AddDays(-1).ToString("O"), source = "ERP report" },
        target = 80, unitValue, periodStart = start.ToString("O"), periodEnd = end.ToString("O"),
        cadence, owner = "joint", confidence = "medium"
    };

    public static object Measurement(DateOnly day, decimal value) => new
    {
        periodStart = day.ToString("O"), periodEnd = day.ToString("O"), value, source = "system",
        evidenceUrl = "https://erp.example/scrap", note = (string?)null
    };

    public static object ImportRow(Guid commitmentId, DateOnly day, decimal value) => new
    {
        commitmentId, periodStart = day.ToString("O"), periodEnd = day.ToString("O"), value = value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        source = "import", evidenceUrl = "https://erp.example/scrap"
    };

    public static object Prioritisation(string note) => new { abilityToPay = "high", willingnessToPay = "medium", note };
}
