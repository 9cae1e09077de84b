using Wolverine.Marten;

namespace ValueLedger.Api.Features.Measurements;

/// <summary>
/// Looks at a commitment when its next measurement falls due (a Wolverine scheduled message). With
/// <paramref name="KeepWatching"/> it schedules its own successor, so each commitment has one outstanding check
/// instead of one per measurement; without it (a check sent by hand, or scheduled before the watch existed) it looks once.
/// </summary>
public sealed record CheckFreshness(Guid AccountId, Guid CommitmentId, bool KeepWatching = false) : IAccountCommand
{
    public long? ExpectedVersion => null;
    public string By => "system:freshness";

    public static CheckFreshness Watch(Guid accountId, Guid commitmentId) => new(accountId, commitmentId, KeepWatching: true);
}

public static class CheckFreshnessHandler
{
    public static async Task<Written> Handle(CheckFreshness check, [WriteAggregate(Required = false)] IEventStream<Account> stream,
        TimeProvider clock, IMessageContext messages)
    {
        Decision? decision = null;
        var written = stream.Decide(null, account => decision = Freshness.Check(account, check.CommitmentId, clock.GetUtcNow()));
        if (check.KeepWatching && written.Rejection is null && stream.Aggregate!.FindCommitment(check.CommitmentId) is { } commitment
            && Freshness.WatchAgainAt(commitment, decision!) is { } next)
            await FreshnessScheduling.Watch(messages, clock, check.AccountId, check.CommitmentId, next);
        return written;
    }
}
