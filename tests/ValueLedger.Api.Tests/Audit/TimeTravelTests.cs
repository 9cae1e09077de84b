using System.Net;
using System.Text.Json.Nodes;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests.Audit;

public sealed class when_an_account_is_read_as_it_stood_at_a_past_moment(AppFixture app) : AuditContext(app)
{
    /// <summary>What the live view showed, and the ledger's clock right after it was read.</summary>
    private readonly List<(DateTimeOffset Moment, JsonNode View)> _observed = [];

    private async Task ObserveAsync(Guid accountId) =>
        _observed.Add((await DatabaseNowAsync(), await GetJsonAsync($"/api/accounts/{accountId}")));

    /// <summary>The view as of a moment carries that moment in asOf; everything else must be what was shown then.</summary>
    private static void AssertSameView(JsonNode expected, JsonNode? actual)
    {
        Assert.NotNull(actual);
        var (e, a) = (expected.DeepClone().AsObject(), actual.DeepClone().AsObject());
        e.Remove("asOf");
        a.Remove("asOf");
        Assert.True(JsonNode.DeepEquals(e, a), $"expected {e.ToJsonString()}\nbut got  {a.ToJsonString()}");
    }

    private async Task<(Guid AccountId, Guid CommitmentId)> LiveHistoryAsync()
    {
        // Coverage is worked out for the day a view is about, and an as-of moment is a moment of the ledger's clock.
        // Last month's two halves, so nothing goes stale (a freshness check would add an event) while the test runs.
        App.Clock.FollowSystemClock();
        var (accountId, commitmentId) = await OpenAccountWithRecentCommitmentAsync();
        await ObserveAsync(accountId);
        var january = await RecordAsync(accountId, commitmentId, LastMonth(90, 1, 14));
        await ObserveAsync(accountId);
        var february = await RecordAsync(accountId, commitmentId, LastMonth(86, 15));
        await ObserveAsync(accountId);
        await CorrectAsync(accountId, commitmentId, january, 91, "ERP export double-counted one line");
        await ObserveAsync(accountId);
        Assert.Equal(HttpStatusCode.Created, (await App.ClientFor(Roles.Customer, "jane@buyer.example", accountId).PostAsync(
            $"/api/accounts/{accountId}/commitments/{commitmentId}/measurements/{february}/confirmation",
            JsonContent(new { confirmedBy = "Jane Buyer" }))).StatusCode);
        await ObserveAsync(accountId);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/revisions",
            new { target = 70, effectiveFrom = ThisMonth().ToString("O"), reason = "Customer raised the ambition" })).StatusCode);
        await ObserveAsync(accountId);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/withdrawal",
            new { reason = "Line closed" })).StatusCode);
        await ObserveAsync(accountId);
        return (accountId, commitmentId);
    }

    private static StringContent JsonContent(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body, JsonOptions), System.Text.Encoding.UTF8, "application/json");

    [Fact]
    public async Task as_of_each_moment_it_answers_what_the_live_view_showed_then()
    {
        var (accountId, _) = await LiveHistoryAsync();

        Assert.Equal(_observed.Count, _observed.Select(o => (long)o.View["version"]!).Distinct().Count());
        foreach (var (moment, view) in _observed)
        {
            var past = await GetAsAuditorAsync($"/api/accounts/{accountId}?asOf={Iso(moment)}");
            AssertSameView(view, past);
            Assert.Equal(moment, (DateTimeOffset)past["asOf"]!);
            AssertSameView(view, await GetAsAuditorAsync($"/api/accounts/{accountId}?version={(long)view["version"]!}"));
        }
        Assert.Equal(HttpStatusCode.NotFound, (await Auditor.GetAsync($"/api/accounts/{accountId}?asOf={Iso(_observed[0].Moment.AddHours(-1))}")).StatusCode);
    }

    [Fact]
    public async Task a_diff_lists_the_events_between_two_moments_and_the_figures_before_and_after()
    {
        var (accountId, _) = await LiveHistoryAsync();
        var (from, before) = _observed[1];
        var (to, after) = _observed[3];

        var diff = await GetAsAuditorAsync($"/api/accounts/{accountId}/diff?from={Iso(from)}&to={Iso(to)}");

        AssertSameView(before, diff["before"]);
        AssertSameView(after, diff["after"]);
        Assert.Equal(((long)before["version"]!, (long)after["version"]!), ((long)diff["fromVersion"]!, (long)diff["toVersion"]!));
        Assert.Equal(["measurement_recorded", "measurement_corrected"], diff["events"]!.AsArray().Select(e => (string)e!["type"]!));
        Assert.Equal([4L, 5], diff["events"]!.AsArray().Select(e => (long)e!["version"]!));
        Assert.Equal("ERP export double-counted one line", (string)diff["events"]![1]!["reason"]!);

        var realized = diff["figures"]!.AsArray().Single(f => (string)f!["figure"]! == "realizedValue")!;
        Assert.Equal((decimal)before["realizedValue"]!, (decimal)realized["before"]!);
        Assert.Equal((decimal)after["realizedValue"]!, (decimal)realized["after"]!);
        Assert.Equal((decimal)after["realizedValue"]! - (decimal)before["realizedValue"]!, (decimal)realized["change"]!);
        Assert.NotEqual(0m, (decimal)realized["change"]!);
    }

    [Fact]
    public async Task a_diff_from_before_the_account_existed_starts_from_nothing()
    {
        var (accountId, _) = await LiveHistoryAsync();
        var diff = await GetAsAuditorAsync($"/api/accounts/{accountId}/diff?from={Iso(_observed[0].Moment.AddHours(-1))}&to={Iso(_observed[^1].Moment)}");

        Assert.Null(diff["before"]);
        AssertSameView(_observed[^1].View, diff["after"]);
        Assert.Equal((long)_observed[^1].View["version"]!, diff["events"]!.AsArray().Count);
        var promised = diff["figures"]!.AsArray().Single(f => (string)f!["figure"]! == "promisedValue")!;
        Assert.Null(promised["before"]);
        Assert.Equal((decimal?)promised["after"], (decimal?)promised["change"]);
    }

    [Fact]
    public async Task a_diff_needs_two_moments_in_order_and_an_account_and_an_auditor()
    {
        var accountId = await OpenAccountAsync();
        var now = await DatabaseNowAsync();

        var missing = await Auditor.GetAsync($"/api/accounts/{accountId}/diff?from={Iso(now)}");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.NotNull((await ReadAsync(missing))["errors"]!["to"]);
        var garbled = await Auditor.GetAsync($"/api/accounts/{accountId}/diff?from=yesterday&to={Iso(now)}");
        Assert.NotNull((await ReadAsync(garbled))["errors"]!["from"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await Auditor.GetAsync($"/api/accounts/{accountId}/diff?from={Iso(now)}&to={Iso(now.AddDays(-1))}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Auditor.GetAsync($"/api/accounts/{Guid.NewGuid()}/diff?from={Iso(now.AddDays(-1))}&to={Iso(now)}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Http.GetAsync($"/api/accounts/{accountId}/diff?from={Iso(now.AddDays(-1))}&to={Iso(now)}")).StatusCode);
    }
}
