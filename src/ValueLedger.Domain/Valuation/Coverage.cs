namespace ValueLedger.Domain;

/// <summary>
/// How much of the time that has passed is measured (domain.md, More rules): the elapsed cadence periods of a
/// commitment run from its start to the last period that has ended (never past the commitment's end); the
/// <see cref="CommitmentCoverage.Unmeasured"/> periods are those no counted measurement touches;
/// <c>coverage = measured weight ÷ elapsed weight</c>. Provisional measurements count for nothing. Coverage depends on
/// the day it is asked about, so it is worked out when a view is read (for its <c>asOf</c>), never stored.
/// </summary>
public static class Coverage
{
    /// <summary>At most this many unmeasured periods are listed (the newest); the count says how many there are.</summary>
    public const int ListedPeriods = 24;

    /// <summary>A period has ended once its last day is over (UTC): a December figure is not a fact on 2 December.</summary>
    public static bool HasEnded(DateOnly periodEnd, DateTimeOffset now) => periodEnd < DateOnly.FromDateTime(now.UtcDateTime);

    /// <summary>The last day of the elapsed periods on <paramref name="today"/>: the end of the last ended cadence period, or the commitment's end.</summary>
    public static DateOnly ElapsedUntil(Commitment commitment, DateOnly today) =>
        ElapsedUntil(commitment.PeriodEnd, commitment.Cadence, today);

    public static DateOnly ElapsedUntil(DateOnly periodEnd, Cadence cadence, DateOnly today)
    {
        if (periodEnd < today) return periodEnd;
        var lastEnded = CadenceCalendar.StartOfPeriod(today, cadence).AddDays(-1);
        return lastEnded < periodEnd ? lastEnded : periodEnd;
    }

    /// <summary>
    /// The commitment's promise as spans of constant value per cadence period (one per terms version in force), so a
    /// stored summary can value the elapsed periods of any later day: Σ per period × the weight of each span's elapsed part,
    /// which is <see cref="ValueMath.PromisedValue(Commitment, DateOnly, DateOnly)"/> of the elapsed periods.
    /// </summary>
    public static IReadOnlyList<PromiseSpan> PromiseOf(Commitment commitment)
    {
        var starts = commitment.Terms.Select(t => t.EffectiveFrom).Where(d => d > commitment.PeriodStart && d <= commitment.PeriodEnd)
            .Append(commitment.PeriodStart).Distinct().Order().ToList();
        return starts.Select((start, i) =>
        {
            var terms = commitment.TermsOn(start);
            return new PromiseSpan(start, i + 1 < starts.Count ? starts[i + 1].AddDays(-1) : commitment.PeriodEnd,
                terms.PromisedImprovement(commitment.Direction) * terms.UnitValue);
        }).ToList();
    }

    /// <summary>The promised value of the periods elapsed on <paramref name="today"/>, from the spans of <see cref="PromiseOf"/>.</summary>
    public static decimal PromisedElapsed(IReadOnlyList<PromiseSpan> promise, Cadence cadence, DateOnly periodEnd, DateOnly today)
    {
        var until = ElapsedUntil(periodEnd, cadence, today);
        return promise.Where(s => s.From <= until)
            .Sum(s => s.PerPeriod * CadenceCalendar.Weight(s.From, s.To < until ? s.To : until, cadence));
    }

    public static CommitmentCoverage Of(Commitment commitment, DateOnly today)
    {
        var until = ElapsedUntil(commitment, today);
        if (until < commitment.PeriodStart) return new CommitmentCoverage(null, 0, 0, null, 0, 0, []);
        var counted = commitment.InPeriodOrder().Where(m => !m.Provisional && m.PeriodStart <= until).ToList();
        var elapsed = CadenceCalendar.Split(commitment.PeriodStart, until, commitment.Cadence).ToList();
        var measured = counted.Sum(m => CadenceCalendar.Weight(m.PeriodStart, m.PeriodEnd < until ? m.PeriodEnd : until, commitment.Cadence));
        // One sweep over both ordered lists (measurements do not overlap): O(periods + measurements).
        var unmeasured = new List<DateSpan>();
        var next = 0;
        foreach (var p in elapsed)
        {
            while (next < counted.Count && counted[next].PeriodEnd < p.Start) next++;
            if (next == counted.Count || counted[next].PeriodStart > p.End) unmeasured.Add(new DateSpan(p.Start, p.End));
        }
        var elapsedWeight = elapsed.Sum(p => p.Weight);
        return new CommitmentCoverage(until, elapsedWeight, measured, elapsedWeight == 0 ? null : Math.Min(1m, measured / elapsedWeight),
            ValueMath.PromisedValue(commitment, commitment.PeriodStart, until), unmeasured.Count,
            unmeasured.Skip(Math.Max(0, unmeasured.Count - ListedPeriods)).ToList());
    }

    /// <summary>The gap that names the unmeasured periods, if any.</summary>
    public static Gap? GapOf(CommitmentCoverage coverage) => coverage.UnmeasuredCount == 0
        ? null
        : new Gap(GapCode.Unmeasured,
            $"{coverage.UnmeasuredCount} elapsed period(s) have no measurement" +
            (coverage.UnmeasuredCount > coverage.Unmeasured.Count ? $" (the newest {coverage.Unmeasured.Count}: " : ": ") +
            string.Join(", ", coverage.Unmeasured.Select(p => p.Start == p.End ? $"{p.Start:O}" : $"{p.Start:O}..{p.End:O}")) +
            (coverage.UnmeasuredCount > coverage.Unmeasured.Count ? ")" : "") + "; missing is not zero.");

    /// <summary>
    /// Coverage of several commitments, weighted by money: promised to date (the promise of the measured periods) ÷
    /// the promise of the elapsed periods. Null when nothing has elapsed.
    /// </summary>
    public static decimal? Weighted(IEnumerable<(decimal PromisedToDate, CommitmentCoverage Coverage)> commitments)
    {
        var list = commitments.ToList();
        var elapsed = list.Sum(c => c.Coverage.PromisedElapsed);
        return elapsed == 0 ? null : Math.Clamp(list.Sum(c => c.PromisedToDate) / elapsed, 0m, 1m);
    }
}

/// <summary>A span of a commitment's period with its promised value per cadence period (promised improvement × unit value).</summary>
public sealed record PromiseSpan(DateOnly From, DateOnly To, decimal PerPeriod);

/// <summary>
/// A commitment's coverage on a day: the elapsed weight (cadence periods from the start to <see cref="ElapsedUntil"/>),
/// the measured weight within it, <see cref="Ratio"/> (null when nothing has elapsed), the promised value of the elapsed
/// periods (for money-weighted coverage of accounts and the portfolio) and the unmeasured periods (the newest
/// <see cref="Coverage.ListedPeriods"/>, with their count).
/// </summary>
public sealed record CommitmentCoverage(
    DateOnly? ElapsedUntil, decimal ElapsedWeight, decimal MeasuredWeight, decimal? Ratio, decimal PromisedElapsed, int UnmeasuredCount,
    IReadOnlyList<DateSpan> Unmeasured);
