using Wolverine.Marten;

namespace ValueLedger.Api.Features.Responsibilities;

/// <summary>Scheduled for the moment an occurrence of a responsibility falls due (a Wolverine scheduled message).</summary>
public sealed record CheckResponsibility(Guid AccountId, Guid ResponsibilityId, DateTimeOffset DueAt) : IAccountCommand
{
    public long? ExpectedVersion => null;
    public string By => "system:responsibilities";

    /// <summary>Delivered a minute after the due time, so that clocks of different nodes a little apart agree it has passed.</summary>
    public DateTimeOffset DeliverAt => DueAt.AddMinutes(1);
}

public static class CheckResponsibilityHandler
{
    /// <summary>
    /// Records every occurrence past due without a fulfilment as missed, then schedules the check of the next
    /// occurrence after the one this message was for, so each occurrence is looked at once, after its due time.
    /// A check that arrives before its due time by the app's clock (only a test clock is behind the scheduler's)
    /// does nothing and schedules nothing.
    /// </summary>
    public static async Task<Written> Handle(CheckResponsibility check, [WriteAggregate(Required = false)] IEventStream<Account> stream,
        TimeProvider clock, IMessageContext messages)
    {
        var now = clock.GetUtcNow();
        var written = stream.Decide(null, account => ResponsibilityDecisions.Check(account, check.ResponsibilityId, now));
        if (written.Rejection is null && now >= check.DueAt && stream.Aggregate?.FindResponsibility(check.ResponsibilityId) is { } responsibility &&
            ResponsibilitySchedule.NextAfter(responsibility, ResponsibilityDecisions.CommitmentOf(stream.Aggregate, responsibility), check.DueAt) is { } next)
        {
            var nextCheck = check with { DueAt = next.DueAt };
            await messages.ScheduleAsync(nextCheck, nextCheck.DeliverAt);
        }
        return written;
    }
}
