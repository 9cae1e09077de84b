using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests.Browser;

/// <summary>Customer success works in the browser: open an account, commit value, record and correct a figure (issue 16).</summary>
[Collection(BrowserCollection.Name)]
public sealed class when_customer_success_works_in_the_console(BrowserFixture app)
{
    [Fact]
    public async Task an_account_is_opened_committed_measured_and_corrected_with_field_errors_shown_at_their_field()
    {
        var page = await app.SignedInPageAsync(Roles.Csm, name: "Casey Csm");
        await page.GotoAsync(new Uri(app.BaseAddress, "/#/accounts").ToString());

        // Open an account.
        await page.GetByText("Open an account").ClickAsync();
        var open = page.GetByTestId("open-account-form");
        await open.GetByLabel("Name").FillAsync("Console Works GmbH");
        await open.GetByLabel("Industry").FillAsync("Packaging");
        await open.GetByLabel("Owner (customer success)").FillAsync("casey");
        await open.GetByRole(AriaRole.Button, new() { Name = "Open account" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Console Works GmbH" })).ToBeVisibleAsync();
        var accountId = Guid.Parse(Regex.Match(page.Url, "accounts/([0-9a-f-]{36})").Groups[1].Value);
        var csm = app.ClientFor(Roles.Csm);
        Assert.Equal("Packaging", (string)(await app.GetJsonAsync(csm, $"/api/accounts/{accountId}"))["industry"]!);

        // Add a commitment: an end before the start is named at its field, with the focus on it.
        await page.GetByText("Add a commitment").ClickAsync();
        var commit = page.GetByTestId("commitment-form");
        await commit.GetByLabel("Metric").FillAsync("Scrap rate");
        await commit.GetByLabel("Unit", new() { Exact = true }).FillAsync("%");
        await commit.GetByLabel("Baseline", new() { Exact = true }).FillAsync("100");
        await commit.GetByLabel("Baseline as of").FillAsync("2025-12-31");
        await commit.GetByLabel("Target").FillAsync("80");
        await commit.GetByLabel("Value per unit of improvement").FillAsync("1000");
        await commit.GetByLabel("From", new() { Exact = true }).FillAsync("2026-01-01");
        await commit.GetByLabel("To", new() { Exact = true }).FillAsync("2025-06-30");
        await commit.GetByRole(AriaRole.Button, new() { Name = "Add commitment" }).ClickAsync();
        var to = commit.GetByLabel("To", new() { Exact = true });
        await Assertions.Expect(to).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(to).ToBeFocusedAsync();
        await Assertions.Expect(commit.Locator("[data-error-for=periodEnd]")).ToContainTextAsync("periodEnd must not be before periodStart");
        await to.FillAsync("2026-12-31");
        await commit.GetByRole(AriaRole.Button, new() { Name = "Add commitment" }).ClickAsync();
        var panel = page.Locator("section.commitment", new() { HasText = "Scrap rate" });
        await Assertions.Expect(panel).ToBeVisibleAsync();
        var account = await app.GetJsonAsync(csm, $"/api/accounts/{accountId}");
        var commitmentId = Guid.Parse((string)account["commitments"]![0]!["id"]!);

        // Record January with its evidence.
        await panel.GetByText("Record a measurement").ClickAsync();
        var record = panel.GetByTestId("measurement-form");
        await record.GetByLabel("Period from").FillAsync("2026-01-01");
        await record.GetByLabel("Period to").FillAsync("2026-01-31");
        await record.GetByLabel("Measured value").FillAsync("90");
        await record.GetByLabel("Evidence link").FillAsync("https://erp.example/scrap/2026-01");
        await record.GetByRole(AriaRole.Button, new() { Name = "Record measurement" }).ClickAsync();
        await Assertions.Expect(panel.Locator("details.measurements summary")).ToHaveTextAsync("1 measurements");
        await Assertions.Expect(panel.GetByTestId("time-to-value")).ToContainTextAsync("first improvement by 31 Jan 2026");
        var measurements = await app.GetJsonAsync(csm, $"/api/accounts/{accountId}/commitments/{commitmentId}/measurements");
        var january = measurements["items"]![0]!;
        Assert.Equal(90m, (decimal)january["value"]!);
        Assert.Equal("https://erp.example/scrap/2026-01", (string)january["evidenceUrl"]!);
        Assert.Equal("Casey Csm", (string)january["recordedBy"]!);

        // Correct it: the reason is required, and named at its field.
        await panel.GetByText("Correct a measurement").ClickAsync();
        var correct = panel.GetByTestId("correction-form");
        await correct.GetByLabel("Corrected value").FillAsync("91");
        await correct.GetByRole(AriaRole.Button, new() { Name = "Record correction" }).ClickAsync();
        await Assertions.Expect(correct.GetByLabel("Reason")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(correct.GetByLabel("Reason")).ToBeFocusedAsync();
        await correct.GetByLabel("Reason").FillAsync("ERP export double-counted one line");
        await correct.GetByRole(AriaRole.Button, new() { Name = "Record correction" }).ClickAsync();
        await Assertions.Expect(panel.Locator(".correction")).ToContainTextAsync("90 → 91");
        var correctedJanuary = (await app.GetJsonAsync(csm, $"/api/accounts/{accountId}/commitments/{commitmentId}/measurements"))["items"]![0]!;
        Assert.Equal(91m, (decimal)correctedJanuary["value"]!);
        Assert.Equal(2, (int)correctedJanuary["revision"]!);
        await BrowserFixture.ScreenshotAsync(page, "console-account.png");

        // Revise the target: with nothing to change the form says so; then from this month on.
        await panel.GetByText("Revise the terms").ClickAsync();
        var revise = panel.GetByTestId("revision-form");
        await revise.GetByLabel("Reason").FillAsync("Customer raised the ambition");
        await revise.GetByRole(AriaRole.Button, new() { Name = "Record revision" }).ClickAsync();
        await Assertions.Expect(revise.Locator("[data-error-for=terms]")).ToContainTextAsync("Give at least one of");
        await revise.GetByLabel("New target").FillAsync("75");
        await revise.GetByLabel("Effective from").FillAsync(new DateOnly(BrowserFixture.Today.Year, BrowserFixture.Today.Month, 1).ToString("O"));
        await revise.GetByRole(AriaRole.Button, new() { Name = "Record revision" }).ClickAsync();
        await Assertions.Expect(panel.Locator("ul.revisions")).ToContainTextAsync("target 75");
        var commitment = await app.GetJsonAsync(csm, $"/api/accounts/{accountId}/commitments/{commitmentId}");
        Assert.Equal(75m, (decimal)commitment["currentTerms"]!["target"]!);

        // Edit the account's details: the form opens with the current ones.
        await page.GetByText("Edit details", new() { Exact = true }).ClickAsync();
        var details = page.GetByTestId("details-form");
        await Assertions.Expect(details.GetByLabel("Name")).ToHaveValueAsync("Console Works GmbH");
        await details.GetByLabel("Segment").FillAsync("strategic");
        await details.GetByRole(AriaRole.Button, new() { Name = "Save details" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("account-facts")).ToContainTextAsync("Strategic");
        Assert.Equal("strategic", (string)(await app.GetJsonAsync(csm, $"/api/accounts/{accountId}"))["segment"]!);

        // Prioritise the account, then withdraw the commitment: its forms go, its history stays.
        await page.GetByText("Prioritise", new() { Exact = true }).ClickAsync();
        var prioritise = page.GetByTestId("prioritisation-form");
        await prioritise.GetByLabel("Ability to pay").SelectOptionAsync("high");
        await prioritise.GetByLabel("Willingness to pay").SelectOptionAsync("high");
        await prioritise.GetByRole(AriaRole.Button, new() { Name = "Record prioritisation" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("account-facts")).ToContainTextAsync("priority: ");
        await Assertions.Expect(page.GetByTestId("account-facts")).Not.ToContainTextAsync("Unassessed");
        Assert.NotEqual("unassessed", (string)(await app.GetJsonAsync(csm, $"/api/accounts/{accountId}"))["priorityTier"]!);

        await panel.GetByText("Withdraw", new() { Exact = true }).ClickAsync();
        var withdraw = panel.GetByTestId("withdrawal-form");
        await withdraw.GetByLabel("Reason").FillAsync("Line closed");
        await withdraw.GetByRole(AriaRole.Button, new() { Name = "Withdraw commitment" }).ClickAsync();
        await Assertions.Expect(panel.Locator(".badge").First).ToHaveTextAsync("Withdrawn");
        await Assertions.Expect(panel.GetByTestId("measurement-form")).ToHaveCountAsync(0);
        Assert.Equal("withdrawn", (string)(await app.GetJsonAsync(csm, $"/api/accounts/{accountId}/commitments/{commitmentId}"))["status"]!);
    }

    [Fact]
    public async Task leaving_a_form_with_unsent_input_asks_first_and_staying_keeps_what_was_typed()
    {
        var page = await app.SignedInPageAsync(Roles.Csm, name: "Casey Csm");
        await page.GotoAsync(new Uri(app.BaseAddress, "/#/accounts").ToString());
        await page.GetByText("Open an account").ClickAsync();
        var open = page.GetByTestId("open-account-form");
        await open.GetByLabel("Name").FillAsync("Half-typed GmbH");

        // Stay: the question is asked, the page and what was typed stay.
        var asked = new List<string>();
        async void Dismiss(object? _, IDialog dialog) { asked.Add(dialog.Message); await dialog.DismissAsync(); }
        page.Dialog += Dismiss;
        await page.GetByRole(AriaRole.Link, new() { Name = "Portfolio" }).ClickAsync();
        await Assertions.Expect(open.GetByLabel("Name")).ToHaveValueAsync("Half-typed GmbH");
        Assert.Contains("not sent", Assert.Single(asked));
        Assert.EndsWith("#/accounts", page.Url);
        page.Dialog -= Dismiss;

        // Leave: accepted, the portfolio opens.
        async void Accept(object? _, IDialog dialog) => await dialog.AcceptAsync();
        page.Dialog += Accept;
        await page.GetByRole(AriaRole.Link, new() { Name = "Portfolio" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Portfolio", Exact = true })).ToBeVisibleAsync();
        page.Dialog -= Accept;

        // With nothing typed, nothing is asked (an unanswered question would keep the page).
        await page.GotoAsync(new Uri(app.BaseAddress, "/#/accounts").ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Accounts" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Portfolio" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Portfolio", Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task readers_get_no_forms()
    {
        var page = await app.SignedInPageAsync(Roles.Executive);
        await page.GotoAsync(new Uri(app.BaseAddress, "/#/accounts").ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Accounts" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Open an account")).ToHaveCountAsync(0);
        await page.Locator("table a").First.ClickAsync();
        await Assertions.Expect(page.Locator("section.commitment").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Record a measurement")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByText("Add a commitment")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task a_spreadsheet_is_checked_its_bad_row_shown_then_fixed_and_imported()
    {
        var csm = app.ClientFor(Roles.Csm, "Casey Csm");
        var account = await BrowserFixture.PostJsonAsync(csm, "/api/accounts", new
        {
            name = $"Import Works {Guid.NewGuid().ToString("N")[..6]}", industry = "Packaging", segment = "enterprise", currency = "EUR",
            approach = "processCentric", owner = "casey"
        });
        var accountId = (Guid)System.Text.Json.Nodes.JsonNode.Parse(await account.Content.ReadAsStringAsync())!["id"]!;
        var commitment = await BrowserFixture.PostJsonAsync(csm, $"/api/accounts/{accountId}/commitments", new
        {
            driver = "cost", metric = "Scrap rate", unit = "%", direction = "lowerIsBetter",
            baseline = new { value = 100, asOf = "2025-12-31", source = "ERP report" },
            target = 80, unitValue = 1000, periodStart = "2026-01-01", periodEnd = "2026-12-31", cadence = "monthly", owner = "joint", confidence = "medium"
        });
        var commitmentId = (Guid)System.Text.Json.Nodes.JsonNode.Parse(await commitment.Content.ReadAsStringAsync())!["id"]!;
        var page = await app.SignedInPageAsync(Roles.Csm, name: "Casey Csm");
        await page.GotoAsync(new Uri(app.BaseAddress, $"/#/accounts/{accountId}").ToString());

        await page.GetByText("Import measurements").ClickAsync();
        var import = page.GetByTestId("import-form");
        string Csv(string march) => $"commitmentId,periodStart,periodEnd,value\n{commitmentId},2026-01-01,2026-01-31,90\n{commitmentId},2026-02-01,2026-02-28,88\n{commitmentId},2026-03-01,2026-03-31,{march}\n";
        await import.GetByLabel("Spreadsheet").SetInputFilesAsync(new FilePayload { Name = "scrap.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(Csv("eighty-six")) });
        await import.GetByRole(AriaRole.Button, new() { Name = "Check the file" }).ClickAsync();
        var preview = import.GetByTestId("import-preview");
        await Assertions.Expect(preview.GetByTestId("import-summary")).ToContainTextAsync("1 of 3 rows need a change");
        await Assertions.Expect(preview.Locator("tr[data-row='line 4']")).ToContainTextAsync("value: Use a decimal number");
        await Assertions.Expect(preview.Locator("tr[data-row='line 2']")).ToContainTextAsync("Scrap rate");
        await Assertions.Expect(import.GetByRole(AriaRole.Button, new() { Name = "Import" })).ToBeDisabledAsync();
        Assert.Equal(0, (int)(await app.GetJsonAsync(csm, $"/api/accounts/{accountId}/commitments/{commitmentId}"))["measurementCount"]!);

        // Fixed in the spreadsheet, checked again, imported.
        await import.GetByLabel("Spreadsheet").SetInputFilesAsync(new FilePayload { Name = "scrap.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(Csv("86")) });
        await import.GetByRole(AriaRole.Button, new() { Name = "Check the file" }).ClickAsync();
        await Assertions.Expect(preview.GetByTestId("import-summary")).ToContainTextAsync("All 3 rows can be imported");
        await BrowserFixture.ScreenshotAsync(page, "console-import-preview.png");
        await import.GetByRole(AriaRole.Button, new() { Name = "Import 3 rows" }).ClickAsync();
        await Assertions.Expect(preview.GetByTestId("import-summary")).ToContainTextAsync("Imported 3 measurements");
        var measurements = (await app.GetJsonAsync(csm, $"/api/accounts/{accountId}/commitments/{commitmentId}/measurements"))["items"]!.AsArray();
        Assert.Equal(3, measurements.Count);
        Assert.All(measurements, m => Assert.Equal("import", (string)m!["source"]!));
    }
}
