using System.Text.Json.Nodes;
using Microsoft.Playwright;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests.Browser;

/// <summary>An auditor looks at an account as it stood at an earlier version, then comes back to live (issue 16, item 2).</summary>
[Collection(BrowserCollection.Name)]
public sealed class when_an_auditor_moves_the_as_of_control(BrowserFixture app)
{
    [Fact]
    public async Task the_page_shows_the_figures_of_that_version_marked_as_the_past_and_returns_to_live()
    {
        var csm = app.ClientFor(Roles.Csm);
        var opened = await BrowserFixture.PostJsonAsync(csm, "/api/accounts", IntegrationContext.AnAccount("Then And Now Ltd"));
        var accountId = (Guid)JsonNode.Parse(await opened.Content.ReadAsStringAsync())!["id"]!;
        var committed = await BrowserFixture.PostJsonAsync(csm, $"/api/accounts/{accountId}/commitments", IntegrationContext.ARecentCommitment());
        var commitmentId = (Guid)JsonNode.Parse(await committed.Content.ReadAsStringAsync())!["id"]!;
        (await BrowserFixture.PostJsonAsync(csm, $"/api/accounts/{accountId}/commitments/{commitmentId}/measurements",
            IntegrationContext.LastMonth(90))).EnsureSuccessStatusCode(); // version 3: 10,000 realized

        var page = await app.SignedInPageAsync(Roles.Auditor, name: "Aud Itor");
        await page.GotoAsync(new Uri(app.BaseAddress, $"/#/accounts/{accountId}").ToString());
        var control = page.GetByTestId("as-of");
        var slider = control.GetByLabel("Version");
        await Assertions.Expect(slider).ToHaveAttributeAsync("max", "3");
        var realized = page.GetByTestId("kpi-realized");
        await Assertions.Expect(realized).Not.ToHaveTextAsync("–");
        var liveRealized = await realized.TextContentAsync();

        await slider.EvaluateAsync("(el) => { el.value = '2'; el.dispatchEvent(new Event('change')); }");
        await Assertions.Expect(page.GetByTestId("as-of-state")).ToContainTextAsync("As it stood at version 2 of 3");
        await Assertions.Expect(control).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("as-of-past"));
        await Assertions.Expect(realized).Not.ToHaveTextAsync(liveRealized!);
        var then = await app.GetJsonAsync(app.ClientFor(Roles.Auditor), $"/api/accounts/{accountId}?version=2");
        Assert.Equal(0m, (decimal)then["realizedValue"]!);
        await BrowserFixture.ScreenshotAsync(page, "as-of.png");

        await control.GetByRole(AriaRole.Button, new() { Name = "Back to live" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("as-of-state")).ToHaveTextAsync("Live: the account as it stands now.");
        await Assertions.Expect(realized).ToHaveTextAsync(liveRealized!);
    }
}
