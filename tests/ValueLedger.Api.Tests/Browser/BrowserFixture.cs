using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using JasperFx.CommandLine;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Playwright;
using Npgsql;
using ValueLedger.Api.Features.Demo;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests.Browser;

/// <summary>
/// The app on a real Kestrel port (WebApplicationFactory.UseKestrel; Alba's TestServer has no socket a browser could
/// reach), in a schema of its own that starts empty, loaded with the demo portfolio through the demo's commands, and
/// Debian's headless Chromium driven by Playwright (never a downloaded browser). The app keeps the system clock: the
/// browser checks token expiry against its own clock, and the demo is dated relative to today either way.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string Schema = "vl_browser";
    public const string ChromiumPath = "/usr/bin/chromium";

    private WebApplicationFactory<Program> _app = null!;
    private IPlaywright _playwright = null!;

    public IBrowser Browser { get; private set; } = null!;
    /// <summary>The real SMTP server the app sends its e-mail to (invitations, confirmation requests).</summary>
    public SmtpSink Mail { get; } = new();
    public Uri BaseAddress { get; private set; } = null!;
    public IServiceProvider Services => _app.Services;
    public static DateOnly Today => DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);

    public static string OutputDirectory { get; } = Path.Combine(ProjectDirectory(), "output");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Path.Combine(ProjectDirectory(), "..", "..", "src", "ValueLedger.Api", "wwwroot", "index.html")))
            throw new InvalidOperationException(
                "The dashboard is not built: run `npm ci && npm run build` in src/ValueLedger.Api/ClientApp (ops/test does it).");
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"The browser tests need Debian's Chromium at {ChromiumPath}: apt-get install -y chromium (ops/test does it).");

        (_app, BaseAddress) = await StartAppAsync(Schema, Mail.Port,
            new Dictionary<string, string> { ["Webhooks:AllowPrivateNetworks"] = "true" }); // the integrations page subscribes a receiver on loopback

        // The earlier checkpoint is signed on a ledger of two accounts, before the demo: a checkpoint covers events only
        // up to Marten's high water mark, which a gap in the sequence (the demo's parallel seeding and its scheduled
        // checks roll some transactions back) holds while any older transaction on the shared cluster is open.
        await SignEarlierCheckpointAsync();
        await DemoSeeder.SeedAsync(_app.Services, TimeProvider.System, CancellationToken.None);
        await _app.Services.GetRequiredService<IDocumentStore>().WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(120));

        Directory.CreateDirectory(OutputDirectory);
        // Expectations wait for their condition up to 20 s: the default 5 s is too short on a loaded two-core CI runner
        // with the app, PostgreSQL and Chromium sharing it (a redraw after a write once took longer than 5 s there).
        Assertions.SetDefaultExpectTimeout(20_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
        });
    }

    /// <summary>
    /// A signed checkpoint (as the API answered it) that a later one extends: signed before the demo was loaded and
    /// any test ran (over one account), then one more account was opened and covered. Tests that need "a checkpoint the browser kept from an earlier visit" use
    /// it: later checkpoints can only cover the events the tests write once every gap below them is proven dead,
    /// which a transaction elsewhere on the shared PostgreSQL can postpone (Marten holds the high water mark).
    /// </summary>
    public JsonNode EarlierCheckpoint { get; private set; } = null!;

    private async Task SignEarlierCheckpointAsync()
    {
        var admin = ClientFor(Roles.Admin);
        (await PostJsonAsync(ClientFor(Roles.Csm), "/api/accounts", IntegrationContext.AnAccount("First Witness AG"))).EnsureSuccessStatusCode();
        async Task<JsonNode> SignAsync()
        {
            var signed = await PostJsonAsync(admin, "/api/audit/checkpoints", new { });
            signed.EnsureSuccessStatusCode();
            return JsonNode.Parse(await signed.Content.ReadAsStringAsync())!;
        }
        JsonNode? first = null;
        await Audit.Eventually.Async(async () => (long)(first = await SignAsync())["treeSize"]! > 0,
            TimeSpan.FromSeconds(60), "a checkpoint covering the first account");
        EarlierCheckpoint = first!;
        (await PostJsonAsync(ClientFor(Roles.Csm), "/api/accounts", IntegrationContext.AnAccount("Witnessed Works"))).EnsureSuccessStatusCode();
        // Nothing else writes yet, so the new events follow the settled ones without a gap and are covered at once;
        // the bounded wait only absorbs the first checkpoint's own background work.
        await Audit.Eventually.Async(async () => (long)(await SignAsync())["treeSize"]! > (long)EarlierCheckpoint["treeSize"]!,
            TimeSpan.FromSeconds(60), "a checkpoint covering the account opened after the first one");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
        await Mail.DisposeAsync();
    }

    public string TokenFor(string role, string? name = null, Guid? accountId = null) => role == Roles.Customer
        ? LocalTokens.CreateCustomer(new SymmetricSecurityKey(Convert.FromBase64String(AppFixture.SigningKey)),
            $"{(name ?? "customer").ToLowerInvariant().Replace(' ', '.')}@customer.example", name ?? "customer", accountId is { } id ? [id] : [],
            ContactRoles.Approver, DateTimeOffset.UtcNow, TimeSpan.FromHours(1))
        : LocalTokens.Create(new SymmetricSecurityKey(Convert.FromBase64String(AppFixture.SigningKey)), role, name ?? $"test-{role}", accountId,
            DateTimeOffset.UtcNow, TimeSpan.FromHours(1));

    /// <summary>An HTTP client of the running app (over the socket, as any other client), signed in with a role.</summary>
    public HttpClient ClientFor(string role, string? name = null, Guid? accountId = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TokenFor(role, name, accountId));
        return client;
    }

    public async Task<JsonNode> GetJsonAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    public static async Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string url, object body) =>
        await client.PostAsync(url, new StringContent(JsonSerializer.Serialize(body, new JsonSerializerOptions(JsonSerializerDefaults.Web)), Encoding.UTF8, "application/json"));

    /// <summary>The portfolio once the async daemon has caught up with everything written so far.</summary>
    public async Task<JsonNode> SettledPortfolioAsync()
    {
        await Services.GetRequiredService<IDocumentStore>().WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        return await GetJsonAsync(ClientFor(Roles.Executive), "/api/portfolio");
    }

    /// <summary>A new page at a size, with the token of a role already in its session storage (as after signing in).</summary>
    public async Task<IPage> SignedInPageAsync(string role, int width = 1280, int height = 900, Guid? accountId = null, string? name = null)
    {
        var page = await NewPageAsync(width, height);
        await page.GotoAsync(new Uri(BaseAddress, "/#/sign-in").ToString());
        await page.EvaluateAsync("token => sessionStorage.setItem('valueledger.token', token)", TokenFor(role, name, accountId));
        return page;
    }

    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height }, Locale = "en-GB", ReducedMotion = ReducedMotion.Reduce
        });
        var page = await context.NewPageAsync();
        // Generous bounds on a loaded 2-core CI machine (a sign-in round trip through the provider took over 30 s once under load).
        page.SetDefaultTimeout(60_000);
        return page;
    }

    /// <summary>Keeps a picture of the page from this run under the test project's output folder.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(OutputDirectory, name), FullPage = true });
    }

    /// <summary>
    /// Starts the app on a free loopback port in an empty schema of its own, with the browser tests' settings and
    /// <paramref name="settings"/> on top; returns it with the address it listens on.
    /// </summary>
    public static async Task<(WebApplicationFactory<Program> App, Uri BaseAddress)> StartAppAsync(string schema, int smtpPort,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Marten")
            ?? throw new InvalidOperationException("Set ConnectionStrings__Marten (ops/test does) to run the browser tests.");
        await DropSchemaAsync(connectionString, schema);
        // Program ends in RunJasperFxCommands: under WebApplicationFactory it must start the host itself (Alba does the same).
        JasperFxEnvironment.AutoStartHost = true;
        var app = new KestrelApp(connectionString, schema, smtpPort, settings ?? new Dictionary<string, string>());
        app.UseKestrel(0);
        app.StartServer();
        return (app, new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()));
    }

    private static async Task DropSchemaAsync(string connectionString, string schema)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop schema if exists {schema} cascade", connection);
        await drop.ExecuteNonQueryAsync();
    }

    public static string ProjectDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ValueLedger.Api.Tests.csproj"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Cannot find the test project's folder.");
    }

    private sealed class KestrelApp(string connectionString, string schema, int smtpPort, IReadOnlyDictionary<string, string> settings)
        : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:Marten", connectionString);
            builder.UseSetting("ValueLedger:Schema", schema);
            builder.UseSetting("ValueLedger:LivePushInterval", "00:00:00.250");
            builder.UseSetting("Auth:SigningKey", AppFixture.SigningKey);
            builder.UseSetting("RateLimiting:PermitsPerSecond", "100000");
            builder.UseSetting("RateLimiting:Burst", "100000");
            builder.UseSetting("Smtp:Host", "127.0.0.1");
            builder.UseSetting("Smtp:Port", smtpPort.ToString());
            builder.UseSetting("Smtp:Security", "None");
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
