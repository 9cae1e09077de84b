using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Api.Tests.Audit;
using ValueLedger.Api.Tests.Webhooks;

namespace ValueLedger.Api.Tests.Browser;

/// <summary>An admin wires the ledger to other systems in the browser: webhooks with their log, service accounts (issue 17, item 5).</summary>
[Collection(BrowserCollection.Name)]
public sealed class when_an_admin_manages_integrations(BrowserFixture app)
{
    [Fact]
    public async Task a_webhook_is_subscribed_its_delivery_shown_and_a_service_account_made_used_and_revoked()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var csm = app.ClientFor(Roles.Csm);
        var opened = await BrowserFixture.PostJsonAsync(csm, "/api/accounts", IntegrationContext.AnAccount("Hooked Ltd"));
        var accountId = (Guid)JsonNode.Parse(await opened.Content.ReadAsStringAsync())!["id"]!;
        var committed = await BrowserFixture.PostJsonAsync(csm, $"/api/accounts/{accountId}/commitments", IntegrationContext.ARecentCommitment());
        var commitmentId = (Guid)JsonNode.Parse(await committed.Content.ReadAsStringAsync())!["id"]!;

        var page = await app.SignedInPageAsync(Roles.Admin, name: "Ada Admin");
        page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        await page.GotoAsync(new Uri(app.BaseAddress, "/#/integrations").ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Integrations" })).ToBeVisibleAsync();

        // Subscribe: a malformed URL is named at its field; then the secret is shown once.
        var webhooks = page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Webhooks" }) });
        await webhooks.GetByLabel("Destination URL").FillAsync("not a url");
        await webhooks.GetByRole(AriaRole.Button, new() { Name = "Subscribe" }).ClickAsync();
        await Assertions.Expect(webhooks.GetByLabel("Destination URL")).ToHaveAttributeAsync("aria-invalid", "true");
        await webhooks.GetByLabel("Destination URL").FillAsync(receiver.Url);
        await webhooks.GetByLabel("Event types").FillAsync("valueledger.measurement.recorded");
        await webhooks.GetByRole(AriaRole.Button, new() { Name = "Subscribe" }).ClickAsync();
        await Assertions.Expect(webhooks.GetByTestId("secret")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^whsec_"));
        var row = webhooks.Locator("tr", new() { HasText = receiver.Url });
        await Assertions.Expect(row).ToContainTextAsync("Active");

        // A recorded measurement reaches the receiver, and the log says so.
        (await BrowserFixture.PostJsonAsync(csm, $"/api/accounts/{accountId}/commitments/{commitmentId}/measurements",
            IntegrationContext.LastMonth(90, 1, 10))).EnsureSuccessStatusCode();
        await Eventually.Async(() => Task.FromResult(receiver.Received.Any(r => r.Body.Contains(accountId.ToString()))),
            TimeSpan.FromSeconds(30), "the delivery at the receiver");
        await row.GetByRole(AriaRole.Button, new() { Name = "Deliveries" }).ClickAsync();
        var delivered = webhooks.GetByTestId("deliveries").Locator("tr[data-status=delivered]");
        await Assertions.Expect(delivered).ToContainTextAsync("valueledger.measurement.recorded");
        await Assertions.Expect(delivered).ToContainTextAsync("HTTP 204");

        await row.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await Assertions.Expect(webhooks.Locator("tr", new() { HasText = receiver.Url }).First).ToContainTextAsync("Paused");
        var admin = app.ClientFor(Roles.Admin);
        Assert.True((bool)(await app.GetJsonAsync(admin, "/api/webhooks")).AsArray().Single(w => (string)w!["url"]! == receiver.Url)!["paused"]!);

        // A service account for the account: its key is shown once and records as a feed.
        var feeds = page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Service accounts" }) });
        await feeds.GetByLabel("Name").FillAsync("ERP export");
        await feeds.GetByLabel("Hooked Ltd").CheckAsync();
        await feeds.GetByRole(AriaRole.Button, new() { Name = "Make key" }).ClickAsync();
        var key = await feeds.GetByTestId("secret").TextContentAsync();
        Assert.StartsWith("vlk_", key);
        await Assertions.Expect(feeds.Locator("tr", new() { HasText = "ERP export" })).ToContainTextAsync("Hooked Ltd");
        using var feed = new HttpClient { BaseAddress = app.BaseAddress };
        feed.DefaultRequestHeaders.Add(Security.ApiKeyHeader, key);
        Assert.Equal(HttpStatusCode.Created, (await BrowserFixture.PostJsonAsync(feed,
            $"/api/accounts/{accountId}/commitments/{commitmentId}/measurements", IntegrationContext.LastMonth(91, 11, 20))).StatusCode);

        // Revoked: the page says so, and the key no longer works.
        await feeds.Locator("tr", new() { HasText = "ERP export" }).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Assertions.Expect(feeds.Locator("tr", new() { HasText = "ERP export" })).ToContainTextAsync("Revoked");
        Assert.Equal(HttpStatusCode.Unauthorized, (await BrowserFixture.PostJsonAsync(feed,
            $"/api/accounts/{accountId}/commitments/{commitmentId}/measurements", IntegrationContext.LastMonth(92, 21, 25))).StatusCode);
        await BrowserFixture.ScreenshotAsync(page, "integrations.png");

        // Deleted: the subscription leaves the list.
        await webhooks.Locator("tr", new() { HasText = receiver.Url }).First.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(webhooks.Locator("tr", new() { HasText = receiver.Url })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task a_member_of_staff_sets_their_e_mail_from_their_name_in_the_top_bar()
    {
        var page = await app.SignedInPageAsync(Roles.Csm, name: "Sam Settings");
        await page.GotoAsync(new Uri(app.BaseAddress, "/#/accounts").ToString());
        await page.GetByTitle("Your e-mail settings").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "E-mail settings" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Owner name on accounts")).ToHaveValueAsync("Sam Settings");

        var form = page.GetByTestId("settings-form");
        await form.GetByLabel("E-mail address").FillAsync("not an address");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Assertions.Expect(form.GetByLabel("E-mail address")).ToHaveAttributeAsync("aria-invalid", "true");
        await form.GetByLabel("E-mail address").FillAsync("sam@seller.example");
        await form.GetByLabel("turns at risk", new() { Exact = false }).UncheckAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("settings-status")).ToHaveTextAsync("Saved.");

        var saved = await app.GetJsonAsync(app.ClientFor(Roles.Csm, "Sam Settings"), "/api/me/notifications");
        Assert.Equal(("sam@seller.example", false, true), ((string)saved["email"]!, (bool)saved["atRiskAlerts"]!, (bool)saved["missedAlerts"]!));
    }

    [Fact]
    public async Task only_admins_see_the_page_in_the_menu()
    {
        var page = await app.SignedInPageAsync(Roles.Csm);
        await page.GotoAsync(new Uri(app.BaseAddress, "/#/accounts").ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Accounts" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation).GetByText("Integrations")).ToHaveCountAsync(0);
    }
}
