using Marten;
using ValueLedger.Api.Features.Measurements;
using ValueLedger.Api.Features.Verification;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Domain;
using Wolverine;

namespace ValueLedger.Api.Features.Demo;

/// <summary>
/// One step of the simulated world, through the same commands as real users, as "demo:simulation": mostly a system
/// feed reporting the next day's reading of a commitment (continuing its trend relative to the path to target, until
/// today), sometimes a customer confirming or disputing a figure, sometimes a late correction.
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
                new ConfirmMeasurement("Customer portal (simulated)", null), null, By), $"confirmed a {toConfirm.Commitment.Metric} figure of {toConfirm.Account.Name}", ct);
        }
        if (roll < 0.15 && Pick(random, live.Where(x => x.Commitment.Latest is { VerificationState: VerificationState.Unconfirmed }).ToList()) is { } toDispute)
        {
            return await Send(bus, new DisputeMeasurementCommand(toDispute.Account.Id, toDispute.Commitment.Id, toDispute.Commitment.Latest!.Id,
                new DisputeMeasurement("Customer portal (simulated)", "The reading does not match our own meter; please check the export."), null, By),
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

        var behind = live.Where(x => NextDay(x.Commitment) is { } day && day <= today).ToList();
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

    /// <summary>Keeps the commitment's pace: its latest progress relative to the path, applied to the path on the new day.</summary>
    private static decimal NextValue(Commitment commitment, DateOnly day, Random random)
    {
        var terms = commitment.TermsOn(day);
        var promised = terms.PromisedImprovement(commitment.Direction);
        var latest = commitment.Latest;
        var pace = 1m;
        if (latest is not null)
        {
            var pathThen = ValueMath.ExpectedProgress(commitment, latest.PeriodEnd);
            var progressThen = terms.Improvement(commitment.Direction, latest.Value) / promised;
            if (pathThen > 0.05m) pace = Math.Clamp(progressThen / pathThen, 0.2m, 1.8m);
        }
        var progress = ValueMath.ExpectedProgress(commitment, day) * pace + (decimal)(random.NextDouble() * 0.06 - 0.03);
        var improvement = promised * Math.Clamp(progress, -0.05m, 1.1m);
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
