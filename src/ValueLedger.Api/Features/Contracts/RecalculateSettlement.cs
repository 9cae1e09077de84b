using Wolverine.Marten;

namespace ValueLedger.Api.Features.Contracts;

/// <summary>
/// A measurement counted by a settlement was corrected: the period is calculated again as a new version beside the
/// earlier ones (cascaded by the correction's handler, so it leaves through the outbox only if the correction commits).
/// </summary>
public sealed record RecalculateSettlement(Guid AccountId, Guid CommitmentId, Guid SettlementId, string Reason) : IAccountCommand
{
    public long? ExpectedVersion => null;
    public string By => "system:settlement";

    /// <summary>One recalculation for each settled period of the commitment that the corrected measurement falls in.</summary>
    public static IEnumerable<RecalculateSettlement> AfterCorrection(Account account, Guid commitmentId, Guid measurementId, string reason)
    {
        if (account.FindCommitment(commitmentId) is not { Contract: { } contract } commitment) yield break;
        if (commitment.FindMeasurement(measurementId) is not { } measurement) yield break;
        foreach (var settlement in contract.Settlements.Where(s => s.PeriodStart <= measurement.PeriodEnd && measurement.PeriodStart <= s.PeriodEnd))
            yield return new RecalculateSettlement(account.Id, commitmentId, settlement.Id,
                $"Measurement {measurementId} was corrected (revision {measurement.Revision + 1}): {reason}");
    }
}

public static class RecalculateSettlementHandler
{
    public static Written Handle(RecalculateSettlement command, [WriteAggregate(Required = false)] IEventStream<Account> stream, TimeProvider clock) =>
        stream.Decide(null, account =>
            SettlementDecisions.Recalculate(account, command.CommitmentId, command.SettlementId, command.Reason, command.By, clock.GetUtcNow()));
}
