namespace ValueLedger.Domain;

/// <summary>At the end of a commitment's period: was the target reached? If not, that is recorded as a fact.</summary>
public static class TargetCheck
{
    /// <summary>The first moment (UTC) after the commitment's last day.</summary>
    public static DateTimeOffset CheckAt(DateOnly periodEnd) => Freshness.CheckAt(periodEnd);

    public static Decision Check(Account account, Guid commitmentId, DateTimeOffset now)
    {
        if (account.FindCommitment(commitmentId) is not { } commitment) return Decision.NotFound("Commitment", commitmentId);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (commitment.IsWithdrawn || today <= commitment.PeriodEnd) return Decision.Accept();
        if (commitment.Accountability.TargetMiss is { } recorded && recorded.PeriodEnd == commitment.PeriodEnd) return Decision.Accept();

        var figures = CommitmentValuation.Evaluate(commitment);
        if (figures.Progress >= 1) return Decision.Accept();
        var excusing = Accountability.CustomerMisses(commitment).Select(m => m.ResponsibilityId).Distinct().ToList();
        return Decision.Accept(new TargetMissedAtPeriodEnd(commitmentId, commitment.PeriodEnd, figures.Progress,
            figures.LastMeasuredPeriodEnd, excusing, now));
    }
}
