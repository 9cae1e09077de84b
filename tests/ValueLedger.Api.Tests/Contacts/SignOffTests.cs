using System.Text.Json.Nodes;
using System.Net;
using System.Net.Http.Json;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Domain.Audit;

namespace ValueLedger.Api.Tests.Contacts;

public sealed class a_sign_off_receipt(AppFixture app) : ContactsContext(app)
{
    [Fact]
    public async Task names_the_sealed_event_and_proves_it_in_a_signed_checkpoint()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var measurementId = await RecordAsync(accountId, commitmentId, AMonth(1, 90));
        var customer = App.ClientFor(Roles.Customer, "Jane Buyer", accountId);

        var response = await customer.PostAsJsonAsync($"{Measurement(accountId, commitmentId, measurementId)}/dispute", new { reason = "Includes the pilot line" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var receipt = (await ReadAsync(response))["receipt"]!;
        Assert.Equal(accountId, (Guid)receipt["accountId"]!);
        var version = (long)receipt["version"]!;
        Assert.Equal(4, version);

        var history = (await App.ClientFor(Roles.Auditor).GetFromJsonAsync<JsonArray>($"/api/accounts/{accountId}/history"))!;
        var signed = history.Single(e => (long)e!["version"]! == version)!;
        Assert.Equal("measurement_disputed", (string)signed["type"]!);
        Assert.Equal((string)signed["hash"]!, (string)receipt["eventHash"]!);
        Assert.Equal((long)signed["sequence"]!, (long)receipt["sequence"]!);
        Assert.Equal((string)history[^1]!["hash"]!, (string)receipt["accountHead"]!["hash"]!);

        // The sign-off signed a checkpoint of the whole ledger that covers its event, and proves the event in it.
        var checkpoint = receipt["checkpoint"]!;
        var proof = receipt["inclusionProof"]!;
        Assert.True((long)checkpoint["treeSize"]! >= (long)receipt["sequence"]!);
        Assert.Equal((long)checkpoint["treeSize"]!, (long)proof["treeSize"]!);
        Assert.Equal((string)checkpoint["rootHash"]!, (string)proof["rootHash"]!);
        Assert.True(LedgerTree.VerifyInclusion((long)proof["leafIndex"]!, (long)proof["treeSize"]!, LedgerTree.LeafOfSeal((string)receipt["eventHash"]!),
            proof["auditPath"]!.AsArray().Select(p => Convert.FromHexString((string)p!)).ToList(), Convert.FromHexString((string)checkpoint["rootHash"]!)));
    }

    [Fact]
    public async Task verifies_offline_with_the_public_key_and_fails_when_altered()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var measurementId = await RecordAsync(accountId, commitmentId, AMonth(1, 90));
        var customer = App.ClientFor(Roles.Customer, "Jane Buyer", accountId);
        var response = await customer.PostAsJsonAsync($"{Measurement(accountId, commitmentId, measurementId)}/confirmation", new { comment = "Matches our books" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var folder = Directory.CreateTempSubdirectory("valueledger-receipt-").FullName;
        var receiptFile = Path.Combine(folder, "receipt.json");
        await File.WriteAllTextAsync(receiptFile, await response.Content.ReadAsStringAsync());
        var keyFile = Path.Combine(folder, "public-key.json");
        await File.WriteAllTextAsync(keyFile, await App.ClientFor(Roles.Auditor).GetStringAsync("/api/audit/public-key"));
        var historyFile = Path.Combine(folder, "history.jsonl");
        await File.WriteAllTextAsync(historyFile, await App.ClientFor(Roles.Auditor).GetStringAsync($"/api/accounts/{accountId}/history?format=jsonl"));

        var (code, output) = Verify("--receipt", receiptFile, "--public-key", keyFile, "--history", historyFile);
        Assert.True(code == 0, output);
        Assert.Contains("is in the checkpoint of tree size", output);

        // A receipt whose event hash was changed no longer leads to the signed root.
        var altered = JsonNode.Parse(await File.ReadAllTextAsync(receiptFile))!;
        var hash = (string)altered["receipt"]!["eventHash"]!;
        altered["receipt"]!["eventHash"] = (hash[0] == '0' ? "1" : "0") + hash[1..];
        await File.WriteAllTextAsync(receiptFile, altered.ToJsonString());
        (code, output) = Verify("--receipt", receiptFile, "--public-key", keyFile);
        Assert.Equal(1, code);
        Assert.Contains("inclusion proof fails", output);
    }

    [Fact]
    public async Task can_be_fetched_again_by_the_contact_and_only_for_a_sign_off()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var measurementId = await RecordAsync(accountId, commitmentId, AMonth(1, 90));
        var customer = App.ClientFor(Roles.Customer, "Jane Buyer", accountId);
        var signed = await ReadAsync(await customer.PostAsJsonAsync($"{Measurement(accountId, commitmentId, measurementId)}/confirmation", new { comment = "OK" }));
        var version = (long)signed["version"]!;

        var again = await customer.GetFromJsonAsync<JsonObject>($"/api/accounts/{accountId}/receipts/{version}");
        Assert.Equal((string)signed["receipt"]!["eventHash"]!, (string)again!["eventHash"]!);
        Assert.NotNull(again["inclusionProof"]);

        var notASignOff = await customer.GetAsync($"/api/accounts/{accountId}/receipts/1");
        Assert.Equal(HttpStatusCode.NotFound, notASignOff.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await customer.GetAsync($"/api/accounts/{accountId}/receipts/99")).StatusCode);
        var otherAccount = App.ClientFor(Roles.Customer, "Someone Else", Guid.NewGuid());
        Assert.Equal(HttpStatusCode.Forbidden, (await otherAccount.GetAsync($"/api/accounts/{accountId}/receipts/{version}")).StatusCode);
    }

