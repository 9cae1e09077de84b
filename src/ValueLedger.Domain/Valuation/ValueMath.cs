namespace ValueLedger.Domain;

/// <summary>
/// The formulas of docs/domain.md, as pure functions of a commitment's state. The same code serves the live view,
/// time travel and the portfolio, so there is one source of truth for every figure.
/// </summary>
public static class ValueMath
{
    public static MeasurementFigures Figures(Commitment commitment, Measurement measurement)
    {
        var terms = commitment.TermsOn(measurement.PeriodStart);
        var promisedImprovement = terms.PromisedImprovement(commitment.Direction);
        var improvement = terms.Improvement(commitment.Direction, measurement.Value);
        var weight = CadenceCalendar.Weight(measurement.PeriodStart, measurement.PeriodEnd, commitment.Cadence);
        return new MeasurementFigures(
            measurement.Id, measurement.PeriodStart, measurement.PeriodEnd, measurement.Value, terms.Version, improvement, weight,
            RealizedValue: improvement * terms.UnitValue * weight,
            PromisedValue: promisedImprovement * terms.UnitValue * weight,
            Progress: Clamp01(improvement / promisedImprovement),
            PathValue: PathValue(commitment, terms, measurement.PeriodEnd));
    }

    /// <summary>
    /// Promised improvement × unit value × the cadence periods of the commitment, each part of the period valued
    /// under the terms in force for it (a revision re-prices only the periods from its effective date).
    /// </summary>
    public static decimal PromisedValue(Commitment commitment)
    {
        var total = 0m;
        foreach (var part in CadenceCalendar.Split(commitment.PeriodStart, commitment.PeriodEnd, commitment.Cadence))
        {
            foreach (var (start, end) in CutAtRevisions(commitment, part.Start, part.End))
            {
                var terms = commitment.TermsOn(start);
                var share = part.Weight * CadenceCalendar.Days(start, end) / CadenceCalendar.Days(part.Start, part.End);
                total += terms.PromisedImprovement(commitment.Direction) * terms.UnitValue * share;
            }
        }
        return total;
    }

    /// <summary>
    /// The promised value of a span of the commitment's period (e.g. a settlement period), valued like
    /// <see cref="PromisedValue(Commitment)"/>: promised improvement × unit value × the cadence periods it spans.
    /// </summary>
    public static decimal PromisedValue(Commitment commitment, DateOnly from, DateOnly to)
    {
        var total = 0m;
        foreach (var part in CadenceCalendar.Split(from, to, commitment.Cadence))
        {
            foreach (var (start, end) in CutAtRevisions(commitment, part.Start, part.End))
            {
                var terms = commitment.TermsOn(start);
                var share = part.Weight * CadenceCalendar.Days(start, end) / CadenceCalendar.Days(part.Start, part.End);
                total += terms.PromisedImprovement(commitment.Direction) * terms.UnitValue * share;
            }
        }
        return total;
    }

    /// <summary>Where the straight path from baseline (at the start) to target (at the end) stands on a day.</summary>
    public static decimal ExpectedProgress(Commitment commitment, DateOnly day) =>
        Clamp01((decimal)CadenceCalendar.Days(commitment.PeriodStart, day) / CadenceCalendar.Days(commitment.PeriodStart, commitment.PeriodEnd));

    public static decimal Clamp01(decimal value) => Math.Clamp(value, 0m, 1m);

    private static decimal PathValue(Commitment commitment, CommitmentTerms terms, DateOnly day) =>
        terms.Baseline.Value + (terms.Target - terms.Baseline.Value) * ExpectedProgress(commitment, day);

    private static IEnumerable<(DateOnly Start, DateOnly End)> CutAtRevisions(Commitment commitment, DateOnly start, DateOnly end)
    {
        var cuts = commitment.Terms.Select(t => t.EffectiveFrom).Where(d => d > start && d <= end).Distinct().Order();
        var from = start;
        foreach (var cut in cuts)
        {
            yield return (from, cut.AddDays(-1));
            from = cut;
        }
        yield return (from, end);
    }
}
