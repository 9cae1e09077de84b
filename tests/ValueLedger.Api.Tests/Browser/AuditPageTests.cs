using System.Net;
using Microsoft.Playwright;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class when_an_auditor_opens_the_audit_page(BrowserFixture app)
{
    [Fact]
    public async Task the_signature_is_checked_in_the_browser_and_the_downloads_verify_offline()
    {
        var signed = await BrowserFixture.PostJsonAsync(app.ClientFor(Roles.Admin), "/api/audit/checkpoints", new { });
        Assert.True(signed.IsSuccessStatusCode, $"signing a checkpoint answered {(int)signed.StatusCode}");
        var latest = await app.GetJsonAsync(app.ClientFor(Roles.Auditor), "/api/audit/checkpoints/latest");

        var page = await app.SignedInPageAsync(Roles.Auditor, name: "Robin Auditor");
        await page.GotoAsync(new Uri(app.BaseAddress, "/#/audit").ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Latest signed checkpoint" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("tree-size")).ToHaveTextAsync(((long)latest["treeSize"]!).ToString());
        await Assertions.Expect(page.GetByTestId("signature-state"))
            .ToHaveTextAsync("Signature valid: checked in this browser (WebCrypto Ed25519) against the published public key.");

        await page.GetByLabel("Account", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Castellan Steel" });
        var folder = Directory.CreateTempSubdirectory("vl-audit-").FullName;
        foreach (var (button, file) in new[] { ("Download history.jsonl", "history.jsonl"), ("Download checkpoint.json", "checkpoint.json"), ("Download key.json", "key.json") })
        {
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync());
            Assert.Equal(file, download.SuggestedFilename);
            await download.SaveAsAsync(Path.Combine(folder, file));
        }
        await Assertions.Expect(page.GetByTestId("verify-command"))
            .ToHaveTextAsync("ops/verify --history history.jsonl --checkpoint checkpoint.json --public-key key.json");

        var output = new StringWriter();
        var code = Verifier.Run(["--history", Path.Combine(folder, "history.jsonl"), "--checkpoint", Path.Combine(folder, "checkpoint.json"),
            "--public-key", Path.Combine(folder, "key.json")], output);
        Assert.True(code == 0, output.ToString());
        Assert.Contains("VERIFIED", output.ToString());
        await BrowserFixture.ScreenshotAsync(page, "audit.png");
    }

    [Fact]
    public async Task a_customer_success_manager_has_no_audit_link_and_the_api_refuses_the_files()
    {
        var page = await app.SignedInPageAsync(Roles.Csm);
        await page.GotoAsync(new Uri(app.BaseAddress, "/#/").ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Accounts" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Audit" })).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(Roles.Csm).GetAsync("/api/audit/public-key")).StatusCode);
    }
}