    private static (int Code, string Output) Verify(params string[] args)
    {
        var output = new StringWriter();
        return (Verifier.Run(args, output), output.ToString());
    }
}

public sealed class a_dispute_thread_and_a_confirmation_on_behalf(AppFixture app) : ContactsContext(app)
{
    [Fact]
    public async Task every_step_is_an_event_and_on_behalf_is_never_the_customers_own()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var january = await RecordAsync(accountId, commitmentId, AMonth(1, 90));
        var route = Measurement(accountId, commitmentId, january);
        var customer = App.ClientFor(Roles.Customer, "Jane Buyer", accountId);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PostAsync($"{route}/dispute/answers", new { comment = "Nothing to answer" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await customer.PostAsJsonAsync($"{route}/dispute", new { reason = "Includes the pilot line" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync($"{route}/dispute/answers", new { comment = "Pilot line excluded, see page 3" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await customer.PostAsJsonAsync($"{route}/confirmation", new { comment = "Agreed after page 3" })).StatusCode);

        var history = (await App.ClientFor(Roles.Auditor).GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>($"/api/accounts/{accountId}/history"))!;
        Assert.Equal(["measurement_disputed", "measurement_dispute_answered", "measurement_confirmed"],
            history.Skip(3).Select(e => (string)e!["type"]!));
        var measurement = await GetJsonAsync(route);
        Assert.Equal("confirmed", (string)measurement["verification"]!);
        Assert.Equal("Pilot line excluded, see page 3", (string)measurement["comments"]![0]!["comment"]!);
    }

    [Fact]
    public async Task a_confirmation_on_behalf_is_shown_as_such_and_leaves_a_gap()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var january = await RecordAsync(accountId, commitmentId, AMonth(1, 90));
        var route = Measurement(accountId, commitmentId, january);

        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync($"{route}/confirmation-on-behalf", new { statedBy = "Erik Lund (CFO)" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync($"{route}/confirmation-on-behalf",
            new { statedBy = "Erik Lund (CFO)", evidence = "letter ref. AC-2026-017", comment = "Signed letter" })).StatusCode);

        var measurement = await GetJsonAsync(route);
        Assert.Equal("confirmedOnBehalf", (string)measurement["verification"]!);
        Assert.Equal("casey.csm", (string)measurement["verifiedBy"]!["by"]!);
        Assert.Equal("Erik Lund (CFO)", (string)measurement["verifiedBy"]!["statedBy"]!);
        var commitment = await GetJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}");
        Assert.Contains(commitment["gaps"]!.AsArray(), g => (string)g!["code"]! == "confirmedOnBehalf");
        Assert.NotEqual("high", (string)commitment["confidence"]!);
    }
}
