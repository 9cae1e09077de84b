using System.Net;
using System.Net.Http.Json;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests.Outcomes;

public sealed class when_responsibilities_are_assigned(AppFixture app) : OutcomeContext(app)
{
    private static object MonthlyData(Guid? commitmentId) =>
        new { party = "customer", description = "Supply monthly usage data", commitmentId, cadence = "monthly", dueDayOfPeriod = 5 };

    [Fact]
    public async Task a_recurring_and_a_one_off_responsibility_are_recorded_for_either_party()
    {
        var (accountId, commitmentId) = await OpenOutcomeCommitmentAsync();
        var recurring = await PostAsync($"/api/accounts/{accountId}/responsibilities", MonthlyData(commitmentId));
        Assert.Equal(HttpStatusCode.Created, recurring.StatusCode);
        var oneOff = await PostAsync($"/api/accounts/{accountId}/responsibilities",
            new { party = "seller", description = "Install line sensors", dueAt = "2026-03-01T00:00:00Z" });
        Assert.Equal(HttpStatusCode.Created, oneOff.StatusCode);

        var responsibility = await GetJsonAsync(recurring.Headers.Location!.ToString());
        Assert.Equal(("customer", "monthly", 5, "open"), ((string)responsibility["party"]!, (string)responsibility["cadence"]!,
            (int)responsibility["dueDayOfPeriod"]!, (string)responsibility["status"]!));
        Assert.Equal(commitmentId, (Guid)responsibility["commitmentId"]!);
        var all = await GetJsonAsync($"/api/accounts/{accountId}/responsibilities");
        Assert.Equal(["customer", "seller"], all.AsArray().Select(r => (string)r!["party"]!));
    }

    [Fact]
    public async Task bad_input_is_400_broken_rules_422_and_unknown_things_404()
    {
        var (accountId, commitmentId) = await OpenOutcomeCommitmentAsync();
        var route = $"/api/accounts/{accountId}/responsibilities";

        var neither = await PostAsync(route, new { party = "customer" });
        Assert.Equal(HttpStatusCode.BadRequest, neither.StatusCode);
        var keys = ErrorKeys(await ReadAsync(neither));
        Assert.Contains("description", keys);
        Assert.Contains("cadence", keys);
        Assert.Contains("dueday" + "ofperiod", keys);

        var both = await PostAsync(route, new { party = "customer", description = "x", cadence = "monthly", dueDayOfPeriod = 5, dueAt = "2026-03-01T00:00:00Z" });
        Assert.Contains("dueday" + "ofperiod", ErrorKeys(await ReadAsync(both)));
        var farFuture = await PostAsync(route, new { party = "seller", description = "x", dueAt = "9999-12-31T23:59:59Z" });
        Assert.Contains("dueat", ErrorKeys(await ReadAsync(farFuture)));
        var dayZero = await PostAsync(route, new { party = "customer", description = "x", cadence = "monthly", dueDayOfPeriod = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, dayZero.StatusCode);

        var past = await PostAsync(route, new { party = "seller", description = "x", dueAt = "2026-01-01T00:00:00Z" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, past.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(route, MonthlyData(Guid.NewGuid()))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync($"/api/accounts/{Guid.NewGuid()}/responsibilities", MonthlyData(null))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"{route}/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await App.ClientFor(Roles.Executive).PostAsJsonAsync(route, MonthlyData(commitmentId))).StatusCode);
    }

    [Fact]
    public async Task a_fulfilment_covers_whole_periods_once()
    {
        var (accountId, commitmentId) = await OpenOutcomeCommitmentAsync();
        var location = (await PostAsync($"/api/accounts/{accountId}/responsibilities", MonthlyData(commitmentId))).Headers.Location!.ToString();

        var fulfilled = await PostAsync($"{location}/fulfilments", new { periodStart = "2026-03-01", periodEnd = "2026-03-31", note = "Usage data sent by SFTP" });
        Assert.Equal(HttpStatusCode.Created, fulfilled.StatusCode);
        var responsibility = await GetJsonAsync(location);
        Assert.Equal("Usage data sent by SFTP", (string)responsibility["fulfilments"]![0]!["note"]!);
        Assert.Equal("casey.csm", (string)responsibility["fulfilments"]![0]!["by"]!);

        Assert.Equal(HttpStatusCode.Conflict,
            (await PostAsync($"{location}/fulfilments", new { periodStart = "2026-03-01", periodEnd = "2026-03-31" })).StatusCode);
        var partial = await PostAsync($"{location}/fulfilments", new { periodStart = "2026-04-02", periodEnd = "2026-04-30" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, partial.StatusCode);
        Assert.Contains("2026-04-01..2026-04-30", (string)(await ReadAsync(partial))["detail"]!);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await PostAsync($"{location}/fulfilments", new { periodStart = "2026-04-30", periodEnd = "2026-04-01" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await PostAsync($"/api/accounts/{accountId}/responsibilities/{Guid.NewGuid()}/fulfilments", new { periodStart = "2026-04-01", periodEnd = "2026-04-30" })).StatusCode);
    }
}
