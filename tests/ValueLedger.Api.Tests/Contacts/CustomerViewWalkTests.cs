using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json.Nodes;
using ValueLedger.Api.Features.Accounts;
using ValueLedger.Api.Features.Commitments;
using ValueLedger.Api.Features.Live;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Api.Tests.Outcomes;
using Wolverine;

namespace ValueLedger.Api.Tests.Contacts;

/// <summary>
/// Walks every route a customer contact may read (taken from the authorization matrix, which fails for any mapped
/// route it does not list), at every version of its account, and every push its hub connection receives, and fails if
/// a staff-only field or the seller's internal note appears anywhere in what the customer gets.
/// </summary>
public sealed class what_a_customer_can_reach(AppFixture app) : OutcomeContext(app)
{
    private const string InternalNote = "INTERNAL: budget holder is weak, push for upsell";

    /// <summary>
    /// What the staff account view has and the customer view leaves out, plus the members of the prioritisation (its
    /// <c>note</c> is found by its text: a measurement's note is the customer's to read).
    /// </summary>
    private static readonly HashSet<string> StaffOnly = Members(typeof(AccountValueView)).Except(Members(typeof(CustomerAccountView)))
        .Concat(Members(typeof(PrioritisationView)).Except(["at", "note"])).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Pushes a customer cannot ask for (the test shows it is refused); every other kind must be heard.</summary>
    private static readonly string[] StaffOnlyPushes = [LiveMessages.PortfolioChanged];

    private static IEnumerable<string> Members(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => JsonNamingPolicyName(p.Name));

