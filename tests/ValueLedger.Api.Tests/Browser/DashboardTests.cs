using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests.Browser;

/// <summary>The web dashboard in headless Chromium against the running app and its demo portfolio.</summary>
[Collection(BrowserCollection.Name)]
public sealed class when_an_executive_opens_the_dashboard(BrowserFixture app)
{
    [Fact]
    public async Task the_portfolio_page_shows_the_figures_the_api_reports()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync(app.BaseAddress.ToString());

        // Not signed in: the local role picker, clearly labelled as such.
        await Assertions.Expect(page.GetByText("Local sign-in (development mode).")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Radio, new() { Name = "Executive" }).CheckAsync();
        await page.GetByLabel("Your name").FillAsync("Alex Executive");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Portfolio", Exact = true })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Radio, new() { Name = "EUR" }).ClickAsync();
        var portfolio = await app.SettledPortfolioAsync();
        var eur = Totals(portfolio, "EUR");
        await ExpectValue(page, "kpi-realized", (decimal)eur["realizedValue"]!);
        await ExpectValue(page, "kpi-promised", (decimal)eur["promisedValue"]!);
        await ExpectValue(page, "kpi-at-risk", (decimal)eur["atRiskValue"]!);
        await ExpectValue(page, "kpi-rate", (decimal)eur["realizationRate"]!);
        await Assertions.Expect(page.GetByTestId("kpi-rate")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+%$"));
        // Gain-share exposure of the EUR outcome contracts, when a quarter under way is measured (not in a quarter's first month).
        if (portfolio["exposure"]!.AsArray().SingleOrDefault(e => (string)e!["currency"]! == "EUR") is { } exposure)
            await ExpectValue(page, "kpi-exposure", (decimal)exposure["variableAmount"]!);
        else
            await Assertions.Expect(page.GetByTestId("kpi-exposure")).ToHaveCountAsync(0);

        var atRisk = portfolio["atRisk"]!.AsArray();
        var rows = page.GetByTestId("at-risk").Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(atRisk.Count);
        await Assertions.Expect(rows.First.Locator("td").First).ToHaveTextAsync((string)atRisk[0]!["accountName"]!);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Promised vs realized by approach" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("live-status")).ToHaveTextAsync("Live");

        await BrowserFixture.ScreenshotAsync(page, "portfolio.png");
    }

    [Fact]
    public async Task the_whole_portfolio_is_shown_in_one_reporting_currency_with_the_rates_used()
    {
        var page = await app.SignedInPageAsync(Roles.Executive, name: "Alex Executive");
        await page.GotoAsync(app.BaseAddress.ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Portfolio", Exact = true })).ToBeVisibleAsync();
        await page.GetByLabel("Reporting currency").SelectOptionAsync("EUR");

        await app.SettledPortfolioAsync();
        var converted = await app.GetJsonAsync(app.ClientFor(Roles.Executive), "/api/portfolio?currency=EUR");
        var eur = converted["reporting"]!;
        // The demo records monthly USD and GBP rates into EUR from before its first commitment: everything converts.
        Assert.Equal(["EUR", "GBP", "USD"], eur["convertedCurrencies"]!.AsArray().Select(c => (string)c!));
        Assert.True((decimal)eur["realizedValue"]! > (decimal)Totals(converted, "EUR")["realizedValue"]!);
        await ExpectValue(page, "kpi-reporting-realized", (decimal)eur["realizedValue"]!);
        await ExpectValue(page, "kpi-reporting-promised", (decimal)eur["promisedValue"]!);
        var rates = converted["exchangeRates"]!.AsArray();
        await Assertions.Expect(page.GetByTestId("reporting-rates").Locator("summary")).ToHaveTextAsync($"{rates.Count} exchange rates used");
        await BrowserFixture.ScreenshotAsync(page, "reporting-currency.png");
        await page.GetByTestId("reporting-rates").Locator("summary").ClickAsync();
        await Assertions.Expect(page.GetByTestId("reporting-rates").Locator("tbody tr")).ToHaveCountAsync(rates.Count);

        // Back to no reporting currency: the panel says how to get one.
        await page.GetByLabel("Reporting currency").SelectOptionAsync("");
        await Assertions.Expect(page.GetByTestId("reporting-kpis").Locator("[data-kpi]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task a_measurement_recorded_through_the_api_changes_the_page_without_a_reload()
    {
        var page = await app.SignedInPageAsync(Roles.Executive);
        await page.GotoAsync(new Uri(app.BaseAddress, "/#/").ToString());
        await page.GetByRole(AriaRole.Radio, new() { Name = "EUR" }).ClickAsync();
        var before = Totals(await app.SettledPortfolioAsync(), "EUR");
        await ExpectValue(page, "kpi-realized", (decimal)before["realizedValue"]!);
        await Assertions.Expect(page.GetByTestId("live-status")).ToHaveTextAsync("Live");
        await page.EvaluateAsync("() => window.__sameDocument = true");

        // Customer success records the next day's reading of a EUR commitment, much better than its baseline.
        var csm = app.ClientFor(Roles.Csm, "casey.csm");
        var (accountId, commitment) = await AMeasurableCommitmentAsync(csm, "EUR");
        var day = DateOnly.Parse((string)commitment["lastMeasuredPeriodEnd"]!, CultureInfo.InvariantCulture).AddDays(1);
        var view = await app.GetJsonAsync(csm, $"/api/accounts/{accountId}/commitments/{commitment["id"]}");
        var target = (decimal)view["currentTerms"]!["target"]!;
        var recorded = await BrowserFixture.PostJsonAsync(csm, $"/api/accounts/{accountId}/commitments/{commitment["id"]}/measurements",
            new { periodStart = day.ToString("O"), periodEnd = day.ToString("O"), value = target, source = "system", evidenceUrl = "https://feeds.example/day" });
        Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);

        var after = Totals(await app.SettledPortfolioAsync(), "EUR");
        Assert.NotEqual((decimal)before["realizedValue"]!, (decimal)after["realizedValue"]!);
        await ExpectValue(page, "kpi-realized", (decimal)after["realizedValue"]!);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page was not reloaded");
    }

    [Fact]
    public async Task the_account_page_charts_each_commitment_against_its_path()
    {
        var executive = app.ClientFor(Roles.Executive);
        var accounts = (await app.GetJsonAsync(executive, "/api/accounts?pageSize=200"))["items"]!.AsArray();
        var account = accounts.First(a => (string)a!["name"]! == "Bergmann Automotive")!;
        var view = await app.GetJsonAsync(executive, $"/api/accounts/{account["id"]}");

        var page = await app.SignedInPageAsync(Roles.Csm, name: "casey.csm");
        await page.GotoAsync(new Uri(app.BaseAddress, $"/#/accounts/{account["id"]}").ToString());

        var panels = page.Locator("[data-commitment]");
        await Assertions.Expect(panels).ToHaveCountAsync(view["commitments"]!.AsArray().Count);
        foreach (var commitment in view["commitments"]!.AsArray())
        {
            var panel = page.Locator($"[data-commitment='{commitment!["id"]}']");
            await Assertions.Expect(panel.GetByRole(AriaRole.Heading, new() { Name = (string)commitment["metric"]! })).ToBeVisibleAsync();
            await Assertions.Expect(panel.Locator("canvas")).ToBeVisibleAsync();
            // Coverage stands beside the rate, as the view works it out for now.
            var ratio = commitment["coverage"]?["ratio"];
            await Assertions.Expect(panel.GetByTestId("coverage")).ToContainTextAsync(
                ratio is null ? "–" : $"{Math.Round((decimal)ratio * 100, MidpointRounding.AwayFromZero):0}%");
        }
        await Assertions.Expect(page.Locator("[data-kpi=rate]")).ToContainTextAsync(
            view["coverage"] is null ? "nothing elapsed yet" : "of elapsed periods");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "History" })).ToHaveAttributeAsync("href", $"#/accounts/{account["id"]}/history");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('[data-commitment] canvas').length > 0 && [...document.querySelectorAll('[data-commitment] canvas')].every(c => c.width > 0)");

        await BrowserFixture.ScreenshotAsync(page, "account.png");
    }

