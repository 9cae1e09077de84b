using ValueLedger.Api.Features.Measurements;
using ValueLedger.Api.Features.Verification;

namespace ValueLedger.Api.Features.Demo;

/// <summary>
/// One step of the simulated world, through the same commands as real users, as "demo:simulation": mostly a system
/// feed reporting the next day's reading of a commitment (a small step from its latest reading, until today), sometimes a customer confirming or disputing a figure, sometimes a late correction.
/// </summary>
public static class DemoSimulation
{
    public const string By = "demo:simulation";

    public static async Task<string?> StepAsync(IServiceProvider services, Random random, TimeProvider clock, CancellationToken ct)
    {
        using var scope = services.CreateScope();
        var session = scope.ServiceProvider.GetRequiredService<IQuerySession>();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

        var accounts = await session.Query<Account>().OrderBy(a => a.Name).Take(500).ToListAsync(ct);
        var live = accounts.SelectMany(a => a.Commitments.Where(c => !c.IsWithdrawn && c.PeriodStart <= today).Select(c => (Account: a, Commitment: c))).ToList();
        if (live.Count == 0) return null;

        var roll = random.NextDouble();
        if (roll < 0.12 && Pick(random, live.SelectMany(x => x.Commitment.Measurements.Where(m => m.VerificationState == VerificationState.Unconfirmed)
                .Select(m => (x.Account, x.Commitment, Measurement: m))).ToList()) is { } toConfirm)
        {
            return await Send(bus, new ConfirmMeasurementCommand(toConfirm.Account.Id, toConfirm.Commitment.Id, toConfirm.Measurement.Id,
                new ConfirmMeasurement(DemoSigner.Of("Customer portal (simulated)", toConfirm.Account.Name), null), null, By), $"confirmed a {toConfirm.Commitment.Metric} figure of {toConfirm.Account.Name}", ct);
        }
        if (roll < 0.15 && Pick(random, live.Where(x => x.Commitment.Latest is { VerificationState: VerificationState.Unconfirmed }).ToList()) is { } toDispute)
        {
            return await Send(bus, new DisputeMeasurementCommand(toDispute.Account.Id, toDispute.Commitment.Id, toDispute.Commitment.Latest!.Id,
                new DisputeMeasurement(DemoSigner.Of("Customer portal (simulated)", toDispute.Account.Name), "The reading does not match our own meter; please check the export."), null, By),
                $"disputed the latest {toDispute.Commitment.Metric} figure of {toDispute.Account.Name}", ct);
        }
        if (roll < 0.22 && Pick(random, live.Where(x => x.Commitment.Latest is not null).ToList()) is { } toCorrect)
        {
            var latest = toCorrect.Commitment.Latest!;
            var step = toCorrect.Commitment.CurrentTerms.PromisedImprovement(toCorrect.Commitment.Direction) * 0.04m;
            var value = Math.Round(latest.Value + (random.NextDouble() < 0.5 ? step : -step), 3);
            return await Send(bus, new CorrectMeasurementCommand(toCorrect.Account.Id, toCorrect.Commitment.Id, latest.Id,
                new CorrectMeasurement(value, "Late meter reading (simulated feed).", null), null, By),
                $"corrected the latest {toCorrect.Commitment.Metric} figure of {toCorrect.Account.Name}", ct);
        }

        var behind = live.Where(x => NextDay(x.Commitment) is { } day && day < today).ToList(); // only ended days are measured
        if (Pick(random, behind) is not { } feed) return null;
        var next = NextDay(feed.Commitment)!.Value;
        return await Send(bus, new RecordMeasurementCommand(feed.Account.Id, Guid.CreateVersion7(), new RecordMeasurement(feed.Commitment.Id, next, next,
                NextValue(feed.Commitment, next, random), MeasurementSource.System, "https://feeds.valueledger.example/simulated", "Daily reading (simulated feed)."), null, By),
            $"recorded {feed.Commitment.Metric} of {feed.Account.Name} for {next:O}", ct);
    }

    /// <summary>The day after the latest measured period, while it is inside the commitment's period.</summary>
    private static DateOnly? NextDay(Commitment commitment)
    {
        var next = (commitment.Latest?.PeriodEnd ?? commitment.PeriodStart.AddDays(-1)).AddDays(1);
        return next <= commitment.PeriodEnd ? next : null;
    }

    /// <summary>A small random step from the latest reading's progress, drifting slowly toward the target.</summary>
    private static decimal NextValue(Commitment commitment, DateOnly day, Random random)
    {
        var terms = commitment.TermsOn(day);
        var promised = terms.PromisedImprovement(commitment.Direction);
        var latest = commitment.Latest is { } m ? terms.Improvement(commitment.Direction, m.Value) / promised : 0m;
        var progress = Math.Clamp(latest + 0.004m + (decimal)(random.NextDouble() * 0.05 - 0.025), -0.05m, 1.05m);
        var improvement = promised * progress;
        var value = commitment.Direction == Direction.HigherIsBetter ? terms.Baseline.Value + improvement : terms.Baseline.Value - improvement;
        return Math.Round(value, 3);
    }

    private static T? Pick<T>(Random random, IReadOnlyList<T> items) where T : struct =>
        items.Count == 0 ? null : items[random.Next(items.Count)];

    private static async Task<string?> Send(IMessageBus bus, IAccountCommand command, string what, CancellationToken ct)
    {
        var written = await bus.InvokeAsync<Written>(command, ct);
        return written.Rejection is null ? what : null;
    }
}