    private static string JsonNamingPolicyName(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    [Fact]
    public async Task no_route_version_or_push_carries_a_staff_only_field()
    {
        Assert.Contains("priorityTier", StaffOnly);
        Assert.Contains("abilityToPay", StaffOnly);
        var (accountId, commitmentId) = await OpenOutcomeCommitmentAsync();
        Assert.Equal(HttpStatusCode.Created, (await PostAsync($"/api/accounts/{accountId}/prioritisation",
            new { abilityToPay = "high", willingnessToPay = "low", note = InternalNote })).StatusCode);
        await AgreeAsync(accountId, commitmentId);
        var responsibility = await ReadAsync(await PostAsync($"/api/accounts/{accountId}/responsibilities",
            new { party = "customer", description = "Supply monthly usage data", commitmentId, cadence = "monthly", dueDayOfPeriod = 5 }));
        var customer = App.ClientFor(Roles.Customer, "Jane Buyer", accountId);
        await using var live = await LiveClient.ConnectAsync(Host, App.TokenFor(Roles.Customer, "Jane Buyer", accountId));
        await live.Connection.InvokeAsync("WatchAccount", accountId);
        await live.NextAsync("accountChanged");

        // A quarter measured (the last month behind the path, so the commitment turns at risk while the customer
        // watches), confirmed by the customer, then settled: every kind of thing a customer reads exists.
        var measurementId = await RecordAsync(accountId, commitmentId, AMonth(1, 96));
        var signed = await ReadAsync(await customer.PostAsJsonAsync(
            $"/api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}/confirmation", new { comment = "OK" }));
        await RecordAsync(accountId, commitmentId, AMonth(2, 99));
        await live.NextAsync(LiveMessages.CommitmentAtRisk, m => (Guid)m["commitmentId"]! == commitmentId);
        await RecordAsync(accountId, commitmentId, AMonth(3, 99));
        App.Clock.Now = AfterTheFirstQuarter;
        var settlement = await ReadAsync(await PostAsync($"{Commitment(accountId, commitmentId)}/settlements", TheFirstQuarter()));
        using var pdf = new ByteArrayContent("%PDF-1.7\n%%EOF\n"u8.ToArray());
        var evidence = await ReadAsync(await Http.PostAsync($"/api/accounts/{accountId}/evidence", new MultipartFormDataContent { { pdf, "file", "meter.pdf" } }));
        // The year ends short of the target: the miss is pushed to the customer as well.
        App.Clock.Now = new DateTimeOffset(2027, 1, 1, 0, 0, 1, TimeSpan.Zero);
        using (var scope = Host.Services.CreateScope())
            Assert.Null((await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync<Written>(new CheckTarget(accountId, commitmentId))).Rejection);
        await live.NextAsync(LiveMessages.CommitmentMissed, m => (Guid)m["commitmentId"]! == commitmentId);
        var version = (long)(await GetJsonAsync($"/api/accounts/{accountId}"))["version"]!;
        await live.NextAsync(LiveMessages.AccountChanged, m => (long)m["version"]! >= version);

        var ids = new Dictionary<string, string>
        {
            ["{accountId}"] = accountId.ToString(), ["{commitmentId}"] = commitmentId.ToString(), ["{measurementId}"] = measurementId.ToString(),
            ["{responsibilityId}"] = (string)responsibility["id"]!, ["{version}"] = ((long)signed["version"]!).ToString(),
            ["{settlementId}"] = (string)settlement["id"]!, ["{sha256}"] = (string)evidence["sha256"]!
        };
        var routes = the_authorization_matrix.Expected
            .Where(r => r.Key.StartsWith("GET /api/") && r.Value.Contains("customer"))
            .Select(r => r.Key["GET ".Length..]).ToList();
        Assert.NotEmpty(routes);

        var leaks = new List<string>();
        var read = 0;
        foreach (var pattern in routes)
        {
            var url = ids.Aggregate(pattern, (u, id) => u.Replace(id.Key, id.Value));
            // Every route parameter names something the fixture made: a route it cannot fill would be walked as a 404.
            Assert.DoesNotMatch("{[^}]+}", url);
            var current = await customer.GetAsync(url);
            Assert.True(current.StatusCode == HttpStatusCode.OK, $"{url}: {(int)current.StatusCode} (the walk must read every route it covers)");
            var urls = new List<string> { url, $"{url}?asOf={Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"))}" };
            for (var v = 1; v <= version; v++) urls.Add($"{url}?version={v}");
            foreach (var u in urls)
            {
                var response = await customer.GetAsync(u);
                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound or HttpStatusCode.BadRequest,
                    $"{u}: {(int)response.StatusCode}");
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.OK) read++;
                Scan(u, body, leaks);
            }
        }
        // Every push the customer's connection heard, of every kind the hub sends.
        var kinds = typeof(LiveMessages).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!).ToList();
        await Assert.ThrowsAsync<HubException>(() => live.Connection.InvokeAsync("WatchPortfolio"));
        foreach (var kind in kinds.Except(StaffOnlyPushes))
            Assert.True(live.Count(kind) > 0, $"no {kind} push reached the customer: provoke it in the fixture, or list it in StaffOnlyPushes and show the customer cannot get it");
        foreach (var kind in kinds)
            foreach (var push in live.Received(kind)) Scan($"{kind} push", push.ToJsonString(), leaks);

        Assert.True(read >= routes.Count, $"only {read} reads answered 200");
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));

        // The staff view of the same account does carry them: the scan looks for something that is there to leak.
        var staffView = await GetJsonAsync($"/api/accounts/{accountId}");
        var staffLeaks = new List<string>();
        Scan("staff view", staffView.ToJsonString(), staffLeaks);
        Assert.NotEmpty(staffLeaks);
    }

    private static void Scan(string where, string body, List<string> leaks)
    {
        if (body.Contains(InternalNote)) leaks.Add($"{where}: the internal prioritisation note");
        if (body.Length == 0 || body[0] is not ('{' or '[')) return;
        Walk(JsonNode.Parse(body), where, leaks);
    }

    private static void Walk(JsonNode? node, string path, List<string> leaks)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (StaffOnly.Contains(key)) leaks.Add($"{path}: staff-only field '{key}'");
                    Walk(value, $"{path}.{key}", leaks);
                }
                break;
            case JsonArray a:
                foreach (var item in a) Walk(item, path, leaks);
                break;
        }
    }
}
