namespace ValueLedger.Domain;

public sealed record CommitValue(
    ValueDriver Driver, string Metric, string Unit, Direction Direction, Baseline Baseline, decimal Target,
    decimal UnitValue, DateOnly PeriodStart, DateOnly PeriodEnd, Cadence Cadence, CommitmentOwner Owner,
    Level Confidence, Approach? Approach, Investment? Investment = null);

public sealed record ReviseCommitment(
    DateOnly? EffectiveFrom, Baseline? Baseline, decimal? Target, decimal? UnitValue, DateOnly? PeriodEnd, string Reason);

public sealed record WithdrawCommitment(string Reason);

public static class CommitmentDecisions
{
    public static Decision Commit(Account account, Guid commitmentId, CommitValue c, decimal riskTolerance, DateTimeOffset now)
    {
        if (c.PeriodEnd < c.PeriodStart)
            return Decision.Unprocessable("Period ends before it starts", $"periodEnd {c.PeriodEnd:O} is before periodStart {c.PeriodStart:O}.");
        if (ImprovementOf(c.Direction, c.Baseline.Value, c.Target) <= 0)
            return TargetNotAnImprovement(c.Direction, c.Baseline.Value, c.Target);

        return Decision.Accept(new ValueCommitted(
            account.Id, commitmentId, c.Driver, c.Metric.Trim(), c.Unit.Trim(), c.Direction, c.Baseline, c.Target,
            c.UnitValue, c.PeriodStart, c.PeriodEnd, c.Cadence, c.Owner, c.Approach ?? account.Approach,
            c.Confidence, riskTolerance, now, c.Investment is { } i ? i with { Source = i.Source.Trim() } : null));
    }

    public static Decision Revise(Account account, Guid commitmentId, ReviseCommitment r, DateTimeOffset now)
    {
        if (account.FindCommitment(commitmentId) is not { } commitment) return Decision.NotFound("Commitment", commitmentId);
        if (commitment.IsWithdrawn) return Withdrawn(commitment);
        if (string.IsNullOrWhiteSpace(r.Reason))
            return Decision.Unprocessable("Reason required", "A commitment is revised only with a reason; state why the terms change.");

        var current = commitment.CurrentTerms;
        var effectiveFrom = r.EffectiveFrom ?? DateOnly.FromDateTime(now.UtcDateTime);
        if (effectiveFrom < commitment.PeriodStart || effectiveFrom > current.PeriodEnd)
            return Decision.Unprocessable("Revision outside the commitment's period",
                $"effectiveFrom {effectiveFrom:O} must fall between {commitment.PeriodStart:O} and {current.PeriodEnd:O}.");
        if (effectiveFrom < current.EffectiveFrom)
            return Decision.Unprocessable("Revision before the latest revision",
                $"Revision {current.Version} took effect on {current.EffectiveFrom:O}; a new revision cannot take effect earlier.");

        var baseline = r.Baseline ?? current.Baseline;
        var target = r.Target ?? current.Target;
        if (ImprovementOf(commitment.Direction, baseline.Value, target) <= 0)
            return TargetNotAnImprovement(commitment.Direction, baseline.Value, target);

        if (r.PeriodEnd is { } periodEnd)
        {
            if (periodEnd < commitment.PeriodStart)
                return Decision.Unprocessable("Period ends before it starts", $"periodEnd {periodEnd:O} is before the commitment's start {commitment.PeriodStart:O}.");
            if (periodEnd < effectiveFrom)
                return Decision.Unprocessable("New end before the revision takes effect",
                    $"periodEnd {periodEnd:O} is before effectiveFrom {effectiveFrom:O}; the new terms would govern no period.");
            if (commitment.Measurements.Count > 0 && commitment.Measurements.Max(m => m.PeriodEnd) is var lastMeasured && lastMeasured > periodEnd)
                return Decision.Unprocessable("Measurements after the new end",
                    $"A measurement already covers {lastMeasured:O}, after the proposed periodEnd {periodEnd:O}.");
        }

        return Decision.Accept(new CommitmentRevised(
            commitmentId, current.Version + 1, effectiveFrom, r.Baseline, r.Target, r.UnitValue, r.PeriodEnd, r.Reason.Trim(), now));
    }

    public static Decision Withdraw(Account account, Guid commitmentId, WithdrawCommitment w, DateTimeOffset now)
    {
        if (account.FindCommitment(commitmentId) is not { } commitment) return Decision.NotFound("Commitment", commitmentId);
        if (commitment.IsWithdrawn) return Withdrawn(commitment);
        if (string.IsNullOrWhiteSpace(w.Reason))
            return Decision.Unprocessable("Reason required", "A commitment is withdrawn only with a reason.");
        return Decision.Accept(new CommitmentWithdrawn(commitmentId, w.Reason.Trim(), now));
    }

    internal static Rejection Withdrawn(Commitment commitment) => new(RejectionKind.Unprocessable, "Commitment withdrawn",
        $"The commitment was withdrawn on {commitment.Withdrawal!.At:O} ({commitment.Withdrawal.Reason}); it takes no further changes.");

    private static decimal ImprovementOf(Direction direction, decimal baseline, decimal target) =>
        direction == Direction.HigherIsBetter ? target - baseline : baseline - target;

    private static Decision TargetNotAnImprovement(Direction direction, decimal baseline, decimal target) =>
        Decision.Unprocessable("Target is not an improvement",
            direction == Direction.HigherIsBetter
                ? $"With higherIsBetter the target ({target}) must be above the baseline ({baseline})."
                : $"With lowerIsBetter the target ({target}) must be below the baseline ({baseline}).");
}
