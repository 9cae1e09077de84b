using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests.Browser;

/// <summary>
/// axe-core (Deque.AxeCore.Playwright) over every page of the dashboard, on the demo portfolio in real Chromium
/// (issue 16, item 6): no violation of serious or critical impact, whoever is signed in.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class when_the_dashboard_is_checked_for_accessibility(BrowserFixture app)
{
    private async Task<Guid> AccountIdAsync(string name) =>
        (Guid)(await app.GetJsonAsync(app.ClientFor(Roles.Executive), "/api/accounts?pageSize=200"))["items"]!.AsArray()
            .First(a => (string)a!["name"]! == name)!["id"]!;

    private static async Task ExpectNoSeriousViolationsAsync(IPage page, string what)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{what}: " + string.Join("; ", serious.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => n.Target?.ToString()))}")));
    }

    [Fact]
    public async Task staff_pages_have_no_serious_violations()
    {
        var accountId = await AccountIdAsync("Quayside Breweries");
        var page = await app.SignedInPageAsync(Roles.Admin, name: "Ada Admin");
        foreach (var (route, ready) in new[]
                 {
                     ("/#/", "portfolio-kpis"), ("/#/accounts", null), ($"/#/accounts/{accountId}", "account-facts"),
                     ($"/#/accounts/{accountId}/history", null), ("/#/audit", null), ("/#/integrations", null), ("/#/settings", null)
                 })
        {
            await page.GotoAsync(new Uri(app.BaseAddress, route).ToString());
            if (ready is not null) await Assertions.Expect(page.GetByTestId(ready)).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("main h1").First).ToBeVisibleAsync();
            await ExpectNoSeriousViolationsAsync(page, route);
        }
    }

    [Fact]
    public async Task the_customers_view_and_the_sign_in_have_no_serious_violations()
    {
        var accountId = await AccountIdAsync("Quayside Breweries");
        var customer = await app.SignedInPageAsync(Roles.Customer, accountId: accountId, name: "Fiona Walsh");
        await customer.GotoAsync(new Uri(app.BaseAddress, $"/#/accounts/{accountId}/verify").ToString());
        await Assertions.Expect(customer.GetByTestId("pending")).ToBeVisibleAsync();
        await ExpectNoSeriousViolationsAsync(customer, "the customer's verification view");

        var signIn = await app.NewPageAsync();
        await signIn.GotoAsync(app.BaseAddress.ToString());
        await Assertions.Expect(signIn.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await ExpectNoSeriousViolationsAsync(signIn, "sign-in");
    }
}
