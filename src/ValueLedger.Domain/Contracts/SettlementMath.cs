using System.Globalization;

namespace ValueLedger.Domain;

/// <summary>A band's part of the variable amount: the width of its overlap with [1, p] or [p, 1], times rate × P.</summary>
public sealed record BandAmount(decimal? From, decimal? To, decimal Rate, decimal Width, decimal Amount);

/// <summary>The variable amount and the fee that follow from P and R under a contract's terms.</summary>
public sealed record ShareOutcome(
    decimal? PerformanceRatio, IReadOnlyList<BandAmount> Bands, decimal UnboundedVariableAmount, BoundBy? BoundBy,
    decimal VariableAmount, decimal Fee);

/// <summary>One measurement's part in a settlement: the days of it that fall inside the settled period.</summary>
public sealed record CountedMeasurement(
    Guid MeasurementId, int Revision, DateOnly PeriodStart, DateOnly PeriodEnd, decimal Value, decimal Improvement, decimal Weight,
    decimal RealizedValue, VerificationState Verification);

/// <summary>
/// The gain/pain-share formulas of the issue "outcome-based contracts", as pure functions.
/// P is the promised value of the settled period, R the realized value of the measurements in it, p = R / P.
/// </summary>
public static class SettlementMath
{
    /// <summary>
    /// sharedSavings: V = rate × max(0, R). banded: above target (p &gt; 1) V = Σ rate × P × |[from, to) ∩ [1, p]|; below
    /// target (p &lt; 1) V = −Σ rate × P × |[from, to) ∩ [p, 1]|; exactly on target V = 0. Then V is bounded to
    /// max(floor, min(cap, V)) and the fee is feeBase + V. When P is zero there is no ratio: a banded contract has no
    /// band to apply and its variable amount is zero before the bounds.
    /// </summary>
    public static ShareOutcome Share(ContractTerms terms, decimal promised, decimal realized)
    {
        decimal? ratio = promised == 0 ? null : realized / promised;
        IReadOnlyList<BandAmount> bands = [];
        decimal unbounded;
        if (terms.Model == ShareModel.SharedSavings)
        {
            unbounded = terms.Rate!.Value * Math.Max(0, realized);
        }
        else
        {
            bands = terms.Bands.Select(b => BandOf(b, promised, ratio)).ToList();
            unbounded = bands.Sum(b => b.Amount);
        }

        var (variable, boundBy) = Bound(unbounded, terms.Floor, terms.Cap);
        return new ShareOutcome(ratio, bands, unbounded, boundBy, variable, terms.FeeBase + variable);
    }

    /// <summary>max(floor, min(cap, V)), and which bound changed V (a V exactly on a bound is not bound by it).</summary>
    public static (decimal Variable, BoundBy? BoundBy) Bound(decimal unbounded, decimal? floor, decimal? cap)
    {
        if (cap is { } c && unbounded > c) return (floor is { } f1 && f1 > c ? f1 : c, floor is { } f2 && f2 > c ? BoundBy.Floor : BoundBy.Cap);
        if (floor is { } f && unbounded < f) return (f, BoundBy.Floor);
        return (unbounded, null);
    }

    private static BandAmount BandOf(ShareBand band, decimal promised, decimal? ratio)
    {
        if (ratio is not { } p || p == 1) return new BandAmount(band.From, band.To, band.Rate, 0, 0);
        if (p > 1)
        {
            var width = Overlap(band.From, band.To, 1, p);
            return new BandAmount(band.From, band.To, band.Rate, width, band.Rate * promised * width);
        }
        var below = Overlap(band.From, band.To, p, 1);
        return new BandAmount(band.From, band.To, band.Rate, below, -band.Rate * promised * below);
    }

    /// <summary>|[from, to) ∩ [low, high]|: the length both intervals share (a missing bound is unbounded).</summary>
    public static decimal Overlap(decimal? from, decimal? to, decimal low, decimal high)
    {
        var start = from is { } f && f > low ? f : low;
        var end = to is { } t && t < high ? t : high;
        return Math.Max(0, end - start);
    }

    /// <summary>
    /// R: each measurement that overlaps the period counts for the days inside it, by the formulas of
    /// <see cref="ValueMath.Figures"/> (improvement × unit value × weight, under the terms in force for the measurement,
    /// with its latest correction).
    /// </summary>
    public static IReadOnlyList<CountedMeasurement> Counted(Commitment commitment, DateOnly from, DateOnly to) =>
        commitment.InPeriodOrder()
            .Where(m => m.PeriodStart <= to && from <= m.PeriodEnd)
            .Select(m =>
            {
                var start = m.PeriodStart > from ? m.PeriodStart : from;
                var end = m.PeriodEnd < to ? m.PeriodEnd : to;
                var terms = commitment.TermsOn(m.PeriodStart);
                var improvement = terms.Improvement(commitment.Direction, m.Value);
                var weight = CadenceCalendar.Weight(start, end, commitment.Cadence);
                return new CountedMeasurement(m.Id, m.Revision, start, end, m.Value, improvement, weight,
                    improvement * terms.UnitValue * weight, m.VerificationState);
            })
            .ToList();

    /// <summary>The days of the period no measurement covers: missing data is named, never counted as zero.</summary>
    public static IReadOnlyList<DateSpan> Unmeasured(Commitment commitment, DateOnly from, DateOnly to)
    {
        var gaps = new List<DateSpan>();
        var next = from;
        foreach (var m in commitment.InPeriodOrder().Where(m => m.PeriodStart <= to && from <= m.PeriodEnd))
        {
            if (m.PeriodStart > next) gaps.Add(new DateSpan(next, m.PeriodStart.AddDays(-1)));
            if (m.PeriodEnd >= next) next = m.PeriodEnd.AddDays(1);
        }
        if (next <= to) gaps.Add(new DateSpan(next, to));
        return gaps;
    }

    /// <summary>The supplied rate from one currency to another, if any (1 <paramref name="from"/> = rate <paramref name="to"/>).</summary>
    public static ExchangeRate? RateFor(IEnumerable<ExchangeRate> rates, string from, string to) =>
        rates.FirstOrDefault(r => string.Equals(r.From, from, StringComparison.OrdinalIgnoreCase) &&
                                  string.Equals(r.To, to, StringComparison.OrdinalIgnoreCase));

    /// <summary>A settlement is outdated once a measurement it counted was corrected, verified again, added or removed.</summary>
    public static bool IsOutdated(Commitment commitment, SettlementCalculated settlement)
    {
        var counted = Counted(commitment, settlement.Breakdown.PeriodStart, settlement.Breakdown.PeriodEnd);
        return !counted.Select(Fingerprint).SequenceEqual(settlement.Breakdown.Measurements.Select(Fingerprint));
    }

    private static (Guid, int, VerificationState, DateOnly, DateOnly) Fingerprint(CountedMeasurement m) =>
        (m.MeasurementId, m.Revision, m.Verification, m.PeriodStart, m.PeriodEnd);

    public static string Amount(decimal value) => value.ToString("0.##########", CultureInfo.InvariantCulture);
}
