using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests;

/// <summary>
/// One real host per test collection, on the real PostgreSQL that ops/test starts (ConnectionStrings__Marten),
/// in a schema of its own. The clock is a fake, set inside 2026, so tests decide what day it is.
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Today = new(2026, 2, 10, 9, 0, 0, TimeSpan.Zero);

    public IAlbaHost Host { get; private set; } = null!;
    public TestClock Clock { get; } = new(Today);
    public HttpClient Client { get; private set; } = null!;
    /// <summary>The real SMTP server (loopback) the app sends its e-mail to.</summary>
    public SmtpSink Mail { get; } = new();
    public string CheckpointFolder { get; } = Directory.CreateTempSubdirectory("valueledger-checkpoints-").FullName;

    public async Task InitializeAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Marten")
            ?? throw new InvalidOperationException("Set ConnectionStrings__Marten (ops/test does) to run the integration tests.");
        Host = await AlbaHost.For<Program>(builder =>
        {
            builder.UseSetting("ConnectionStrings:Marten", connectionString);
            builder.UseSetting("ValueLedger:Schema", "vl_tests");
            builder.UseSetting("Auth:SigningKey", SigningKey);
            builder.UseSetting("RateLimiting:PermitsPerSecond", "100000");
            builder.UseSetting("RateLimiting:Burst", "100000");
            // One trusted proxy, as nginx is in docker-compose.yml (ForwardedHeadersTests speak through it and around it).
            builder.UseSetting("Auth:KnownProxies:0", KnownProxy);
            builder.UseSetting("Smtp:Host", "127.0.0.1");
            builder.UseSetting("Smtp:Port", Mail.Port.ToString());
            builder.UseSetting("Smtp:Security", "None");
            builder.UseSetting("Smtp:From", "ValueLedger <value@seller.example>");
            // Checkpoints are signed when a test asks (the job would sign at random moments); their key and files in a temporary folder.
            builder.UseSetting("ValueLedger:Checkpoints:Interval", "00:00:00");
            builder.UseSetting("ValueLedger:Checkpoints:KeyFile", Path.Combine(CheckpointFolder, "checkpoint-key"));
            builder.UseSetting("ValueLedger:Checkpoints:Directory", Path.Combine(CheckpointFolder, "published"));
            // Webhook retries in fractions of a second, so a test sees a delivery dead-lettered (production waits about 24 h).
            for (var i = 0; i < WebhookRetryDelays.Length; i++) builder.UseSetting($"Webhooks:RetryDelays:{i}", WebhookRetryDelays[i]);
            builder.ConfigureServices(services =>
            {
                services.AddSingleton<TimeProvider>(Clock);
                services.ConfigureMarten(o => o.Listeners.Add(new CrashAfterCommit()));
            });
        });
        Client = ClientFor(Roles.Csm, "casey.csm");
    }

    public static readonly string[] WebhookRetryDelays = ["00:00:00.100", "00:00:00.200", "00:00:00.400"];

    /// <summary>The one proxy (TEST-NET-1) whose X-Forwarded-For and X-Forwarded-Proto the app trusts.</summary>
    public const string KnownProxy = "192.0.2.10";

    /// <summary>
    /// 512 bits: long enough that HS384 and HS512 signatures with it would verify, so a test of the pinned HS256 shows the
    /// pin refusing them (a 256-bit key is refused for those algorithms by its size alone).
    /// </summary>
    public static readonly string SigningKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(64));

    public static SymmetricSecurityKey Key => new(Convert.FromBase64String(SigningKey));

    /// <summary>
    /// A local token: staff by role and name; a customer as a script token (ops/token customer) of a contact, an
    /// approver unless <paramref name="contactRole"/> says viewer, named by <paramref name="name"/> (its e-mail when it has an @).
    /// </summary>
    public string TokenFor(string role, string? name = null, Guid? accountId = null, string contactRole = ContactRoles.Approver)
    {
        if (role != Roles.Customer)
            return LocalTokens.Create(Key, role, name ?? $"test-{role}", accountId, DateTimeOffset.UtcNow, TimeSpan.FromHours(1));
        var shown = name ?? "test-customer";
        var email = shown.Contains('@') ? shown : $"{shown.ToLowerInvariant().Replace(' ', '.')}@customer.example";
        return LocalTokens.CreateCustomer(Key, email, shown, accountId is { } id ? [id] : [], contactRole, DateTimeOffset.UtcNow, TimeSpan.FromHours(1));
    }

    /// <summary>An HTTP client signed in with a role (and, for customers, an account); null role means no token.</summary>
    public HttpClient ClientFor(string? role, string? name = null, Guid? accountId = null, string contactRole = ContactRoles.Approver)
    {
        var client = Host.Server.CreateClient();
        if (role is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TokenFor(role, name, accountId, contactRole));
        return client;
    }

    /// <summary>An HTTP client with a given bearer token.</summary>
    public HttpClient ClientWith(string token)
    {
        var client = Host.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Mail.DisposeAsync();
    }

    public async Task ResetAsync()
    {
        Clock.Now = Today;
        await ResetDataAsync();
    }

    /// <summary>
    /// A handler still working for the last test (a scheduled check, a push) can deadlock with the reset's truncation
    /// of the event tables; PostgreSQL then aborts one of the two, and the reset is simply run again.
    /// </summary>
    private async Task ResetDataAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Host.ResetAllMartenDataAsync();
                return;
            }
            catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.DeadlockDetected && attempt < 5)
            {
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "app";
}

