using System.Net;
using System.Net.Http.Json;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests.Contacts;

public sealed class a_sign_off_receipt(AppFixture app) : ContactsContext(app)
{
    [Fact]
    public async Task names_the_version_and_the_sealed_hash_of_the_event_it_created()
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

        var history = (await App.ClientFor(Roles.Auditor).GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>($"/api/accounts/{accountId}/history"))!;
        var signed = history.Single(e => (long)e!["version"]! == version)!;
        Assert.Equal("measurement_disputed", (string)signed["type"]!);
        Assert.Equal((string)signed["hash"]!, (string)receipt["eventHash"]!);
        Assert.Equal(64, ((string)receipt["eventHash"]!).Length);
        Assert.Equal("accountChainHead", (string)receipt["checkpoint"]!["kind"]!);
        Assert.Equal((string)history[^1]!["hash"]!, (string)receipt["checkpoint"]!["hash"]!);
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
