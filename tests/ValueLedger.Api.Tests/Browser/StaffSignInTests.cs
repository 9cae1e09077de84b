using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;

namespace ValueLedger.Api.Tests.Browser;

/// <summary>
/// Staff sign in at the identity provider, as in production and in docker-compose.yml: the dashboard runs the
/// authorization code flow with PKCE against a real OpenID Connect provider on loopback (<see cref="TestIdentityProvider"/>),
/// and the app, configured with that issuer (Auth:Authority), validates its tokens through the provider's discovery
/// document and keys. Local sign-in does not exist here.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class when_staff_sign_in_at_the_identity_provider(BrowserFixture browser) : IAsyncLifetime
{
    private const string Schema = "vl_browser_idp";
    // Access tokens live 65 s, so the dashboard renews them (60 s before expiry) within a test.
    private const int AccessTokenSeconds = 65;
    private TestIdentityProvider _provider = null!;
    private WebApplicationFactory<Program> _app = null!;
    private Uri _base = null!;

    public async Task InitializeAsync()
    {
        _provider = await TestIdentityProvider.StartAsync();
        (_app, _base) = await BrowserFixture.StartAppAsync(Schema, browser.Mail.Port, new Dictionary<string, string>
        {
            ["Auth:Authority"] = _provider.Issuer,
            ["Auth:Audience"] = "valueledger",
            ["Auth:RequireHttpsMetadata"] = "false",
            ["Auth:Dashboard:ClientId"] = "valueledger-dashboard",
        });
        await _provider.ConfigureAsync(_base, AccessTokenSeconds);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        if (_provider is not null) await _provider.DisposeAsync();
    }

    [Fact]
    public async Task a_csm_signs_in_there_and_writes_as_that_identity()
    {
        var page = await browser.NewPageAsync();
        await SignInAsync(page, "casey.csm");

        // The provider gives casey the realm's default role beside csm; the dashboard shows the one that acts.
        await Assertions.Expect(page.Locator(".user-name")).ToContainTextAsync("Casey Success");
        await Assertions.Expect(page.Locator(".user-name .role")).ToHaveTextAsync("csm");
        await Assertions.Expect(page.Locator("nav.nav a[href='#/accounts']")).ToBeVisibleAsync();
        Assert.DoesNotContain("code=", page.Url); // the authorization code leaves the address bar
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('valueledger.sign-in-failure')"));

        var token = await TokenAsync(page);
        var claims = Claims(token);
        Assert.Equal(_provider.Issuer, (string)claims["iss"]!);
        Assert.Equal("valueledger", claims["aud"] is JsonArray audiences ? (string)audiences[0]! : (string)claims["aud"]!);

        // What the dashboard's token records is authored by the provider's issuer and subject.
        using var client = Client(token);
        var opened = await BrowserFixture.PostJsonAsync(client, "/api/accounts", IntegrationContext.AnAccount("Signed In Foods"));
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var accountId = (string)JsonNode.Parse(await opened.Content.ReadAsStringAsync())!["id"]!;
        await page.GotoAsync(new Uri(_base, "/#/accounts").ToString());
        await Assertions.Expect(page.GetByText("Signed In Foods")).ToBeVisibleAsync();

        // Auditors read who wrote it: a csm may not, so an admin of the same provider looks.
        var admin = await browser.NewPageAsync();
        await SignInAsync(admin, "ada.admin");
        var history = await browser.GetJsonAsync(Client(await TokenAsync(admin)), $"/api/accounts/{accountId}/history");
        var recordedBy = (string)history[0]!["recordedBy"]!;
        Assert.Contains(_provider.Issuer, recordedBy);
        Assert.Contains("casey.csm", recordedBy);
    }

    [Fact]
    public async Task the_dashboard_renews_its_token_before_it_expires()
    {
        var page = await browser.NewPageAsync();
        await SignInAsync(page, "alex.executive");
        var first = await TokenAsync(page);

        // oidc-client-ts renews 60 s before expiry with the refresh token; the dashboard then uses the new token.
        await page.WaitForFunctionAsync("first => { const t = sessionStorage.getItem('valueledger.token'); return t && t !== first; }", first,
            new PageWaitForFunctionOptions { Timeout = 45_000 });
        var renewed = await TokenAsync(page);
        Assert.True((long)Claims(renewed)["exp"]! > (long)Claims(first)["exp"]!);
        Assert.Equal(AccessTokenSeconds, (long)Claims(first)["exp"]! - (long)Claims(first)["iat"]!);
        var portfolio = await Client(renewed).GetAsync("/api/portfolio");
        Assert.Equal(HttpStatusCode.OK, portfolio.StatusCode);
    }

    [Fact]
    public async Task signing_out_ends_the_session_at_the_provider()
    {
        var page = await browser.NewPageAsync();
        await SignInAsync(page, "robin.auditor");
        await Assertions.Expect(page.Locator(".user-name .role")).ToHaveTextAsync("auditor");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, sign me out" }).ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(_base.ToString(), StringComparison.Ordinal) && url.EndsWith("#/sign-in", StringComparison.Ordinal));
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('valueledger.token')"));

        // The provider's session is gone too: signing in again asks for the login.
        await page.GetByTestId("staff-sign-in").ClickAsync();
        await Assertions.Expect(page.Locator("input[name=login]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task a_customer_role_from_the_staff_provider_is_refused()
    {
        var page = await browser.NewPageAsync();
        var tokenResponse = page.WaitForResponseAsync(r => r.Url == $"{_provider.Issuer}/token" && r.Status == 200);
        await SignInAsync(page, "mallory.customer", expectSignedIn: false);
        var token = (string)JsonNode.Parse(await (await tokenResponse).TextAsync())!["access_token"]!;

        // The dashboard says why and keeps nothing; the app refuses the token itself.
        await Assertions.Expect(page.GetByTestId("sign-in-failure")).ToContainTextAsync("has no staff role");
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('valueledger.token')"));
        foreach (var url in new[] { "/api/portfolio", "/api/accounts" })
            Assert.Equal(HttpStatusCode.Unauthorized, (await Client(token).GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task the_sign_in_page_offers_only_the_provider()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(_base, "/#/sign-in").ToString());
        await Assertions.Expect(page.GetByTestId("staff-sign-in")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("input[name=role]")).ToHaveCountAsync(0);
        var local = await new HttpClient { BaseAddress = _base }.PostAsync("/api/local/sign-in",
            new StringContent("""{"role":"admin"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, local.StatusCode);
        await BrowserFixture.ScreenshotAsync(page, "staff-sign-in.png");
    }

    private async Task SignInAsync(IPage page, string user, bool expectSignedIn = true)
    {
        await page.GotoAsync(new Uri(_base, "/#/").ToString());
        await page.WaitForURLAsync(url => url.EndsWith("#/sign-in", StringComparison.Ordinal));
        await page.GetByTestId("staff-sign-in").ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(_provider.Issuer, StringComparison.Ordinal));
        await page.Locator("input[name=login]").FillAsync(user);
        await page.Locator("input[name=password]").FillAsync("any password");
        await page.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(_base.ToString(), StringComparison.Ordinal));
        // Back at the app, the dashboard exchanges the code for tokens before it draws a page.
        if (expectSignedIn)
        {
            await page.WaitForFunctionAsync("() => !!sessionStorage.getItem('valueledger.token') && !location.search.includes('code=')");
            await Assertions.Expect(page.GetByTestId("live-status")).ToBeVisibleAsync();
        }
    }

    private static async Task<string> TokenAsync(IPage page) =>
        await page.EvaluateAsync<string?>("() => sessionStorage.getItem('valueledger.token')")
        ?? throw new InvalidOperationException("The dashboard holds no token.");

    private HttpClient Client(string token)
    {
        var client = new HttpClient { BaseAddress = _base };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static JsonObject Claims(string token)
    {
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        return JsonNode.Parse(Convert.FromBase64String(payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=')))!.AsObject();
    }
}
