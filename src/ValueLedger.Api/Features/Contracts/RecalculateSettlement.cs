using JasperFx.Events;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Domain;
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

/// <summary>What the account projection publishes after a correction (kept out of the handler class, whose methods Wolverine reads).</summary>
public static class SettlementFollowUp
{
    /// <summary>The settlements whose periods a correction in these events touches.</summary>
    public static IEnumerable<RecalculateSettlement> Recalculations(Account account, IEnumerable<IEvent> events)
    {
        foreach (var corrected in events.Select(e => e.Data).OfType<MeasurementCorrected>())
        {
            if (account.FindCommitment(corrected.CommitmentId) is not { Contract: { } contract } commitment) continue;
            if (commitment.FindMeasurement(corrected.MeasurementId) is not { } measurement) continue;
            foreach (var settlement in contract.Settlements.Where(s => s.PeriodStart <= measurement.PeriodEnd && measurement.PeriodStart <= s.PeriodEnd))
                yield return new RecalculateSettlement(account.Id, commitment.Id, settlement.Id,
                    $"Measurement {corrected.MeasurementId} was corrected (revision {corrected.Revision}): {corrected.Reason}");
        }
    }
}
