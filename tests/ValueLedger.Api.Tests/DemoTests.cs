using System.Text.Json.Nodes;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using ValueLedger.Api.Features;
using ValueLedger.Api.Features.Demo;
using ValueLedger.Domain;

namespace ValueLedger.Api.Tests;

public sealed class when_the_demo_portfolio_is_loaded(AppFixture app) : IntegrationContext(app)
{
    private static readonly DateTimeOffset LateNovember = new(2026, 11, 20, 8, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task on_an_empty_ledger_it_goes_through_the_commands_and_gives_a_realistic_portfolio_up_to_last_month()
    {
        App.Clock.Now = LateNovember;
        Assert.True(await StartTheDemoAsync());

        // Stalled commitments go stale when their scheduled freshness check runs, a moment after they were loaded.
        var stalled = DemoPortfolio.Accounts.Sum(a => a.Commitments.Count(c => c.Story == DemoStory.Stalled));
        var portfolio = await PortfolioOnceAsync(p => p["atRisk"]!.AsArray().Count(r => ((string)r!["reason"]!).StartsWith("Stale")) == stalled);
        Assert.True((int)portfolio["accounts"]! >= 20);
        Assert.Equal(["outcomeCentric", "processCentric", "productCentric"],
            portfolio["byApproach"]!.AsArray().Select(r => (string)r!["key"]!).Distinct().Order());
        Assert.Equal(["EUR", "GBP", "USD"], portfolio["currencies"]!.AsArray().Select(c => (string)c!));
        var atRiskReasons = portfolio["atRisk"]!.AsArray().Select(r => (string)r!["reason"]!).ToList();
        Assert.Contains(atRiskReasons, r => r.StartsWith("Behind the path"));
        Assert.Contains(atRiskReasons, r => r.StartsWith("Stale"));
        Assert.Contains(atRiskReasons, r => r.Contains("disputed"));
        var statuses = portfolio["byStatus"]!.AsArray().Select(s => (string)s!["status"]!).ToList();
        Assert.Contains("onTrack", statuses);
        Assert.Contains("achieved", statuses);
        Assert.Contains("withdrawn", statuses);

        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await session.Events.QueryAllRawEvents().ToListAsync();
        Assert.All(events.Where(e => e.Data is not MeasurementsWentStale), e => Assert.Equal(DemoSeeder.By, e.UserName));
        Assert.Contains(events, e => e.Data is MeasurementCorrected);
        Assert.Contains(events, e => e.Data is MeasurementDisputed);
        Assert.Contains(events, e => e.Data is MeasurementConfirmed);
        Assert.Contains(events, e => e.Data is CommitmentRevised);
        Assert.Contains(events, e => e.Data is ContractTermsAgreed);
        Assert.Contains(events, e => e.Data is SettlementCalculated);
        Assert.Contains(events, e => e.Data is SettlementCertified); // the customer certified the final quarters but the latest
        Assert.Contains(events, e => e.Data is SettlementDisputed);
        Assert.Contains(events, e => e.Data is ExchangeRateRecorded);
        var converted = await GetJsonAsync("/api/portfolio?currency=EUR");
        Assert.Empty(converted["reporting"]!["unconverted"]!.AsArray()); // every demo currency converts into EUR
        Assert.NotEmpty(portfolio["exposure"]!.AsArray()); // the quarter under way of the outcome contracts
        var measured = events.Select(e => e.Data).OfType<MeasurementRecorded>().ToList();
        Assert.True(measured.GroupBy(m => m.CommitmentId).Max(g => g.Count()) >= 12, "a year or more of measurements");
        Assert.True(measured.Max(m => m.PeriodEnd) <= new DateOnly(2026, 10, 31), "nothing measured beyond last month");
        Assert.True(measured.Max(m => m.PeriodEnd) >= new DateOnly(2026, 10, 1), "measured up to last month");

        // A second run finds accounts in the ledger and loads nothing.
        Assert.False(await StartTheDemoAsync());
        await using var after = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        Assert.Equal(DemoPortfolio.Accounts.Count, await after.Query<Account>().CountAsync());
    }

    /// <summary>The portfolio once the daemon has caught up and it satisfies the condition (within a minute).</summary>
    private async Task<JsonNode> PortfolioOnceAsync(Func<JsonNode, bool> condition)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(1);
        while (true)
        {
            await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
            var portfolio = await GetJsonAsync("/api/portfolio");
            if (condition(portfolio)) return portfolio;
            if (DateTimeOffset.UtcNow > deadline) Assert.Fail($"The portfolio never got there: {portfolio.ToJsonString()[..Math.Min(2000, portfolio.ToJsonString().Length)]}");
            await Task.Delay(TimeSpan.FromMilliseconds(250)); // poll interval of the bounded wait above
        }
    }

    /// <summary>The demo as the <c>demo</c> command loads it, into the running app's ledger.</summary>
    private Task<bool> StartTheDemoAsync() =>
        DemoCommand.LoadIfEmptyAsync(Host.Services, App.Clock, NullLogger.Instance, CancellationToken.None);

    [Fact]
    public async Task a_simulation_step_records_the_next_day_of_a_commitment_through_the_commands()
    {
        App.Clock.Now = new DateTimeOffset(2026, 2, 10, 9, 0, 0, TimeSpan.Zero);
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        await RecordAsync(accountId, commitmentId, AMonth(1, 90));

        // With this seed the first roll is a reading of the feed (rather than a confirmation, dispute or correction).
        var what = await DemoSimulation.StepAsync(Host.Services, new Random(7), App.Clock, CancellationToken.None);

        Assert.NotNull(what);
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var last = (await session.Events.FetchStreamAsync(accountId)).Last();
        Assert.Equal(DemoSimulation.By, last.UserName);
        var recorded = Assert.IsType<MeasurementRecorded>(last.Data);
        Assert.Equal(new DateOnly(2026, 2, 1), recorded.PeriodStart);
        Assert.Equal(new DateOnly(2026, 2, 1), recorded.PeriodEnd);
    }
}
