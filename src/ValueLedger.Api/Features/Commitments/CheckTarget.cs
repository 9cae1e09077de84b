using Wolverine.Marten;

namespace ValueLedger.Api.Features.Commitments;

/// <summary>Scheduled for the first moment after a commitment's period ends (a Wolverine scheduled message).</summary>
public sealed record CheckTarget(Guid AccountId, Guid CommitmentId) : IAccountCommand
{
    public long? ExpectedVersion => null;
    public string By => "system:target";
}

public static class CheckTargetHandler
{
    public static Written Handle(CheckTarget check, [WriteAggregate(Required = false)] IEventStream<Account> stream, TimeProvider clock) =>
        stream.Decide(null, account => TargetCheck.Check(account, check.CommitmentId, clock.GetUtcNow()));
}
