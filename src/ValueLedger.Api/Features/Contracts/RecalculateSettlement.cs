using Wolverine.Marten;

namespace ValueLedger.Api.Features.Contracts;

/// <summary>
/// A measurement counted by a settlement was corrected: the period is calculated again as a new version beside the
/// earlier ones (published by the account projection once the correction is committed).
/// </summary>
public sealed record RecalculateSettlement(Guid AccountId, Guid CommitmentId, Guid SettlementId, string Reason) : IAccountCommand
{
    public long? ExpectedVersion => null;
    public string By => "system:settlement";
}

public static class RecalculateSettlementHandler
{
    public static Written Handle(RecalculateSettlement command, [WriteAggregate(Required = false)] IEventStream<Account> stream, TimeProvider clock) =>
        stream.Decide(null, account =>
            SettlementDecisions.Recalculate(account, command.CommitmentId, command.SettlementId, command.Reason, command.By, clock.GetUtcNow()));
}
