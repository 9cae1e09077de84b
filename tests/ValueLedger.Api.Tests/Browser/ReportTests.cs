using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests.Browser;

/// <summary>
/// The value report of a demo account, fetched from the running app over a real socket (Kestrel, as in production):
/// the PDF read back with pdftotext (poppler-utils) carries the figures of the API's view for the same moment and
/// the hash a reader checks with ops/verify; the HTML report opens from the account page in Chromium.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class when_a_value_report_is_taken_away(BrowserFixture app)
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    [Fact]
    public async Task the_pdf_carries_the_figures_of_the_view_at_that_moment_and_the_hash_to_verify()
    {
        var executive = app.ClientFor(Roles.Executive);
        var accountId = await AnOutcomeAccountAsync(executive);
        var moment = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O")); // a moment after the demo data was loaded
        var view = await app.GetJsonAsync(executive, $"/api/accounts/{accountId}?asOf={moment}");

        var response = await executive.GetAsync($"/api/accounts/{accountId}/report?asOf={moment}&format=pdf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var pdf = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4));
        var text = await PdfTextAsync(pdf);

        var currency = (string)view["currency"]!;
        Assert.Contains((string)view["name"]!, text);
        foreach (var figure in new[] { "promisedValue", "promisedToDate", "realizedValue", "atRiskValue" })
            Assert.Contains($"{((decimal)view[figure]!).ToString("#,##0", Culture)} {currency}", text);
        if (view["realizationRate"] is { } rate) Assert.Contains(((decimal)rate).ToString("0.0%", Culture), text);
        Assert.Contains($"account version {(long)view["version"]!}", text);

        // The last page names the event of that version by its sealed hash, as the account's history has it.
        var history = await app.GetJsonAsync(app.ClientFor(Roles.Auditor), $"/api/accounts/{accountId}/history");
        var head = history.AsArray().Single(e => (long)e!["version"]! == (long)view["version"]!)!;
        Assert.Contains((string)head["hash"]!, Squeezed(text));
        Assert.Contains("ops/verify --history", text);

        // The settlements of an outcome contract, with the customer's verdict on each.
        var contracts = 0;
        foreach (var commitment in view["commitments"]!.AsArray())
            if ((await app.GetJsonAsync(executive, $"/api/accounts/{accountId}/commitments/{commitment!["id"]}?asOf={moment}"))["contract"] is JsonObject)
                contracts++;
        Assert.Equal(contracts, text.Split("Outcome contract").Length - 1);
        // (a table cell may wrap a verdict over lines, interleaved with its neighbours': its first words are looked for)
        if (contracts > 0) Assert.Matches("certified by|disputed by|awaiting the|No period has been settled yet", text);
    }

    [Fact]
    public async Task a_customer_gets_the_report_of_its_own_account_and_a_bad_format_names_the_field()
    {
        var accountId = await AnOutcomeAccountAsync(app.ClientFor(Roles.Executive));
        var customer = app.ClientFor(Roles.Customer, "Jane Buyer", Guid.Parse(accountId));
        var html = await customer.GetAsync($"/api/accounts/{accountId}/report");
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        var body = await html.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("priority", body, StringComparison.OrdinalIgnoreCase); // nothing of the seller's prioritisation

        var other = await app.ClientFor(Roles.Customer, "Jane Buyer", Guid.NewGuid()).GetAsync($"/api/accounts/{accountId}/report");
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);

        var bad = await customer.GetAsync($"/api/accounts/{accountId}/report?format=docx");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.NotNull(JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["errors"]!["format"]);
        var badMoment = await customer.GetAsync($"/api/accounts/{accountId}/report?asOf=yesterday");
        Assert.NotNull(JsonNode.Parse(await badMoment.Content.ReadAsStringAsync())!["errors"]!["asOf"]);
    }

    [Fact]
    public async Task the_account_page_opens_the_printable_report()
    {
        var executive = app.ClientFor(Roles.Executive);
        var accountId = await AnOutcomeAccountAsync(executive);
        var view = await app.GetJsonAsync(executive, $"/api/accounts/{accountId}");
        var page = await app.SignedInPageAsync(Roles.Executive);
        await page.GotoAsync(new Uri(app.BaseAddress, $"/#/accounts/{accountId}").ToString());

        var report = await page.Context.RunAndWaitForPageAsync(() => page.GetByTestId("report-html").ClickAsync());
        await Assertions.Expect(report.GetByRole(AriaRole.Heading, new() { Name = (string)view["name"]!, Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(report.Locator("[data-figure=realizedValue]"))
            .ToHaveTextAsync($"{((decimal)view["realizedValue"]!).ToString("#,##0", Culture)} {(string)view["currency"]!}");
        await Assertions.Expect(report.Locator("svg polyline.measured").First).ToBeAttachedAsync();
        // The inline style sheet applies (an encoded one would leave the page unstyled and the charts black).
        await Assertions.Expect(report.Locator(".figure").First).ToHaveCSSAsync("border-top-style", "solid");
        await Assertions.Expect(report.Locator("svg polyline.measured").First).ToHaveCSSAsync("fill", "none");
        await Assertions.Expect(report.GetByRole(AriaRole.Heading, new() { Name = "How to verify this report" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(report, "value-report.png");
    }

    [Fact]
    public async Task the_portfolio_pdf_carries_each_currencys_totals_and_the_reporting_currency_total_of_the_portfolio_view_at_that_moment_and_the_checkpoint()
    {
        var executive = app.ClientFor(Roles.Executive);
        Assert.True((await BrowserFixture.PostJsonAsync(app.ClientFor(Roles.Admin), "/api/audit/checkpoints", new { })).IsSuccessStatusCode);
        var checkpoint = await app.GetJsonAsync(app.ClientFor(Roles.Auditor), "/api/audit/checkpoints/latest");
        var moment = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"));
        var view = await app.GetJsonAsync(executive, $"/api/portfolio?asOf={moment}&currency=EUR");

        var response = await executive.GetAsync($"/api/portfolio/report?asOf={moment}&format=pdf&currency=EUR");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var text = await PdfTextAsync(await response.Content.ReadAsByteArrayAsync());

        Assert.Contains($"{(int)view["accounts"]!} accounts", text);
        var totals = view["totals"]!.AsArray();
        Assert.NotEmpty(totals);
        foreach (var total in totals)
        {
            var currency = (string)total!["currency"]!;
            foreach (var figure in new[] { "promisedValue", "promisedToDate", "realizedValue", "atRiskValue" })
                Assert.Contains($"{((decimal)total[figure]!).ToString("#,##0", Culture)} {currency}", text);
        }
        Assert.Contains($"{view["atRisk"]!.AsArray().Count} at-risk commitments", text);
        // The whole portfolio in EUR, and the rates it used.
        foreach (var figure in new[] { "promisedValue", "realizedValue", "atRiskValue" })
            Assert.Contains($"{((decimal)view["reporting"]![figure]!).ToString("#,##0", Culture)} EUR", text);
        Assert.Contains("Exchange rates used for the EUR totals", text);
        Assert.Contains((string)view["exchangeRates"]![0]!["source"]!, text);
        Assert.Contains((string)checkpoint["rootHash"]!, Squeezed(text));
        Assert.Contains("ops/verify --history", text);
    }

    [Fact]
    public async Task the_portfolio_report_is_for_staff_and_names_the_field_it_refuses()
    {
        var customer = app.ClientFor(Roles.Customer, "Jane Buyer", Guid.NewGuid());
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync("/api/portfolio/report")).StatusCode);
        var executive = app.ClientFor(Roles.Executive);
        foreach (var (query, field) in new[] { ("format=xlsx", "format"), ("version=3", "version"), ("asOf=soon", "asOf"), ("currency=eur", "currency") })
        {
            var answer = await executive.GetAsync($"/api/portfolio/report?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            Assert.NotNull(JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["errors"]![field]);
        }
    }

    [Fact]
    public async Task the_portfolio_page_opens_the_printable_portfolio_report()
    {
        var view = await app.GetJsonAsync(app.ClientFor(Roles.Executive), "/api/portfolio");
        var page = await app.SignedInPageAsync(Roles.Executive);
        await page.GotoAsync(new Uri(app.BaseAddress, "/#/").ToString());
        await Assertions.Expect(page.GetByTestId("portfolio-kpis")).ToBeVisibleAsync();

        var report = await page.Context.RunAndWaitForPageAsync(() => page.GetByTestId("portfolio-report-html").ClickAsync());
        await Assertions.Expect(report.GetByRole(AriaRole.Heading, new() { Name = "Portfolio", Exact = true })).ToBeVisibleAsync();
        var first = view["totals"]!.AsArray()[0]!;
        await Assertions.Expect(report.Locator($"[data-currency={(string)first["currency"]!}] [data-figure=promisedValue]"))
            .ToHaveTextAsync($"{((decimal)first["promisedValue"]!).ToString("#,##0", Culture)} {(string)first["currency"]!}");
        await Assertions.Expect(report.Locator("table.accounts tr[data-account]")).ToHaveCountAsync(Math.Min((int)view["accounts"]!, 500));
        await BrowserFixture.ScreenshotAsync(report, "portfolio-report.png");
    }

    private async Task<string> AnOutcomeAccountAsync(HttpClient client)
    {
        var accounts = await app.GetJsonAsync(client, "/api/accounts?pageSize=200&approach=outcomeCentric");
        return (string)accounts["items"]!.AsArray().First(a => (string)a!["approach"]! == "outcomeCentric")!["id"]!;
    }

    private static string Squeezed(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static async Task<string> PdfTextAsync(byte[] pdf)
    {
        var file = Path.Combine(Path.GetTempPath(), $"value-report-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(file, pdf);
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pdftotext", $"-layout \"{file}\" -") { RedirectStandardOutput = true, RedirectStandardError = true })
                ?? throw new InvalidOperationException("pdftotext did not start (apt-get install poppler-utils; ops/test does it).");
            var text = await process.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, process.ExitCode);
            return text;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