    [Fact]
    public async Task the_portfolio_reads_on_a_phone_and_the_sign_in_works_by_keyboard()
    {
        var page = await app.NewPageAsync(390, 844);
        await page.GotoAsync(app.BaseAddress.ToString());
        await page.GetByRole(AriaRole.Radio, new() { Name = "Executive" }).FocusAsync();
        await page.Keyboard.PressAsync("ArrowDown"); // the next role of the group: customer success
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("-by-keyboard");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator(".role")).ToHaveTextAsync("csm");
        await Assertions.Expect(page.GetByTestId("kpi-realized")).ToBeVisibleAsync();
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"the page is {overflow}px wider than the phone");

        await BrowserFixture.ScreenshotAsync(page, "portfolio-phone.png");
    }

    /// <summary>A live commitment in this currency whose next day is still inside its period and not after today.</summary>
    private async Task<(string AccountId, JsonNode Commitment)> AMeasurableCommitmentAsync(HttpClient client, string currency)
    {
        var accounts = (await app.GetJsonAsync(client, "/api/accounts?pageSize=200"))["items"]!.AsArray();
        foreach (var account in accounts.Where(a => (string)a!["currency"]! == currency))
        {
            var view = await app.GetJsonAsync(client, $"/api/accounts/{account!["id"]}");
            var commitment = view["commitments"]!.AsArray().FirstOrDefault(c =>
                (string)c!["status"]! is "onTrack" or "atRisk" && c["lastMeasuredPeriodEnd"] is not null &&
                DateOnly.Parse((string)c["lastMeasuredPeriodEnd"]!, CultureInfo.InvariantCulture) < BrowserFixture.Today);
            if (commitment is not null) return ((string)account["id"]!, commitment);
        }
        throw new InvalidOperationException("The demo portfolio has no measurable EUR commitment.");
    }

    private static JsonNode Totals(JsonNode portfolio, string currency) =>
        portfolio["totals"]!.AsArray().Single(t => (string)t!["currency"]! == currency)!;

    /// <summary>The KPI shows this figure: its data-value carries the unformatted number (compared as the browser parsed it).</summary>
    private static async Task ExpectValue(IPage page, string testId, decimal value)
    {
        try
        {
            await page.WaitForFunctionAsync(
                "([id, expected]) => { const v = Number(document.querySelector(`[data-testid='${id}']`)?.dataset.value); return Math.abs(v - expected) <= Math.max(0.005, Math.abs(expected) * 1e-12); }",
                new object[] { testId, (double)value });
        }
        catch (TimeoutException)
        {
            var shown = await page.GetByTestId(testId).GetAttributeAsync("data-value");
            Assert.Fail($"{testId} shows {shown}, expected {value}");
        }
    }
}
