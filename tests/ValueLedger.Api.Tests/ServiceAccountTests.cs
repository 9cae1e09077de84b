using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests;

public sealed class when_a_machine_feeds_measurements_with_a_service_account(AppFixture app) : IntegrationContext(app)
{
    private HttpClient Admin => App.ClientFor(Roles.Admin, "ada.admin");

    private static StringContent Json(object body) => new(System.Text.Json.JsonSerializer.Serialize(body, JsonOptions), Encoding.UTF8, "application/json");

    [Fact]
    public async Task its_key_records_and_imports_system_measurements_authored_by_the_service_account()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var feed = await the_authorization_matrix.ServiceAccountClientAsync(App, accountId, "ERP nightly export");
        TimePassesUntilEnded(new DateOnly(2026, 3, 31));

        var recorded = await feed.PostAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/measurements",
            Json(new { periodStart = "2026-01-01", periodEnd = "2026-01-31", value = 90 }));
        Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
        var measurement = await GetJsonAsync(recorded.Headers.Location!.ToString());
        Assert.Equal("system", (string)measurement["source"]!);
        Assert.Equal("ERP nightly export", (string)measurement["recordedBy"]!);

        var imported = await feed.PostAsync($"/api/accounts/{accountId}/measurements/import", Json(new
        {
            rows = new[]
            {
                new { commitmentId, periodStart = "2026-02-01", periodEnd = "2026-02-28", value = 88m },
                new { commitmentId, periodStart = "2026-03-01", periodEnd = "2026-03-31", value = 86m }
            }
        }));
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var page = await GetJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/measurements");
        Assert.All(page["items"]!.AsArray(), m => Assert.Equal("system", (string)m!["source"]!));
        Assert.Equal(3, page["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task it_may_do_nothing_else_and_never_claims_another_source()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var (otherAccount, otherCommitment) = await OpenAccountWithCommitmentAsync();
        var feed = await the_authorization_matrix.ServiceAccountClientAsync(App, accountId);
        TimePassesUntilEnded(new DateOnly(2026, 1, 31));

        Assert.Equal(HttpStatusCode.Forbidden, (await feed.GetAsync($"/api/accounts/{accountId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await feed.GetAsync("/api/portfolio")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await feed.PostAsync($"/api/accounts/{otherAccount}/commitments/{otherCommitment}/measurements",
            Json(new { periodStart = "2026-01-01", periodEnd = "2026-01-31", value = 90 }))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await feed.PostAsync($"/api/accounts/{accountId}/prioritisation",
            Json(new { abilityToPay = "high", willingnessToPay = "low" }))).StatusCode);

        var manual = await feed.PostAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/measurements",
            Json(new { periodStart = "2026-01-01", periodEnd = "2026-01-31", value = 90, source = "manual" }));
        Assert.Equal(HttpStatusCode.BadRequest, manual.StatusCode);
        Assert.NotNull((await ReadAsync(manual))["errors"]!["source"]);
        var importedAsManual = await feed.PostAsync($"/api/accounts/{accountId}/measurements/import",
            Json(new { rows = new[] { new { commitmentId, periodStart = "2026-01-01", periodEnd = "2026-01-31", value = 90m, source = "manual" } } }));
        Assert.Equal(HttpStatusCode.BadRequest, importedAsManual.StatusCode);
        Assert.NotNull((await ReadAsync(importedAsManual))["errors"]!["rows[0].source"]);
        Assert.Equal(0, (int)(await GetJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/measurements"))["totalItems"]!);
    }

    [Fact]
    public async Task a_revoked_key_fails_on_its_next_request_and_keys_are_never_shown_again()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var created = await ReadAsync(await Admin.PostAsync("/api/service-accounts", Json(new { name = "Pipeline", accountIds = new[] { accountId } })));
        var key = (string)created["apiKey"]!;
        Assert.StartsWith("vlk_", key);
        var id = (Guid)created["serviceAccount"]!["id"]!;
        var feed = App.ClientFor(null);
        feed.DefaultRequestHeaders.Add("X-Api-Key", key);
        TimePassesUntilEnded(new DateOnly(2026, 2, 28));
        var url = $"/api/accounts/{accountId}/commitments/{commitmentId}/measurements";
        Assert.Equal(HttpStatusCode.Created, (await feed.PostAsync(url, Json(new { periodStart = "2026-01-01", periodEnd = "2026-01-31", value = 90 }))).StatusCode);

        var listed = await ReadAsync(await Admin.GetAsync("/api/service-accounts"));
        Assert.DoesNotContain(key, listed.ToJsonString());
        Assert.Equal(key[..12], (string)listed.AsArray().Single(s => (Guid)s!["id"]! == id)!["keyPrefix"]!);

        Assert.Equal(HttpStatusCode.OK, (await Admin.DeleteAsync($"/api/service-accounts/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await feed.PostAsync(url, Json(new { periodStart = "2026-02-01", periodEnd = "2026-02-28", value = 88 }))).StatusCode);

        var stranger = App.ClientFor(null);
        stranger.DefaultRequestHeaders.Add("X-Api-Key", "vlk_" + new string('x', 43));
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.PostAsync(url, Json(new { periodStart = "2026-02-01", periodEnd = "2026-02-28", value = 88 }))).StatusCode);

        var unknownAccount = await Admin.PostAsync("/api/service-accounts", Json(new { name = "Ghost", accountIds = new[] { Guid.NewGuid() } }));
        Assert.Equal(HttpStatusCode.BadRequest, unknownAccount.StatusCode);
        Assert.NotNull((await ReadAsync(unknownAccount))["errors"]!["accountIds"]);
    }
}
