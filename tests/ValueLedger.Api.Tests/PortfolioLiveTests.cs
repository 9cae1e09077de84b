using System.Net;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using ValueLedger.Api.Features.Live;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Domain;
using Wolverine.Tracking;
using ValueLedger.Api.Tests.Audit;

namespace ValueLedger.Api.Tests;

public sealed class when_staff_watch_the_portfolio(AppFixture app) : IntegrationContext(app)
{
    [Fact]
    public async Task it_gets_the_portfolio_at_once_and_portfolioChanged_after_a_measurement()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        await using var live = await LiveClient.ConnectAsync(Host, App.TokenFor(Roles.Executive));

        await live.Connection.InvokeAsync("WatchPortfolio");
        var initial = await live.NextAsync("portfolioChanged");
        Assert.Equal(1, (int)initial["accounts"]!);
        Assert.Equal(0m, (decimal)initial["totals"]![0]!["realizedValue"]!);

        await RecordAsync(accountId, commitmentId, AMonth(1, 90));

        var pushed = await live.NextAsync("portfolioChanged", p => (decimal)p["totals"]![0]!["realizedValue"]! == 10000m);
        Assert.Equal(0.5m, (decimal)pushed["totals"]![0]!["realizationRate"]!);
        Assert.True((long)pushed["position"]! > (long)initial["position"]!);
    }

    [Fact]
    public async Task a_customer_may_not_watch_it()
    {
        var accountId = await OpenAccountAsync();
        await using var live = await LiveClient.ConnectAsync(Host, App.TokenFor(Roles.Customer, "jane", accountId));

        var refused = await Assert.ThrowsAsync<HubException>(() => live.Connection.InvokeAsync("WatchPortfolio"));
        Assert.Contains("Only staff", refused.Message);
    }

    [Fact]
    public async Task commitmentAtRisk_goes_out_when_a_commitment_falls_behind_its_path_and_not_again_while_it_stays_there()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        await using var staff = await LiveClient.ConnectAsync(Host, App.TokenFor(Roles.Csm));
        await using var customer = await LiveClient.ConnectAsync(Host, App.TokenFor(Roles.Customer, "jane", accountId));
        await staff.Connection.InvokeAsync("WatchPortfolio");
        await customer.Connection.InvokeAsync("WatchAccount", accountId);

        await RecordAsync(accountId, commitmentId, AMonth(1, 96)); // 20% of the improvement where the path is at 8%: on track
        await RecordAsync(accountId, commitmentId, AMonth(2, 99)); // 5% where the path is at 16%: behind by more than 10 points

        var alert = await staff.NextAsync("commitmentAtRisk");
        Assert.Equal(accountId, (Guid)alert["accountId"]!);
        Assert.Equal(commitmentId, (Guid)alert["commitmentId"]!);
        Assert.Equal("Scrap rate", (string)alert["metric"]!);
        Assert.Contains("Behind the path to target", (string)alert["reason"]!);
        Assert.Equal(commitmentId, (Guid)(await customer.NextAsync("commitmentAtRisk"))["commitmentId"]!);

        await RecordAsync(accountId, commitmentId, AMonth(3, 99)); // still behind: no news
        await customer.NextAsync("accountChanged", v => (long)v["version"]! >= 5);
        Assert.Equal(1, customer.Count("commitmentAtRisk"));
        Assert.Equal("atRisk", (string)(await GetJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}"))["status"]!);
    }

    [Fact]
    public async Task an_account_watched_for_the_first_time_after_its_first_step_does_not_announce_what_was_already_at_risk()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        await RecordAsync(accountId, commitmentId, AMonth(1, 96));
        await RecordAsync(accountId, commitmentId, AMonth(2, 99)); // behind the path: at risk
        Assert.Equal("atRisk", (string)(await GetJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}"))["status"]!);
        await Eventually.Async(async () =>
        {
            await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
            return (await session.LoadAsync<AtRiskWatch>(accountId))?.Version == 4;
        }, TimeSpan.FromSeconds(15), "the watch to compare version 4");
        // As after an upgrade from a version without watches: the account exists, its watch does not.
        await using (var session = Host.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.Delete<AtRiskWatch>(accountId);
            await session.SaveChangesAsync();
        }
        // Every message the write causes, the watch's comparison and anything it cascades, is handled before this returns.
        var tracked = await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(30))
            .ExecuteAndWaitAsync((Func<Wolverine.IMessageContext, Task>)(async _ => await RecordAsync(accountId, commitmentId, AMonth(3, 99))));
        Assert.Contains(tracked.Executed.MessagesOf<AccountStepped>(), m => m.AccountId == accountId);
        Assert.DoesNotContain(tracked.Sent.MessagesOf<CommitmentTurnedAtRisk>(), m => m.AccountId == accountId && m.Version == 5);
        await using var check = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var watch = (await check.LoadAsync<AtRiskWatch>(accountId))!;
        Assert.Equal(5L, watch.Version);
        Assert.Equal([commitmentId], watch.AtRisk);
    }

    [Fact]
    public async Task a_bulk_import_of_ten_thousand_rows_sends_a_handful_of_pushes_that_end_on_the_latest_state()
    {
        var accountId = await OpenAccountAsync();
        var created = await PostAsync($"/api/accounts/{accountId}/commitments", new
        {
            driver = "cost", metric = "Energy per tonne", unit = "kWh/t", direction = "lowerIsBetter",
            baseline = new { value = 500, asOf = "2025-12-31", source = "Meter" }, target = 400, unitValue = 10,
            periodStart = "2026-01-01", periodEnd = "2055-12-31", cadence = "monthly", owner = "seller", confidence = "high"
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var commitmentId = (await ReadAsync(created))["id"]!.GetValue<Guid>();
        await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        await using var live = await LiveClient.ConnectAsync(Host, App.TokenFor(Roles.Executive));
        await live.Connection.InvokeAsync("WatchPortfolio");
        await live.NextAsync("portfolioChanged");
        var before = live.Count("portfolioChanged");

        // One transaction of 10,000 daily readings, decided by the domain as the bulk import decides them.
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        long streamVersion;
        await using (var session = store.LightweightSession())
        {
            var account = (await session.LoadAsync<Account>(accountId))!;
            var rows = Enumerable.Range(0, 10_000).Select(day => (Guid.CreateVersion7(), new RecordMeasurement(commitmentId,
                new DateOnly(2026, 1, 1).AddDays(day), new DateOnly(2026, 1, 1).AddDays(day), 500 - day % 50, MeasurementSource.Import,
                "https://meters.example/export", null))).ToList();
            // Decided once the last reading's day has ended (only ended periods are measured).
            var (events, rejections) = MeasurementDecisions.RecordAll(account, rows, "import",
                new DateTimeOffset(new DateOnly(2026, 1, 1).AddDays(10_000).ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero));
            Assert.Empty(rejections);
            session.Events.Append(accountId, events.ToArray());
            await session.SaveChangesAsync();
            streamVersion = (await session.Events.FetchStreamStateAsync(accountId))!.Version;
        }
        await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var latest = await GetJsonAsync("/api/portfolio");

        var last = await live.NextAsync("portfolioChanged", p => (long)p["position"]! == (long)latest["position"]!);
        var pushes = live.Count("portfolioChanged") - before;
        Assert.InRange(pushes, 1, 25);
        Assert.Equal((decimal)latest["totals"]![0]!["realizedValue"]!, (decimal)last["totals"]![0]!["realizedValue"]!);
        Assert.Equal(10_002, streamVersion);
    }
}