/// <summary>Base for integration tests: fresh data before each test and small helpers to speak the API.</summary>
[Collection(AppCollection.Name)]
public abstract class IntegrationContext(AppFixture app) : IAsyncLifetime
{
    protected AppFixture App { get; } = app;
    protected HttpClient Http => App.Client;
    protected IAlbaHost Host => App.Host;

    public virtual Task InitializeAsync() => App.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    protected async Task<HttpResponseMessage> PostAsync(string url, object body, Action<HttpRequestMessage>? configure = null)
    {
        var json = JsonSerializer.Serialize(body, JsonOptions);
        // Only ended periods are measured: a test that records a month first lets time pass until that month has ended.
        if (url.EndsWith("/measurements", StringComparison.Ordinal) || url.EndsWith("/measurements/import", StringComparison.Ordinal))
            foreach (var periodEnd in PeriodEnds(JsonNode.Parse(json))) TimePassesUntilEnded(periodEnd);
        var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json")
        };
        configure?.Invoke(request);
        return await Http.SendAsync(request);
    }

    /// <summary>The period ends a measurement body or a JSON import's rows name.</summary>
    private static IEnumerable<DateOnly> PeriodEnds(JsonNode? body)
    {
        var rows = body?["rows"] is JsonArray array ? array.AsEnumerable() : [body];
        foreach (var row in rows)
            if (row is JsonObject o && o["periodEnd"] is JsonValue end && end.TryGetValue<string>(out var text) &&
                DateOnly.TryParse(text, CultureInfo.InvariantCulture, out var periodEnd))
                yield return periodEnd;
    }

    /// <summary>Moves the test clock (never back) to 09:00 on the day after <paramref name="periodEnd"/>, when that period has ended.</summary>
    protected void TimePassesUntilEnded(DateOnly periodEnd)
    {
        if (periodEnd == DateOnly.MaxValue) return; // past the business calendar: refused before time matters
        var dayAfter = new DateTimeOffset(periodEnd.AddDays(1).ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero);
        if (App.Clock.Now < dayAfter) App.Clock.Now = dayAfter;
    }

    protected async Task<HttpResponseMessage> PostRawAsync(string url, string body, string contentType = "application/json") =>
        await Http.PostAsync(url, new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue(contentType)));

    protected static async Task<JsonNode> ReadAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("Empty body");

    protected async Task<JsonNode> GetJsonAsync(string url)
    {
        var response = await Http.GetAsync(url);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await ReadAsync(response);
    }

    public static object AnAccount(string name = "Acme Foods", string approach = "processCentric", string segment = "enterprise", string owner = "maria") =>
        new { name, industry = "Food processing", segment, currency = "EUR", approach, owner };

    /// <summary>domain.md's worked example: scrap rate from 100 to 80, lower is better, 1,000 EUR per point, monthly over 2026.</summary>
    public static object AScrapRateCommitment(string? baselineSource = "ERP report 2025-12") => new
    {
        driver = "cost", metric = "Scrap rate", unit = "%", direction = "lowerIsBetter",
        baseline = new { value = 100, asOf = "2025-12-31", source = baselineSource },
        target = 80, unitValue = 1000, periodStart = "2026-01-01", periodEnd = "2026-12-31",
        cadence = "monthly", owner = "joint", confidence = "medium"
    };

    public static object AMonth(int month, decimal value, string? evidenceUrl = "https://erp.example/scrap/2026") => new
    {
        periodStart = new DateOnly(2026, month, 1).ToString("O"),
        periodEnd = new DateOnly(2026, month, 1).AddMonths(1).AddDays(-1).ToString("O"),
        value, source = "system", evidenceUrl
    };

    /// <summary>
    /// For tests on the machine's clock (<see cref="TestClock.FollowSystemClock"/>): a commitment from last month to
    /// the end of the year ahead, so last month is measurable and nothing is due (no freshness check adds an event
    /// while the test runs: the first is due two months after the start).
    /// </summary>
    public static object ARecentCommitment(decimal unitValue = 1000)
    {
        var thisMonth = ThisMonth();
        return new
        {
            driver = "cost", metric = "Scrap rate", unit = "%", direction = "lowerIsBetter",
            baseline = new { value = 100, asOf = thisMonth.AddMonths(-1).AddDays(-1).ToString("O"), source = "ERP report" },
            target = 80, unitValue, periodStart = thisMonth.AddMonths(-1).ToString("O"), periodEnd = thisMonth.AddMonths(11).AddDays(-1).ToString("O"),
            cadence = "monthly", owner = "joint", confidence = "medium"
        };
    }

    /// <summary>Days <paramref name="from"/> to <paramref name="to"/> (1-based, inclusive) of last month, on the machine's clock.</summary>
    public static object LastMonth(decimal value, int from = 1, int? to = null)
    {
        var start = ThisMonth().AddMonths(-1);
        return new
        {
            periodStart = start.AddDays(from - 1).ToString("O"),
            periodEnd = (to is { } day ? start.AddDays(day - 1) : ThisMonth().AddDays(-1)).ToString("O"),
            value, source = "system", evidenceUrl = "https://erp.example/scrap"
        };
    }

    public static DateOnly ThisMonth()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return new DateOnly(today.Year, today.Month, 1);
    }

    protected async Task<(Guid AccountId, Guid CommitmentId)> OpenAccountWithRecentCommitmentAsync(object? account = null)
    {
        var accountId = await OpenAccountAsync(account);
        var response = await PostAsync($"/api/accounts/{accountId}/commitments", ARecentCommitment());
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (accountId, (await ReadAsync(response))["id"]!.GetValue<Guid>());
    }

    protected async Task<Guid> OpenAccountAsync(object? account = null)
    {
        var response = await PostAsync("/api/accounts", account ?? AnAccount());
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await ReadAsync(response))["id"]!.GetValue<Guid>();
    }

    protected async Task<(Guid AccountId, Guid CommitmentId)> OpenAccountWithCommitmentAsync(object? account = null)
    {
        var accountId = await OpenAccountAsync(account);
        var response = await PostAsync($"/api/accounts/{accountId}/commitments", AScrapRateCommitment());
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (accountId, (await ReadAsync(response))["id"]!.GetValue<Guid>());
    }

    protected async Task<Guid> RecordAsync(Guid accountId, Guid commitmentId, object measurement)
    {
        var response = await PostAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/measurements", measurement);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await ReadAsync(response))["id"]!.GetValue<Guid>();
    }

    protected async Task<IDocumentSession> SessionAsync()
    {
        await Task.CompletedTask;
        return Host.Services.GetRequiredService<IDocumentStore>().LightweightSession();
    }
}

/// <summary>A clock the tests set; time in the app comes only from the injected TimeProvider.</summary>
public sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;
    private bool _followsSystem;

    /// <summary>The test's moment; setting it stops following the system clock.</summary>
    public DateTimeOffset Now
    {
        get => _followsSystem ? System.GetUtcNow() : _now;
        set => (_now, _followsSystem) = (value, false);
    }

    /// <summary>
    /// Reads the machine's clock until <see cref="Now"/> is set again: for tests that compare what the app showed with
    /// what it answers as of a moment of the ledger, whose event timestamps PostgreSQL takes from the same clock.
    /// </summary>
    public void FollowSystemClock() => _followsSystem = true;

    public override DateTimeOffset GetUtcNow() => Now;
}
