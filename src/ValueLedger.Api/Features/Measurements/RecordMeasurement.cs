using Microsoft.AspNetCore.Mvc;
using Wolverine.Marten;

namespace ValueLedger.Api.Features.Measurements;

public sealed record RecordMeasurementCommand(Guid AccountId, Guid MeasurementId, RecordMeasurement Measurement, long? ExpectedVersion, string By) : IAccountCommand;

public static class RecordMeasurementEndpoint
{
    /// <summary>Staff record a figure; a service account's feed records system figures for the accounts it is granted.</summary>
    [Authorize(Policy = Policies.RecordMeasurements)]
    [WolverinePost("/api/accounts/{accountId}/commitments/{commitmentId}/measurements", Name = "RecordMeasurement")]
    public static async Task<IResult> Post(Guid accountId, Guid commitmentId, RecordMeasurementRequest r, HttpContext http, IMessageBus bus, IQuerySession session)
    {
        if (FeedSource.Refusal(http.User, r.Source, "source") is { } refused) return refused;
        if (await Evidence.UnknownFileAsync(session, accountId, r.EvidenceUrl, "evidenceUrl", http.RequestAborted) is { } unknown) return unknown;
        var id = Guid.CreateVersion7();
        var measurement = new RecordMeasurement(commitmentId, r.PeriodStart!.Value, r.PeriodEnd!.Value, r.Value!.Value,
            r.Source ?? FeedSource.Default(http.User, MeasurementSource.Manual), r.EvidenceUrl, r.Note, r.Provisional ?? false);
        return await bus.WriteAsync(http, (expected, by) => new RecordMeasurementCommand(accountId, id, measurement, expected, by),
            id, Routes.Measurement(accountId, commitmentId, id));
    }
}

public static class RecordMeasurementHandler
{
    public static async Task<Written> Handle(RecordMeasurementCommand command, [WriteAggregate(Required = false)] IEventStream<Account> stream,
        TimeProvider clock, IMessageContext messages)
    {
        var m = command.Measurement;
        var written = stream.Decide(command.ExpectedVersion, account =>
            MeasurementDecisions.Record(account, command.MeasurementId, m, command.By, clock.GetUtcNow()));
        if (written.Rejection is null)
            await FreshnessScheduling.ResumeWatch(messages, clock, stream.Aggregate!, command.AccountId, [(m.CommitmentId, m.PeriodEnd)]);
        return written;
    }
}

public static class FreshnessScheduling
{
    /// <summary>
    /// Each commitment has one outstanding freshness check (<see cref="CheckFreshness"/>), which moves itself along
    /// as measurements arrive. Only a measurement that clears a staleness (the watch stops there) starts it again.
    /// </summary>
    public static async Task ResumeWatch(IMessageContext messages, TimeProvider clock, Account before, Guid accountId,
        IEnumerable<(Guid CommitmentId, DateOnly PeriodEnd)> measured)
    {
        foreach (var group in measured.GroupBy(x => x.CommitmentId))
            if (Freshness.ResumeWatchAt(before.FindCommitment(group.Key)!, group.Max(x => x.PeriodEnd)) is { } at)
                await Watch(messages, clock, accountId, group.Key, at);
    }

    /// <summary>
    /// Schedules the watch at a moment of the injected clock. Wolverine's scheduler runs on the system clock, so
    /// the moment is handed over as a delay from now: a check never runs before the ledger's own "now" reaches it.
    /// </summary>
    public static ValueTask Watch(IMessageContext messages, TimeProvider clock, Guid accountId, Guid commitmentId, DateTimeOffset at)
    {
        var delay = at - clock.GetUtcNow();
        return messages.ScheduleAsync(CheckFreshness.Watch(accountId, commitmentId), delay > TimeSpan.Zero ? delay : TimeSpan.Zero);
    }
}

/// <summary>A feed's figures are system figures: it may leave <c>source</c> out or say <c>system</c>, nothing else.</summary>
public static class FeedSource
{
    public static MeasurementSource Default(System.Security.Claims.ClaimsPrincipal user, MeasurementSource staffDefault) =>
        user.IsInRole(Roles.Feed) ? MeasurementSource.System : staffDefault;

    public static IResult? Refusal(System.Security.Claims.ClaimsPrincipal user, MeasurementSource? source, string field) =>
        user.IsInRole(Roles.Feed) && source is { } given && given != MeasurementSource.System
            ? Results.ValidationProblem(new Dictionary<string, string[]> { [field] = ["A service account records system measurements: leave source out or send system."] },
                title: "The request has invalid fields")
            : null;
}
