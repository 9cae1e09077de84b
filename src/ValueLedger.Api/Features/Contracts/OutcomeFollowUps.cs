using ValueLedger.Api.Features.Live;

namespace ValueLedger.Api.Features.Contracts;

/// <summary>
/// What the account projection publishes, once a slice of outcome-related events is committed, beyond the account's
/// own pushes: a new settlement version for each settled period a correction touches, and a commitmentAtRisk push for
/// a period that ended without its target (a missed commitment is not "at risk", so the at-risk transitions leave it out).
/// </summary>
public static class OutcomeFollowUps
{
    public static IEnumerable<object> Of(Account? account, IEnumerable<IEvent> events)
    {
        if (account is null) yield break;
        foreach (var data in events.Select(e => e.Data))
        {
            switch (data)
            {
                case MeasurementCorrected corrected:
                    foreach (var recalculation in Recalculations(account, corrected)) yield return recalculation;
                    break;
                case TargetMissedAtPeriodEnd missed when account.FindCommitment(missed.CommitmentId) is { } commitment:
                    var figures = CommitmentValuation.Evaluate(commitment);
                    if (figures.Status == CommitmentStatus.Missed)
                        yield return new CommitmentTurnedAtRisk(account.Id, account.Name, commitment.Id, commitment.Metric, figures.StatusReason,
                            account.Currency, Math.Max(0, figures.PromisedValue - Math.Max(0, figures.RealizedValue)), account.Version);
                    break;
            }
        }
    }

    private static IEnumerable<RecalculateSettlement> Recalculations(Account account, MeasurementCorrected corrected)
    {
        if (account.FindCommitment(corrected.CommitmentId) is not { Contract: { } contract } commitment) yield break;
        if (commitment.FindMeasurement(corrected.MeasurementId) is not { } measurement) yield break;
        foreach (var settlement in contract.Settlements.Where(s => s.PeriodStart <= measurement.PeriodEnd && measurement.PeriodStart <= s.PeriodEnd))
            yield return new RecalculateSettlement(account.Id, commitment.Id, settlement.Id,
                $"Measurement {corrected.MeasurementId} was corrected (revision {corrected.Revision}): {corrected.Reason}");
    }
}
