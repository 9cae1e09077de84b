using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Api.Tests.Outcomes;

namespace ValueLedger.Api.Tests.Browser;

/// <summary>
/// The customer portal beyond single figures: the settlements of an outcome contract to certify or dispute, and a
/// measurement's dispute thread (the dispute, customer success's answer and correction, the confirmation after it).
/// The figures are written through the API as staff and the customer would; the sign-offs happen in Chromium.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class when_a_customer_signs_off_in_the_portal(BrowserFixture app)
{
    private const string Customer = "Jane Buyer";
    private readonly HttpClient _staff = app.ClientFor(Roles.Csm, "sam.okafor");

    /// <summary>Two quarters that have ended: the commitment starts two quarters before the current one.</summary>
    private static readonly DateOnly Start = QuarterStart(BrowserFixture.Today).AddMonths(-6);

    [Fact]
    public async Task it_certifies_one_settlement_and_disputes_another_each_with_a_receipt()
    {
        var (accountId, commitmentId) = await OpenAsync("outcomeCentric");
        Assert.Equal(HttpStatusCode.Created, (await PutAsync($"{Commitment(accountId, commitmentId)}/contract", OutcomeContext.BandedTerms())).StatusCode);
        foreach (var (month, level) in new[] { (0, 90m), (1, 85m), (2, 80m), (3, 84m), (4, 82m), (5, 78m) })
            await ConfirmAsync(accountId, commitmentId, await RecordAsync(accountId, commitmentId, Start.AddMonths(month), level));
        var first = await SettleAsync(accountId, commitmentId, Start);
        var second = await SettleAsync(accountId, commitmentId, Start.AddMonths(3));

        var page = await app.SignedInPageAsync(Roles.Customer, accountId: accountId, name: Customer);
        await page.GotoAsync(new Uri(app.BaseAddress, $"/#/accounts/{accountId}/verify").ToString());
        var settlements = page.GetByTestId("settlements");
        await Assertions.Expect(settlements.GetByRole(AriaRole.Heading, new() { Name = "Settlements awaiting your certification" })).ToBeVisibleAsync();
        var certifyThis = settlements.Locator($"li.verify-item[data-settlement='{first}']");
        var disputeThis = settlements.Locator($"li.verify-item[data-settlement='{second}']");
        await Assertions.Expect(certifyThis).ToContainTextAsync("Fee");

        await certifyThis.GetByLabel("Comment, or why you dispute it").FillAsync("Matches our ledger.");
        await certifyThis.GetByRole(AriaRole.Button, new() { Name = "Certify" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("verify-status")).ToContainTextAsync("Certified:");
        var receipt = page.GetByTestId("receipt");
        await Assertions.Expect(receipt).ToContainTextAsync($"signed by {Customer}");
        await Assertions.Expect(receipt.GetByRole(AriaRole.Link, new() { Name = "Download receipt (JSON)" })).ToBeVisibleAsync();
        await Assertions.Expect(settlements.Locator($"[data-settlement='{first}']")).ToContainTextAsync($"certified by {Customer}");

        await disputeThis.GetByRole(AriaRole.Button, new() { Name = "Dispute" }).ClickAsync();
        await Assertions.Expect(disputeThis.GetByText("Say why you dispute this settlement")).ToBeVisibleAsync();
        await disputeThis.GetByLabel("Comment, or why you dispute it").FillAsync("The pilot line is counted twice.");
        await disputeThis.GetByRole(AriaRole.Button, new() { Name = "Dispute" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("verify-status")).ToContainTextAsync("Disputed:");
        await Assertions.Expect(settlements.Locator($"[data-settlement='{second}']")).ToContainTextAsync("disputed by Jane Buyer: The pilot line is counted twice.");
        await Assertions.Expect(settlements.GetByText("No settlement waits for your certification.")).ToBeVisibleAsync();

        var all = (await app.GetJsonAsync(_staff, $"{Commitment(accountId, commitmentId)}/settlements"))["settlements"]!.AsArray();
        var certified = all.Single(s => (Guid)s!["id"]! == first)!;
        Assert.Equal("certified", (string)certified["status"]!);
        Assert.Equal((Customer, "Matches our ledger."), ((string)certified["versions"]![0]!["verdict"]!["by"]!, (string)certified["versions"]![0]!["verdict"]!["comment"]!));
        Assert.Equal("disputed", (string)all.Single(s => (Guid)s!["id"]! == second)!["status"]!);
        await BrowserFixture.ScreenshotAsync(page, "portal-settlements.png");
    }

    [Fact]
    public async Task a_figure_recorded_while_the_customer_types_a_comment_redraws_the_page_without_losing_it()
    {
        var (accountId, commitmentId) = await OpenAsync("processCentric");
        var measurementId = await RecordAsync(accountId, commitmentId, Start, 90m);
        var page = await app.SignedInPageAsync(Roles.Customer, accountId: accountId, name: Customer);
        await page.GotoAsync(new Uri(app.BaseAddress, $"/#/accounts/{accountId}/verify").ToString());
        var comment = page.GetByTestId("pending").Locator($"[data-measurement='{measurementId}']").GetByLabel("Comment, or why you dispute it");
        await comment.FillAsync("Our plant log shows more");

        var later = await RecordAsync(accountId, commitmentId, Start.AddMonths(1), 88m);
        await Assertions.Expect(page.GetByTestId("pending").Locator($"[data-measurement='{later}']")).ToBeVisibleAsync();
        await Assertions.Expect(comment).ToHaveValueAsync("Our plant log shows more");
        await Assertions.Expect(comment).ToBeFocusedAsync();
    }

    [Fact]
    public async Task a_dispute_thread_shows_the_answer_and_the_correction_in_order_and_the_customer_confirms_again()
    {
        var (accountId, commitmentId) = await OpenAsync("processCentric");
        var measurementId = await RecordAsync(accountId, commitmentId, Start, 90m);
        var page = await app.SignedInPageAsync(Roles.Customer, accountId: accountId, name: Customer);
        await page.GotoAsync(new Uri(app.BaseAddress, $"/#/accounts/{accountId}/verify").ToString());

        var pending = page.GetByTestId("pending").Locator($"[data-measurement='{measurementId}']");
        await pending.GetByLabel("Comment, or why you dispute it").FillAsync("Our plant log shows more scrap.");
        await pending.GetByRole(AriaRole.Button, new() { Name = "Dispute" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("verify-status")).ToContainTextAsync("Disputed:");
        var open = page.GetByTestId("disputes").Locator($"[data-measurement='{measurementId}']");
        await Assertions.Expect(open.GetByTestId("thread")).ToContainTextAsync($"Disputed by {Customer}");
        await Assertions.Expect(open.GetByRole(AriaRole.Button, new() { Name = "Dispute" })).ToHaveCountAsync(0);

        var measurement = $"{Commitment(accountId, commitmentId)}/measurements/{measurementId}";
        Assert.Equal(HttpStatusCode.Created, (await BrowserFixture.PostJsonAsync(_staff, $"{measurement}/dispute/answers",
            new { comment = "We re-ran the meter export; one shift was missing." })).StatusCode);
        await page.ReloadAsync();
        await Assertions.Expect(open.GetByTestId("thread").Locator("li")).ToHaveCountAsync(2);
        await Assertions.Expect(open.GetByTestId("thread")).ToContainTextAsync("Answered by sam.okafor");

        Assert.Equal(HttpStatusCode.Created, (await BrowserFixture.PostJsonAsync(_staff, $"{measurement}/corrections",
            new { value = 93, reason = "Missing night shift added", evidenceUrl = "https://erp.example/scrap/rerun" })).StatusCode);
        await page.ReloadAsync();
        // The corrected figure is open again, with its thread, for the customer to answer.
        var again = page.GetByTestId("pending").Locator($"[data-measurement='{measurementId}']");
        await Assertions.Expect(again.GetByTestId("thread").Locator("li")).ToHaveCountAsync(3);
        await Assertions.Expect(again.GetByTestId("thread")).ToContainTextAsync("Corrected to 93 % by sam.okafor");
        await again.GetByLabel("Comment, or why you dispute it").FillAsync("Now it matches.");
        await again.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("verify-status")).ToContainTextAsync("Confirmed:");

        var thread = page.GetByTestId("resolved").Locator($"[data-thread='{measurementId}'] li");
        await Assertions.Expect(thread).ToHaveCountAsync(4);
        Assert.Equal(["disputed", "answered", "corrected", "confirmed"], await thread.EvaluateAllAsync<string[]>("steps => steps.map(s => s.dataset.step)"));
        await Assertions.Expect(thread.Nth(0)).ToContainTextAsync("Our plant log shows more scrap.");
        await Assertions.Expect(thread.Nth(1)).ToContainTextAsync("one shift was missing");
        await Assertions.Expect(thread.Nth(2)).ToContainTextAsync("Missing night shift added");
        await Assertions.Expect(thread.Nth(3)).ToContainTextAsync($"Confirmed by {Customer}");
        await Assertions.Expect(thread.Nth(3)).ToContainTextAsync("Now it matches.");
        await BrowserFixture.ScreenshotAsync(page, "portal-dispute-thread.png");
    }

    [Fact]
    public async Task customer_success_answers_a_dispute_and_records_a_confirmation_given_outside_the_system_on_the_account_page()
    {
        var (accountId, commitmentId) = await OpenAsync("processCentric");
        var disputed = await RecordAsync(accountId, commitmentId, Start, 90m);
        var confirmedByLetter = await RecordAsync(accountId, commitmentId, Start.AddMonths(1), 88m);
        Assert.Equal(HttpStatusCode.Created, (await BrowserFixture.PostJsonAsync(app.ClientFor(Roles.Customer, Customer, accountId),
            $"{Commitment(accountId, commitmentId)}/measurements/{disputed}/dispute", new { reason = "Our plant log shows more scrap." })).StatusCode);

        var page = await app.SignedInPageAsync(Roles.Csm, name: "sam.okafor");
        await page.GotoAsync(new Uri(app.BaseAddress, $"/#/accounts/{accountId}").ToString());
        var panel = page.Locator("section.commitment", new() { HasText = "Scrap rate" });
        // Staff see the dispute thread on the account page, with the customer's reason.
        await Assertions.Expect(panel.Locator($"[data-thread='{disputed}']")).ToContainTextAsync("Our plant log shows more scrap.");

        // Answer it: an empty answer is named at its field; the answer then joins the thread the customer reads.
        await panel.GetByText("Answer a dispute").ClickAsync();
        var answer = panel.GetByTestId("dispute-answer-form");
        await answer.GetByRole(AriaRole.Button, new() { Name = "Send answer" }).ClickAsync();
        await Assertions.Expect(answer.GetByLabel("Answer")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(answer.GetByLabel("Answer")).ToBeFocusedAsync();
        await answer.GetByLabel("Answer").FillAsync("We re-ran the meter export; one shift was missing.");
        await answer.GetByRole(AriaRole.Button, new() { Name = "Send answer" }).ClickAsync();
        await Assertions.Expect(panel.Locator($"[data-thread='{disputed}']")).ToContainTextAsync("Answered by sam.okafor");
        var measurement = await app.GetJsonAsync(_staff, $"{Commitment(accountId, commitmentId)}/measurements/{disputed}");
        Assert.Equal("We re-ran the meter export; one shift was missing.", (string)measurement["comments"]![0]!["comment"]!);

        // The customer confirmed the other figure in a letter: recorded on its behalf, never as the customer's own.
        await panel.GetByText("Record a confirmation on the customer's behalf").ClickAsync();
        var onBehalf = panel.GetByTestId("on-behalf-form");
        await onBehalf.GetByLabel("Measurement").SelectOptionAsync(confirmedByLetter.ToString());
        await onBehalf.GetByLabel("Confirmed by (at the customer)").FillAsync("Jane Buyer (CFO)");
        await onBehalf.GetByLabel("Evidence of the statement").FillAsync("Letter HF-2026-014");
        await onBehalf.GetByRole(AriaRole.Button, new() { Name = "Record confirmation" }).ClickAsync();
        await Assertions.Expect(panel.Locator($"details.measurements")).ToContainTextAsync("on the customer's behalf, recorded by sam.okafor");
        var letter = await app.GetJsonAsync(_staff, $"{Commitment(accountId, commitmentId)}/measurements/{confirmedByLetter}");
        Assert.Equal("confirmedOnBehalf", (string)letter["verification"]!);
        var step = letter["verifications"]![0]!;
        Assert.Equal(("Jane Buyer (CFO)", "Letter HF-2026-014"), ((string)step["statedBy"]!, (string)step["evidence"]!));
        await BrowserFixture.ScreenshotAsync(page, "console-dispute-answer.png");
    }

    [Fact]
    public async Task customer_success_asks_the_approvers_to_certify_and_the_e_mail_arrives()
    {
        var (accountId, commitmentId) = await OpenAsync("outcomeCentric");
        Assert.Equal(HttpStatusCode.Created, (await PutAsync($"{Commitment(accountId, commitmentId)}/contract", OutcomeContext.BandedTerms())).StatusCode);
        foreach (var (month, level) in new[] { (0, 90m), (1, 85m), (2, 80m) })
            await ConfirmAsync(accountId, commitmentId, await RecordAsync(accountId, commitmentId, Start.AddMonths(month), level));
        var settlement = await SettleAsync(accountId, commitmentId, Start);
        var approver = $"approver-{Guid.NewGuid():N}@harbourline.example";
        Assert.Equal(HttpStatusCode.Created, (await BrowserFixture.PostJsonAsync(_staff, $"/api/accounts/{accountId}/contacts",
            new { email = approver, name = "Astrid Berg", role = "approver" })).StatusCode);

        var page = await app.SignedInPageAsync(Roles.Csm, name: "sam.okafor");
        await page.GotoAsync(new Uri(app.BaseAddress, $"/#/accounts/{accountId}/verify").ToString());
        var item = page.GetByTestId("settlements").Locator($"li.verify-item[data-settlement='{settlement}']");
        await Assertions.Expect(item.GetByRole(AriaRole.Button, new() { Name = "Certify" })).ToHaveCountAsync(0); // the customer's act
        await item.GetByRole(AriaRole.Button, new() { Name = "Request certification" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("verify-status")).ToContainTextAsync("Certification requested");

        var mail = await app.Mail.WaitForAsync(approver, m => m.Subject.StartsWith("Please certify"));
        Assert.Contains("sam.okafor asks you to certify a settlement", mail.TextBody);
        Assert.Contains($"/#/accounts/{accountId}/verify", mail.TextBody);
    }

    private static DateOnly QuarterStart(DateOnly day) => new(day.Year, (day.Month - 1) / 3 * 3 + 1, 1);

    private static string Commitment(Guid accountId, Guid commitmentId) => $"/api/accounts/{accountId}/commitments/{commitmentId}";

    private async Task<(Guid AccountId, Guid CommitmentId)> OpenAsync(string approach)
    {
        var account = await BrowserFixture.PostJsonAsync(_staff, "/api/accounts", new
        {
            name = $"Harbourline Ferries {Guid.NewGuid().ToString("N")[..6]}", industry = "Shipping", segment = "enterprise", currency = "EUR",
            approach, owner = "sam.okafor"
        });
        Assert.Equal(HttpStatusCode.Created, account.StatusCode);
        var accountId = await IdOf(account);
        var commitment = await BrowserFixture.PostJsonAsync(_staff, $"/api/accounts/{accountId}/commitments", new
        {
            driver = "cost", metric = "Scrap rate", unit = "%", direction = "lowerIsBetter",
            baseline = new { value = 100, asOf = Start.AddDays(-1).ToString("O"), source = "ERP report" },
            target = 80, unitValue = 1000, periodStart = Start.ToString("O"), periodEnd = Start.AddYears(1).AddDays(-1).ToString("O"),
            cadence = "monthly", owner = "joint", confidence = "medium"
        });
        Assert.Equal(HttpStatusCode.Created, commitment.StatusCode);
        return (accountId, await IdOf(commitment));
    }

    private async Task<Guid> RecordAsync(Guid accountId, Guid commitmentId, DateOnly month, decimal value)
    {
        var response = await BrowserFixture.PostJsonAsync(_staff, $"{Commitment(accountId, commitmentId)}/measurements", new
        {
            periodStart = month.ToString("O"), periodEnd = month.AddMonths(1).AddDays(-1).ToString("O"), value, source = "system",
            evidenceUrl = "https://erp.example/scrap"
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await IdOf(response);
    }

    private async Task ConfirmAsync(Guid accountId, Guid commitmentId, Guid measurementId) =>
        Assert.Equal(HttpStatusCode.Created, (await BrowserFixture.PostJsonAsync(app.ClientFor(Roles.Customer, Customer, accountId),
            $"{Commitment(accountId, commitmentId)}/measurements/{measurementId}/confirmation", new { comment = "Fine" })).StatusCode);

    private async Task<Guid> SettleAsync(Guid accountId, Guid commitmentId, DateOnly quarter)
    {
        var response = await BrowserFixture.PostJsonAsync(_staff, $"{Commitment(accountId, commitmentId)}/settlements",
            new { periodStart = quarter.ToString("O"), periodEnd = quarter.AddMonths(3).AddDays(-1).ToString("O") });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await IdOf(response);
    }

    private async Task<HttpResponseMessage> PutAsync(string url, object body) =>
        await _staff.PutAsync(url, new StringContent(System.Text.Json.JsonSerializer.Serialize(body, IntegrationContext.JsonOptions),
            System.Text.Encoding.UTF8, "application/json"));

    private static async Task<Guid> IdOf(HttpResponseMessage response) =>
        (Guid)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!;
}
