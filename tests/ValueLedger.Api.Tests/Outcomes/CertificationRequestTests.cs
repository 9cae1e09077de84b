using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ValueLedger.Api.Infrastructure;
using Wolverine.Tracking;

namespace ValueLedger.Api.Tests.Outcomes;

public sealed class a_settlement_certification_request(AppFixture app) : OutcomeContext(app)
{
    private static bool IsRequest(MimeKit.MimeMessage m) => m.Subject.StartsWith("Please certify");

    private async Task<(Guid AccountId, string Route)> SettledQuarterAsync()
    {
        var (accountId, commitmentId) = await OpenOutcomeCommitmentAsync();
        await AgreeAsync(accountId, commitmentId);
        await RecordQuarterAsync(accountId, commitmentId, [90, 85, 80]);
        App.Clock.Now = AfterTheFirstQuarter;
        var response = await PostAsync($"{Commitment(accountId, commitmentId)}/settlements", TheFirstQuarter());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (accountId, response.Headers.Location!.ToString());
    }

    private async Task<Guid> InviteAsync(Guid accountId, string email, string name, string role = "approver")
    {
        var response = await PostAsync($"/api/accounts/{accountId}/contacts", new { email, name, role });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await ReadAsync(response))["id"]!.GetValue<Guid>();
    }

    /// <summary>Sends the request and waits (bounded) until every message it caused, e-mails included, is handled.</summary>
    private async Task<HttpResponseMessage> RequestAsync(string route, object body, HttpClient? client = null)
    {
        HttpResponseMessage response = null!;
        await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(30)).ExecuteAndWaitAsync((Func<Wolverine.IMessageContext, Task>)(async _ =>
            response = await (client ?? Http).PostAsJsonAsync($"{route}/certification-request", body)));
        return response;
    }

    [Fact]
    public async Task is_recorded_and_mails_each_approver_a_link_to_the_portal_and_viewers_nothing()
    {
        var (accountId, route) = await SettledQuarterAsync();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        string approver = $"approver-{suffix}@buyer.example", viewer = $"viewer-{suffix}@buyer.example", revoked = $"gone-{suffix}@buyer.example";
        await InviteAsync(accountId, approver, "Ann Approver");
        await InviteAsync(accountId, viewer, "Val Viewer", "viewer");
        var gone = await InviteAsync(accountId, revoked, "Gus Gone");
        Assert.Equal(HttpStatusCode.OK, (await Http.DeleteAsync($"/api/accounts/{accountId}/contacts/{gone}")).StatusCode);

        var response = await RequestAsync(route, new { message = "Q1 is ready for your books.", requestedBy = "someone else" });

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var mail = Assert.Single(App.Mail.To(approver), IsRequest);
        Assert.Contains("casey.csm asks you to certify a settlement", mail.TextBody);
        Assert.Contains("2026-01-01 to 2026-03-31 (version 1)", mail.TextBody);
        Assert.Contains("fee 99250 EUR", mail.TextBody);
        Assert.Contains("Q1 is ready for your books.", mail.TextBody);
        Assert.Contains($"/#/accounts/{accountId}/verify", mail.TextBody);
        Assert.DoesNotContain(App.Mail.To(viewer), IsRequest);
        Assert.DoesNotContain(App.Mail.To(revoked), IsRequest);

        var history = (await App.ClientFor(Roles.Auditor).GetFromJsonAsync<JsonArray>($"/api/accounts/{accountId}/history"))!;
        var requested = history.Single(e => (string)e!["type"]! == "settlement_certification_requested")!;
        Assert.Equal("casey.csm", (string)requested["data"]!["requestedBy"]!);
        Assert.Equal(1, (int)requested["data"]!["version"]!);
        Assert.Equal([approver], requested["data"]!["recipients"]!.AsArray().Select(r => (string)r!));
        Assert.Equal("calculated", (string)(await GetJsonAsync(route))["status"]!);
    }

    [Fact]
    public async Task is_for_staff_writers_not_the_customer()
    {
        var (accountId, route) = await SettledQuarterAsync();
        var approver = $"ann-{Guid.NewGuid():N}@buyer.example";
        await InviteAsync(accountId, approver, "Ann Approver");

        Assert.Equal(HttpStatusCode.Forbidden, (await App.ClientFor(Roles.Customer, approver, accountId).PostAsJsonAsync($"{route}/certification-request", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await App.ClientFor(Roles.Executive).PostAsJsonAsync($"{route}/certification-request", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await RequestAsync(route, new { }, App.ClientFor(Roles.Csm, "casey.csm"))).StatusCode);
        Assert.Single(App.Mail.To(approver), IsRequest);
    }

    [Fact]
    public async Task is_not_found_for_an_unknown_settlement_and_refused_once_certified()
    {
        var (accountId, route) = await SettledQuarterAsync();
        await InviteAsync(accountId, $"ann-{Guid.NewGuid():N}@buyer.example", "Ann Approver");
        var unknown = route[..route.LastIndexOf('/')] + $"/{Guid.NewGuid()}";

        var missing = await Http.PostAsJsonAsync($"{unknown}/certification-request", new { });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType!.MediaType);

        var customer = App.ClientFor(Roles.Customer, "jane@buyer.example", accountId);
        Assert.Equal(HttpStatusCode.Created, (await customer.PostAsJsonAsync($"{route}/certification", new { comment = "Matches our books" })).StatusCode);
        var certified = await Http.PostAsJsonAsync($"{route}/certification-request", new { });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, certified.StatusCode);
        Assert.Equal("application/problem+json", certified.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Already certified", (string)(await ReadAsync(certified))["title"]!);
    }
}
