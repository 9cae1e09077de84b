namespace ValueLedger.Domain;

/// <summary>
/// Who is accountable for how a commitment fares: the missed responsibilities of either party that concern it, and
/// whether its period ended without the target. A missed customer responsibility excuses a miss and must be visible.
/// </summary>
public sealed class Accountability
{
    public List<MissedDuty> Misses { get; set; } = [];
    public TargetMiss? TargetMiss { get; set; }

    /// <summary>The customer's missed responsibilities within the commitment's period: they excuse a miss.</summary>
    public static IReadOnlyList<MissedDuty> CustomerMisses(Commitment commitment) =>
        commitment.Accountability.Misses
            .Where(m => m.Party == Party.Customer && m.PeriodStart <= commitment.PeriodEnd && commitment.PeriodStart <= m.PeriodEnd)
            .ToList();

    /// <summary>
    /// The status rules that come from accountability, ahead of the numbers (null when they have nothing to say):
    /// a period over without the target is missed, and says so when the customer's missed responsibilities excuse it;
    /// a responsibility missed and still not delivered puts the commitment at risk. A reached target wins over both.
    /// </summary>
    public static (CommitmentStatus Status, string Reason)? StatusOf(Commitment commitment, MeasurementFigures? latest)
    {
        if (latest is { Progress: >= 1 }) return null;
        var targetMiss = commitment.Accountability.TargetMiss is { } miss && miss.PeriodEnd == commitment.PeriodEnd ? miss : null;
        if (targetMiss is not null || latest is not null && latest.PeriodEnd >= commitment.PeriodEnd)
        {
            var excuses = CustomerMisses(commitment);
            var progress = latest is null ? "nothing measured" : $"{latest.Progress:P0} of the promised improvement";
            if (excuses.Count > 0)
                return (CommitmentStatus.Missed,
                    $"The period ended on {commitment.PeriodEnd:O} with {progress}, while the customer missed its responsibilities: " +
                    string.Join("; ", excuses.Select(Describe)) + ".");
            if (targetMiss is not null)
                return (CommitmentStatus.Missed, $"The period ended on {commitment.PeriodEnd:O} without the target reached ({progress}).");
            return null;
        }

        var outstanding = commitment.Accountability.Misses.Where(m => m.IsOutstanding).ToList();
        if (outstanding.Find(m => m.Party == Party.Customer) is { } blocking)
            return (CommitmentStatus.AtRisk, $"Blocked by a missed customer responsibility: {Describe(blocking)}.");
        if (outstanding.FirstOrDefault() is { } seller)
            return (CommitmentStatus.AtRisk, $"A seller responsibility was missed: {Describe(seller)}.");
        return null;
    }

    public static string Describe(MissedDuty miss) =>
        $"'{miss.Description}' for {miss.PeriodStart:O}..{miss.PeriodEnd:O}, due {miss.DueAt:O}" +
        (miss.FulfilledLateAt is { } late ? $", delivered late on {late:O}" : ", still outstanding");
}
