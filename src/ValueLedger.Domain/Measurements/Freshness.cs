namespace ValueLedger.Domain;

/// <summary>
/// A commitment goes stale when its latest measurement is older than twice its cadence: a monthly commitment last
/// measured for January is stale once March has ended without a newer measurement.
/// </summary>
public static class Freshness
{
    /// <summary>The last day by which a newer measurement must exist before the commitment is stale.</summary>
    public static DateOnly DueBy(Commitment commitment, DateOnly? measuredUntilAtLeast = null)
    {
        var latest = commitment.Latest?.PeriodEnd;
        var measuredUntil = latest is { } l && (measuredUntilAtLeast is null || l > measuredUntilAtLeast) ? l : measuredUntilAtLeast;
        return DueBy(commitment.Cadence, commitment.PeriodStart, measuredUntil);
    }

    /// <summary>Two cadence periods after the last measured one (or after the start, when nothing is measured yet).</summary>
    public static DateOnly DueBy(Cadence cadence, DateOnly periodStart, DateOnly? measuredUntil)
    {
        var nextPeriod = (measuredUntil ?? periodStart.AddDays(-1)).AddDays(1);
        return CadenceCalendar.EndOfPeriod(nextPeriod.AddMonths(CadenceCalendar.MonthsIn(cadence)), cadence);
    }

    /// <summary>When to look: the first moment (UTC) after the due day.</summary>
    public static DateTimeOffset CheckAt(DateOnly dueBy) => new(dueBy.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>Nothing more is due once a measurement covers the commitment's last day, or once it is withdrawn.</summary>
    public static bool IsDue(Commitment commitment) =>
        !commitment.IsWithdrawn && (commitment.Latest?.PeriodEnd ?? DateOnly.MinValue) < commitment.PeriodEnd;

    /// <summary>When to look again: the first moment (UTC) after the due day.</summary>
    public static DateTimeOffset NextCheckAt(Commitment commitment, DateOnly? measuredUntilAtLeast = null) =>
        CheckAt(DueBy(commitment, measuredUntilAtLeast));

    /// <summary>
    /// One check is outstanding per commitment: after a check that found it fresh and still due, look again when
    /// its next measurement falls due (newer measurements move that day later); after it went stale, or once
    /// nothing more is due, stop: a measurement that clears the staleness starts watching again.
    /// </summary>
    public static DateTimeOffset? WatchAgainAt(Commitment checkedCommitment, Decision check) =>
        check.Events.Count == 0 && IsDue(checkedCommitment) && !checkedCommitment.IsStale ? NextCheckAt(checkedCommitment) : null;

    /// <summary>A measurement that clears a staleness resumes the watch (which stopped when it went stale).</summary>
    public static DateTimeOffset? ResumeWatchAt(Commitment before, DateOnly measuredUntil) =>
        before.Staleness is { } staleness && before.IsStale && measuredUntil > (staleness.LatestMeasuredPeriodEnd ?? DateOnly.MinValue)
            ? NextCheckAt(before, measuredUntil)
            : null;

    public static Decision Check(Account account, Guid commitmentId, DateTimeOffset now)
    {
        if (account.FindCommitment(commitmentId) is not { } commitment) return Decision.NotFound("Commitment", commitmentId);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var dueBy = DueBy(commitment);
        if (!IsDue(commitment) || commitment.IsStale || today <= dueBy)
            return Decision.Accept();
        return Decision.Accept(new MeasurementsWentStale(commitmentId, commitment.Latest?.PeriodEnd, dueBy, now));
    }
}
