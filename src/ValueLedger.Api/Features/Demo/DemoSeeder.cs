using ValueLedger.Api.Features.Currencies;
using ValueLedger.Api.Features.Accounts;
using ValueLedger.Api.Features.Commitments;
using ValueLedger.Api.Features.Contracts;
using ValueLedger.Api.Features.Measurements;
using ValueLedger.Api.Features.Verification;

namespace ValueLedger.Api.Features.Demo;

/// <summary>
/// Loads <see cref="DemoPortfolio"/> through the same Wolverine commands the HTTP endpoints send, as "demo:seed",
/// so every figure on the dashboards comes out of the real decisions, events and projections. Measurements cover
/// every cadence period from each commitment's start to the last complete one before today (the clock's today).
/// History is recorded newest first, so the freshness checks each measurement schedules fall due after today and only
/// the commitments that are meant to be stale go stale.
/// </summary>
public static class DemoSeeder
{
    public const string By = "demo:seed";

    public static async Task SeedAsync(IServiceProvider services, TimeProvider clock, CancellationToken cancellation)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        using (var scope = services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<IMessageBus>()
                .InvokeAsync<RecordedExchangeRates>(new RecordExchangeRatesCommand(ExchangeRates(today), By), cancellation);
        await Parallel.ForEachAsync(DemoPortfolio.Accounts.Select((account, index) => (account, index)),
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellation },
            async (item, ct) =>
            {
                using var scope = services.CreateScope();
                var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
                await SeedAccountAsync(bus, item.account, new Random(2026 + item.index), today, ct);
            });
    }

    /// <summary>
    /// Monthly USD→EUR and GBP→EUR rates from two years back (before any demo commitment starts) to this month, so
    /// every measured period converts into EUR; the figures wander around plausible levels and are marked as demo ones.
    /// </summary>
    public static IReadOnlyList<FxRate> ExchangeRates(DateOnly today)
    {
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        var rates = new List<FxRate>();
        for (var month = thisMonth.AddMonths(-24); month <= thisMonth; month = month.AddMonths(1))
        {
            var wave = (decimal)Math.Sin(month.Year * 12 + month.Month);
            rates.Add(new FxRate("USD", "EUR", Math.Round(0.9200m + 0.0250m * wave, 4), month, "ECB reference rate, first business day (demo figures)"));
            rates.Add(new FxRate("GBP", "EUR", Math.Round(1.1700m + 0.0300m * wave, 4), month, "ECB reference rate, first business day (demo figures)"));
        }
        return rates;
    }

    private static async Task SeedAccountAsync(IMessageBus bus, DemoAccount demo, Random random, DateOnly today, CancellationToken ct)
    {
        var accountId = Guid.CreateVersion7();
        await bus.InvokeAsync(new OpenAccountCommand(accountId,
            new OpenAccount(demo.Name, demo.Industry, demo.Segment, demo.Currency, demo.Approach, demo.Owner), By), ct);
        await Send(bus, new PrioritiseAccountCommand(accountId,
            new PrioritiseAccount(demo.AbilityToPay, demo.WillingnessToPay, $"Assessed with {demo.Contact} at the account review."), null, By), ct);

        foreach (var commitment in demo.Commitments)
            await SeedCommitmentAsync(bus, demo, accountId, commitment, random, today, ct);
    }

    private static async Task SeedCommitmentAsync(IMessageBus bus, DemoAccount demo, Guid accountId, DemoCommitment c, Random random,
        DateOnly today, CancellationToken ct)
    {
        var metric = c.Metric;
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        var start = thisMonth.AddMonths(-c.StartedMonthsAgo);
        var end = start.AddMonths(c.Months).AddDays(-1);
        var commitmentId = Guid.CreateVersion7();
        await Send(bus, new AddCommitmentCommand(accountId, commitmentId, new CommitValue(
            metric.Driver, metric.Metric, metric.Unit, metric.Direction,
            new Baseline(metric.Baseline, start.AddDays(-1), metric.BaselineSource), metric.Target, metric.UnitValue,
            start, end, metric.Cadence, c.Owner, c.Confidence, null), null, By), ct);

        // Outcome-centric promises come with their contract: a quarterly banded gain/pain share around the promise.
        var quarterPromise = Math.Abs(metric.Baseline - metric.Target) * metric.UnitValue * (metric.Cadence == Cadence.Monthly ? 3 : 1);
        var contracted = demo.Approach == Approach.OutcomeCentric && metric.Cadence != Cadence.Yearly;
        if (contracted)
            await Send<ContractWritten>(bus, new AgreeContractCommand(accountId, commitmentId, new AgreeContract(new ContractTerms(
                demo.Currency, Math.Round(quarterPromise / 1000) * 1000, Cadence.Quarterly, ShareModel.Banded, null,
                [new ShareBand(null, 0.975m, 0), new ShareBand(0.975m, 1.025m, 0.5m), new ShareBand(1.025m, null, 1)],
                -Math.Round(quarterPromise / 400) * 100, Math.Round(quarterPromise / 400) * 100), null, null), null, By), w => w.Written.Rejection, ct);

        var terms = (Baseline: metric.Baseline, Target: metric.Target);
        if (c.Story == DemoStory.Revised)
        {
            // A third of the promised improvement is given up from the eighth month on.
            var revisedTarget = Math.Round(metric.Target + (metric.Baseline - metric.Target) / 3, metric.Decimals);
            await Send(bus, new ReviseCommitmentCommand(accountId, commitmentId, new ReviseCommitment(start.AddMonths(7), null, revisedTarget, null, null,
                "The customer cut its second shift, so fewer changeovers are left to optimise; target agreed with the plant manager."), null, By), ct);
            terms = (metric.Baseline, revisedTarget);
        }

        var periods = CadencePeriods(start, end, metric.Cadence, lastDay: thisMonth.AddDays(-1)).ToList();
        if (c.Story == DemoStory.Stalled) periods = periods.SkipLast(metric.Cadence == Cadence.Monthly ? 4 : 3).ToList();
        if (c.Story == DemoStory.Withdrawn) periods = periods.Take(5).ToList();

        // Progress (share of the promised improvement) on a period's last day, as a function of the straight path (0 at
        // the start, 1 at the end): a better resource pays off at once, a process improvement ramps up, an outcome in
        // between; lagging ones deliver a fraction of the path, ahead ones reach the target early (achieved).
        var head = demo.Approach switch { Approach.ProductCentric => 0.6m, Approach.ProcessCentric => 0.35m, _ => 0.45m };
        Func<decimal, decimal> progressOn = c.Story switch
        {
            DemoStory.Ahead => path => head + 1.6m * path,
            DemoStory.Lagging or DemoStory.Withdrawn => path => 0.15m + 0.35m * path,
            _ => path => Math.Min(0.97m, head + (1 - head) * path)
        };
        var measured = new List<(Guid Id, DateOnly Start, DateOnly End, decimal Value)>();
        foreach (var (periodStart, periodEnd) in periods)
        {
            var path = (decimal)CadenceCalendar.Days(start, periodEnd) / CadenceCalendar.Days(start, end);
            var noise = (decimal)(random.NextDouble() * 0.06 - 0.03);
            var progress = Math.Clamp(progressOn(path) + noise, -0.05m, 1.06m);
            var target = periodStart >= start.AddMonths(7) ? terms.Target : metric.Target;
            measured.Add((Guid.CreateVersion7(), periodStart, periodEnd, Math.Round(metric.Baseline + (target - metric.Baseline) * progress, metric.Decimals)));
        }

        // A few figures were first reported wrong and corrected later.
        var corrected = random.NextDouble() < 0.35 && measured.Count > 4 ? measured[random.Next(1, measured.Count - 2)].Id : (Guid?)null;
        foreach (var m in Enumerable.Reverse(measured))
        {
            var value = m.Id == corrected ? Math.Round(m.Value * 1.06m, metric.Decimals) : m.Value;
            var withEvidence = metric.Source != MeasurementSource.Manual || random.NextDouble() < 0.5;
            await Send(bus, new RecordMeasurementCommand(accountId, m.Id, new RecordMeasurement(commitmentId, m.Start, m.End, value,
                metric.Source, withEvidence ? $"https://reports.{demo.Domain}/{metric.EvidencePath}/{m.End:yyyy-MM}" : null,
                metric.Source == MeasurementSource.Manual ? "Entered from the monthly review deck." : null), null, By), ct);
        }
        if (corrected is { } correctedId)
        {
            var m = measured.Single(x => x.Id == correctedId);
            await Send(bus, new CorrectMeasurementCommand(accountId, commitmentId, correctedId,
                new CorrectMeasurement(m.Value, DemoPortfolio.CorrectionReasons[random.Next(DemoPortfolio.CorrectionReasons.Length)],
                    $"attachment:{metric.EvidencePath.Replace('/', '-')}-{m.End:yyyy-MM}-restated.pdf"), null, By), ct);
        }

        // The customer confirms what it has checked: all but the last month or two, fewer where it is less engaged.
        var unconfirmedTail = random.Next(1, 3);
        var confirmShare = demo.WillingnessToPay switch { Level.High => 1.0, Level.Medium => 0.8, _ => 0.5 };
        foreach (var m in measured.SkipLast(unconfirmedTail))
        {
            if (random.NextDouble() > confirmShare) continue;
            await Send(bus, new ConfirmMeasurementCommand(accountId, commitmentId, m.Id,
                new ConfirmMeasurement(DemoSigner.Of(demo.Contact, demo.Name), random.NextDouble() < 0.2 ? "Matches our controller's report." : null), null, By), ct);
        }

        if (c.Story == DemoStory.Disputed && measured.Count > 0)
            await Send(bus, new DisputeMeasurementCommand(accountId, commitmentId, measured[^1].Id,
                new DisputeMeasurement(DemoSigner.Of(demo.Contact, demo.Name), DemoPortfolio.DisputeReasons[random.Next(DemoPortfolio.DisputeReasons.Length)]), null, By), ct);

        // Every quarter that has ended is settled (provisional where figures are unconfirmed). The customer has certified
        // the final ones but the latest, which awaits it; where the story is a dispute, it disputes that latest one.
        if (contracted && c.Story != DemoStory.Withdrawn)
        {
            var settled = new List<(Guid Id, bool Provisional)>();
            foreach (var (quarterStart, quarterEnd) in CadencePeriods(start, end, Cadence.Quarterly, lastDay: thisMonth.AddDays(-1)))
            {
                var settlementId = Guid.CreateVersion7();
                var written = await bus.InvokeAsync<SettlementWritten>(new CalculateSettlementCommand(accountId, commitmentId, settlementId,
                    new CalculateSettlement(quarterStart, quarterEnd, [], null), null, By), ct);
                if (written.Written.Rejection is { } rejection)
                    throw new InvalidOperationException($"Demo data was refused: {rejection.Title}: {rejection.Detail}");
                settled.Add((settlementId, written.Calculated?.Breakdown.Provisional ?? true));
            }
            var signer = DemoSigner.Of(demo.Contact, demo.Name);
            foreach (var (settlementId, _) in settled.SkipLast(1).Where(s => !s.Provisional))
                await Send(bus, new CertifySettlementCommand(accountId, commitmentId, settlementId,
                    new CertifySettlement(signer, "Agreed with our finance team.", null), null, By), ct);
            if (c.Story == DemoStory.Disputed && settled is [.., var (lastId, _)])
                await Send(bus, new DisputeSettlementCommand(accountId, commitmentId, lastId,
                    new DisputeSettlement(signer, "The quarter's figures include a line we dispute; we will not certify until it is corrected.", null), null, By), ct);
        }

        if (c.Story == DemoStory.Withdrawn)
            await Send(bus, new WithdrawCommitmentCommand(accountId, commitmentId,
                "The customer closed the line this promise was about; both sides agreed to withdraw it.", null, By), ct);
    }

    /// <summary>The cadence periods of a commitment that have ended by <paramref name="lastDay"/>.</summary>
    public static IEnumerable<(DateOnly Start, DateOnly End)> CadencePeriods(DateOnly start, DateOnly end, Cadence cadence, DateOnly lastDay)
    {
        for (var periodStart = CadenceCalendar.StartOfPeriod(start, cadence); periodStart <= end; periodStart = CadenceCalendar.NextStart(periodStart, cadence))
        {
            var periodEnd = CadenceCalendar.EndOfPeriod(periodStart, cadence);
            if (periodEnd > lastDay || periodEnd > end) yield break;
            yield return (periodStart < start ? start : periodStart, periodEnd);
        }
    }

    private static async Task Send<T>(IMessageBus bus, IAccountCommand command, Func<T, Rejection?> rejectionOf, CancellationToken ct)
    {
        if (rejectionOf(await bus.InvokeAsync<T>(command, ct)) is { } rejection)
            throw new InvalidOperationException($"The demo data was refused ({command.GetType().Name}): {rejection.Title}: {rejection.Detail}");
    }

    private static async Task Send(IMessageBus bus, IAccountCommand command, CancellationToken ct)
    {
        var written = await bus.InvokeAsync<Written>(command, ct);
        if (written.Rejection is { } rejection)
            throw new InvalidOperationException($"The demo data was refused ({command.GetType().Name}): {rejection.Title}: {rejection.Detail}");
    }
}

/// <summary>The demo's made-up customer signers, under an issuer of their own so they can never pass for real contacts.</summary>
public static class DemoSigner
{
    public const string Issuer = "valueledger-demo";

    public static Signer Of(string contact, string accountName) =>
        new($"demo:{contact.ToLowerInvariant().Replace(' ', '.')}", Issuer, $"{contact} ({accountName})", null);
}
