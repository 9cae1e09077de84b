using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ValueLedger.Api.Features.Audit.Checkpoints;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Api.Tests.Audit;
using ValueLedger.Domain.Audit;

namespace ValueLedger.Api.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class when_an_auditor_opens_the_audit_page(BrowserFixture app)
{
    private const string LastSeenKey = "valueledger.audit.lastCheckpoint";

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
    public async Task the_browser_proves_each_later_checkpoint_extends_the_one_it_saw_and_names_a_rewritten_history()
    {
        var latest = await app.GetJsonAsync(app.ClientFor(Roles.Auditor), "/api/audit/checkpoints/latest");
        var page = await app.SignedInPageAsync(Roles.Auditor, name: "Robin Auditor");
        await page.GotoAsync(new Uri(app.BaseAddress, "/#/audit").ToString());
        await Assertions.Expect(page.GetByTestId("consistency-state")).ToContainTextAsync("First visit from this browser");
        var kept = JsonNode.Parse(await page.EvaluateAsync<string>("k => localStorage.getItem(k)", LastSeenKey))!;
        Assert.True((long)kept["treeSize"]! >= (long)latest["treeSize"]!, "the browser keeps the checkpoint it saw");

        // On an earlier visit the browser kept a smaller checkpoint; the ledger has moved on since: the page proves
        // the latest extends it.
        var first = app.EarlierCheckpoint;
        await page.EvaluateAsync("([k, v]) => localStorage.setItem(k, v)", new[] { LastSeenKey, first.ToJsonString() });
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("consistency-state"))
            .ToContainTextAsync($"Consistent: the latest checkpoint extends the checkpoint of {(long)first["treeSize"]!} events");
        await Assertions.Expect(page.GetByTestId("consistency-state")).ToHaveAttributeAsync("data-valid", "true");

        // The files for ops/verify include the kept checkpoint and the consistency proof, and verify offline.
        await page.GetByLabel("Account", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Castellan Steel" });
        await Assertions.Expect(page.GetByTestId("verify-command")).ToHaveTextAsync(
            "ops/verify --history history.jsonl --checkpoint checkpoint.json --public-key key.json --previous-checkpoint previous-checkpoint.json --consistency-proof consistency.json");
        var folder = Directory.CreateTempSubdirectory("vl-audit-").FullName;
        foreach (var file in new[] { "history.jsonl", "checkpoint.json", "key.json", "previous-checkpoint.json", "consistency.json" })
        {
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = $"Download {file}" }).ClickAsync());
            await download.SaveAsAsync(Path.Combine(folder, file));
        }
        var output = new StringWriter();
        var code = Verifier.Run(["--history", Path.Combine(folder, "history.jsonl"), "--checkpoint", Path.Combine(folder, "checkpoint.json"),
            "--public-key", Path.Combine(folder, "key.json"), "--previous-checkpoint", Path.Combine(folder, "previous-checkpoint.json"),
            "--consistency-proof", Path.Combine(folder, "consistency.json")], output);
        Assert.True(code == 0, output.ToString());
        Assert.Contains("previous checkpoint: tree size", output.ToString());

        // A validly signed checkpoint of a history the ledger does not extend (a fork, or a rewrite signed again):
        // the browser that kept it names the rewrite and keeps it, so the warning stands on the next visit too.
        var key = app.Services.GetRequiredService<CheckpointKey>();
        var forged = new Checkpoint((long)first["treeSize"]!, new string('a', 64), Checkpoint.Truncate(DateTimeOffset.UtcNow.AddDays(-1)), key.KeyId);
        var forgedSigned = new SignedCheckpoint(Checkpoint.Scheme, forged.TreeSize, forged.RootHash, forged.Timestamp, forged.KeyId,
            Convert.ToBase64String(key.Sign(forged.CanonicalText())));
        await page.EvaluateAsync("([k, v]) => localStorage.setItem(k, v)",
            new[] { LastSeenKey, System.Text.Json.JsonSerializer.Serialize(forgedSigned, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)) });
        for (var visit = 0; visit < 2; visit++)
        {
            await page.ReloadAsync();
            await Assertions.Expect(page.GetByTestId("consistency-state")).ToContainTextAsync("INCONSISTENT with the checkpoint of");
            await Assertions.Expect(page.GetByTestId("consistency-state")).ToHaveAttributeAsync("data-valid", "false");
        }
        await BrowserFixture.ScreenshotAsync(page, "audit-inconsistent.png");
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
