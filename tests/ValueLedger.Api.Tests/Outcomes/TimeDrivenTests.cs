using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using ValueLedger.Api.Features.Commitments;
using ValueLedger.Api.Features.Measurements;
using ValueLedger.Api.Features.Responsibilities;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Domain;
using Wolverine;

namespace ValueLedger.Api.Tests.Outcomes;

/// <summary>
/// Time-driven changes run as Wolverine scheduled messages. The tests move the app's clock past the due time and
/// deliver the scheduled message at once, then look for the event it appended and the commitmentAtRisk push.
/// </summary>
public sealed class when_time_passes_a_due_date(AppFixture app) : OutcomeContext(app)
{
    private static readonly DateTimeOffset MarchDue = new(2026, 3, 6, 0, 0, 0, TimeSpan.Zero);

    private async Task<Written> DeliverAsync(object scheduledMessage)
    {
        using var scope = Host.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync<Written>(scheduledMessage);
    }

    private async Task<IReadOnlyList<object>> EventsOfAsync(Guid accountId)
    {
        await using var session = await SessionAsync();
        return (await session.Events.FetchStreamAsync(accountId)).Select(e => e.Data).ToList();
    }

    private async Task<Guid> CustomerSuppliesDataMonthlyAsync(Guid accountId, Guid commitmentId)
    {
        var response = await PostAsync($"/api/accounts/{accountId}/responsibilities",
            new { party = "customer", description = "Supply monthly usage data", commitmentId, cadence = "monthly", dueDayOfPeriod = 5 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await ReadAsync(response))["id"]!.GetValue<Guid>();
    }

    [Fact]
    public async Task a_customer_responsibility_past_due_is_missed_and_the_commitment_turns_at_risk_live()
    {
        var (accountId, commitmentId) = await OpenOutcomeCommitmentAsync();
        await RecordAsync(accountId, commitmentId, AMonth(1, 90));
        var responsibilityId = await CustomerSuppliesDataMonthlyAsync(accountId, commitmentId);
        var (connection, pushes) = await WatchAsync(accountId, "commitmentAtRisk");
        await using var _ = connection;

        App.Clock.Now = MarchDue.AddSeconds(-1);
        await DeliverAsync(new CheckResponsibility(accountId, responsibilityId, MarchDue));
        Assert.DoesNotContain(await EventsOfAsync(accountId), e => e is ResponsibilityMissed);

        App.Clock.Now = MarchDue.AddSeconds(1);
        Assert.Null((await DeliverAsync(new CheckResponsibility(accountId, responsibilityId, MarchDue))).Rejection);

        var missed = Assert.Single((await EventsOfAsync(accountId)).OfType<ResponsibilityMissed>());
        Assert.Equal((new DateOnly(2026, 3, 1), MarchDue), (missed.PeriodStart, missed.DueAt));
        var push = await NextAsync(pushes, p => (Guid)p["commitmentId"]! == commitmentId);
        Assert.Equal(accountId, (Guid)push["accountId"]!);
        Assert.Equal("Scrap rate", (string)push["metric"]!);
        Assert.Equal("Acme Foods", (string)push["accountName"]!);
        Assert.StartsWith("Blocked by a missed customer responsibility", (string)push["reason"]!);

        var commitment = await GetJsonAsync(Commitment(accountId, commitmentId));
        Assert.Equal("atRisk", (string)commitment["status"]!);
        Assert.Equal("2026-03-01", (string)commitment["missedResponsibilities"]![0]!["periodStart"]!);
        Assert.Equal("missed", (string)(await GetJsonAsync($"/api/accounts/{accountId}/responsibilities/{responsibilityId}"))["status"]!);

        var late = await PostAsync($"/api/accounts/{accountId}/responsibilities/{responsibilityId}/fulfilments",
            new { periodStart = "2026-03-01", periodEnd = "2026-03-31", note = "Sent late" });
        Assert.Equal(HttpStatusCode.Created, late.StatusCode);
        commitment = await GetJsonAsync(Commitment(accountId, commitmentId));
        Assert.NotEqual("atRisk", (string)commitment["status"]!);
        Assert.NotNull(commitment["missedResponsibilities"]![0]!["fulfilledLateAt"]);
    }

    [Fact]
    public async Task a_period_that_ends_without_its_target_is_missed_excused_by_the_customer_and_pushed()
    {
        var (accountId, commitmentId) = await OpenOutcomeCommitmentAsync();
        await RecordAsync(accountId, commitmentId, AMonth(1, 90));
        var responsibilityId = await CustomerSuppliesDataMonthlyAsync(accountId, commitmentId);
        App.Clock.Now = MarchDue.AddHours(1);
        await DeliverAsync(new CheckResponsibility(accountId, responsibilityId, MarchDue));
        var (connection, pushes) = await WatchAsync(accountId, "commitmentMissed");
        await using var _ = connection;

        App.Clock.Now = new DateTimeOffset(2026, 12, 31, 23, 0, 0, TimeSpan.Zero);
        await DeliverAsync(new CheckTarget(accountId, commitmentId));
        Assert.DoesNotContain(await EventsOfAsync(accountId), e => e is TargetMissedAtPeriodEnd);

        App.Clock.Now = new DateTimeOffset(2027, 1, 1, 0, 0, 1, TimeSpan.Zero);
        await DeliverAsync(new CheckTarget(accountId, commitmentId));

        var targetMissed = Assert.Single((await EventsOfAsync(accountId)).OfType<TargetMissedAtPeriodEnd>());
        Assert.Equal([responsibilityId], targetMissed.ExcusingResponsibilities);
        var push = await NextAsync(pushes, p => ((string)p["reason"]!).StartsWith("The period ended on 2026-12-31"));
        Assert.Contains("while the customer missed its responsibilities", (string)push["reason"]!);
        Assert.Equal(commitmentId, (Guid)push["commitmentId"]!);
        var commitment = await GetJsonAsync(Commitment(accountId, commitmentId));
        Assert.Equal("missed", (string)commitment["status"]!);
        Assert.Equal(responsibilityId, (Guid)commitment["excusedBy"]![0]!["responsibilityId"]!);
        Assert.Equal("2026-12-31", (string)commitment["targetMiss"]!["periodEnd"]!);
    }

    [Fact]
    public async Task every_other_cause_of_risk_pushes_too_stale_data_and_a_dispute()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        await RecordAsync(accountId, commitmentId, AMonth(1, 90));
        var (connection, pushes) = await WatchAsync(accountId, "commitmentAtRisk");
        await using var _ = connection;

        App.Clock.Now = new DateTimeOffset(2026, 4, 1, 0, 0, 1, TimeSpan.Zero);
        await DeliverAsync(new CheckFreshness(accountId, commitmentId));
        Assert.StartsWith("Stale", (string)(await NextAsync(pushes, _ => true))["reason"]!);

        var february = await RecordAsync(accountId, commitmentId, AMonth(2, 85));
        Assert.Equal("onTrack", (string)(await GetJsonAsync(Commitment(accountId, commitmentId)))["status"]!);
        await App.ClientFor(Roles.Customer, "Jane", accountId).PostAsJsonAsync($"{Commitment(accountId, commitmentId)}/measurements/{february}/dispute", new { reason = "Pilot line" });
        Assert.Contains("is disputed by Jane", (string)(await NextAsync(pushes, p => ((string)p["reason"]!).Contains("disputed")))["reason"]!);
    }
}
