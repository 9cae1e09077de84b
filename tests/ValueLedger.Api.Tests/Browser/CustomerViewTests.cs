using System.Text.Json.Nodes;
using Microsoft.Playwright;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class when_a_customer_opens_its_view(BrowserFixture app)
{
    [Fact]
    public async Task it_confirms_a_measurement_and_the_ledger_records_it()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync(app.BaseAddress.ToString());
        await page.GetByRole(AriaRole.Radio, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Customer Sees") }).CheckAsync();
        await page.GetByLabel("Customer account").SelectOptionAsync(new SelectOptionValue { Label = "Tidewater Chemicals" });
        await page.GetByLabel("Your name").FillAsync("Erik Lund");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your value report: Tidewater Chemicals" })).ToBeVisibleAsync();
        var item = page.GetByTestId("pending").Locator("[data-measurement]").First;
        var measurementId = await item.GetAttributeAsync("data-measurement");
        await item.GetByLabel("Comment, or why you dispute it").FillAsync("Matches our energy invoices.");
        await item.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("verify-status")).ToContainTextAsync("Confirmed:");
        await Assertions.Expect(page.Locator($"[data-testid='pending'] [data-measurement='{measurementId}']")).ToHaveCountAsync(0);
        var measurement = await FindMeasurementAsync(await AccountIdAsync("Tidewater Chemicals"), measurementId!);
        Assert.Equal("confirmed", (string)measurement["verification"]!);
        Assert.Equal("Erik Lund", (string)measurement["verifiedBy"]!["by"]!);
        Assert.Equal("Matches our energy invoices.", (string)measurement["verifiedBy"]!["comment"]!);

        await BrowserFixture.ScreenshotAsync(page, "customer.png");
    }

    [Fact]
    public async Task a_dispute_needs_a_reason_before_it_is_sent()
    {
        var accountId = await AccountIdAsync("Quayside Breweries");
        var page = await app.SignedInPageAsync(Roles.Customer, accountId: accountId, name: "Fiona Walsh");
        await page.GotoAsync(new Uri(app.BaseAddress, $"/#/accounts/{accountId}/verify").ToString());
        var item = page.GetByTestId("pending").Locator("[data-measurement]").First;
        var measurementId = await item.GetAttributeAsync("data-measurement");

        await item.GetByRole(AriaRole.Button, new() { Name = "Dispute" }).ClickAsync();
        await Assertions.Expect(item.GetByText("Say why you dispute this figure")).ToBeVisibleAsync();
        await Assertions.Expect(item.GetByLabel("Comment, or why you dispute it")).ToBeFocusedAsync();

        await item.GetByLabel("Comment, or why you dispute it").FillAsync("Our brewhouse log shows more scrap this month.");
        await item.GetByRole(AriaRole.Button, new() { Name = "Dispute" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("verify-status")).ToContainTextAsync("Disputed:");
        var measurement = await FindMeasurementAsync(accountId, measurementId!);
        Assert.Equal("disputed", (string)measurement["verification"]!);
    }

    private async Task<Guid> AccountIdAsync(string name) =>
        (Guid)(await app.GetJsonAsync(app.ClientFor(Roles.Executive), "/api/accounts?pageSize=200"))["items"]!.AsArray().First(a => (string)a!["name"]! == name)!["id"]!;

    private async Task<JsonNode> FindMeasurementAsync(Guid accountId, string measurementId)
    {
        var client = app.ClientFor(Roles.Auditor);
        foreach (var commitment in (await app.GetJsonAsync(client, $"/api/accounts/{accountId}"))["commitments"]!.AsArray())
        {
            var view = await app.GetJsonAsync(client, $"/api/accounts/{accountId}/commitments/{commitment!["id"]}");
            if (view["measurements"]!.AsArray().FirstOrDefault(m => (string)m!["id"]! == measurementId) is { } found) return found;
        }
        throw new InvalidOperationException($"No measurement {measurementId} in account {accountId}.");
    }
}
