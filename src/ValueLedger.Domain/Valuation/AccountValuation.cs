namespace ValueLedger.Domain;

/// <summary>
/// Account figures are sums of the money figures of its live commitments (withdrawn ones are shown but not
/// counted), and its rates are ratios of those sums, never averages of rates.
/// </summary>
public static class AccountValuation
{
    /// <summary>With <paramref name="today"/>, also the coverage on that day, weighted by money (<see cref="Coverage.Weighted"/>).</summary>
    public static AccountFigures Evaluate(Account account, DateOnly? today = null)
    {
        var commitments = account.Commitments.Select(c => CommitmentValuation.Evaluate(c, today)).ToList();
        var live = commitments.Where(c => c.Status != CommitmentStatus.Withdrawn).ToList();
        var promisedToDate = live.Sum(c => c.PromisedToDate);
        var realized = live.Sum(c => c.RealizedValue);

        return new AccountFigures(
            PromisedValue: live.Sum(c => c.PromisedValue),
            PromisedToDate: promisedToDate,
            RealizedValue: realized,
            RealizationRate: promisedToDate == 0 ? null : realized / promisedToDate,
            AtRiskValue: live.Sum(c => c.AtRiskValue),
            Status: StatusOf(live),
            Confidence: live.Count == 0 ? null : live.Min(c => c.Confidence),
            Gaps: live.SelectMany(c => c.Gaps.Select(g => (c.CommitmentId, Gap: g)))
                .GroupBy(x => x.Gap.Code)
                .Select(g => new Gap(g.Key, $"{g.Count()} commitment(s): {string.Join(" ", g.Select(x => x.Gap.Detail).Distinct())}"))
                .ToList(),
            Commitments: commitments,
            Coverage: today is null ? null : Coverage.Weighted(live.Select(c => (c.PromisedToDate, c.Coverage!))));
    }

    /// <summary>At risk if any live commitment is; otherwise on track once anything has been measured.</summary>
    public static CommitmentStatus StatusOf(IReadOnlyCollection<CommitmentFigures> live)
    {
        if (live.Any(c => c.Status == CommitmentStatus.AtRisk)) return CommitmentStatus.AtRisk;
        if (live.Count > 0 && live.All(c => c.Status == CommitmentStatus.Achieved)) return CommitmentStatus.Achieved;
        if (live.Any(c => c.Status == CommitmentStatus.Missed)) return CommitmentStatus.Missed;
        if (live.Any(c => c.Status is CommitmentStatus.OnTrack or CommitmentStatus.Achieved)) return CommitmentStatus.OnTrack;
        return CommitmentStatus.NotStarted;
    }
}
