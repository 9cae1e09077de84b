using System.Text.Json.Serialization;

namespace ValueLedger.Domain;

/// <summary>
/// What lists and the portfolio need of an account: who and where, its money figures and each commitment's figures,
/// all from <see cref="AccountValuation"/> at the account's version. The account projection stores it inside the
/// account snapshot, computed once per projection step, so it is committed in the same transaction as the events it
/// reflects and a rebuild produces it again from the same fold: it can never lag or drift from the ledger.
/// </summary>
public sealed record AccountSummary(
    Guid Id, string Name, string Industry, string Segment, string Currency, Approach Approach, string Owner,
    PriorityTier PriorityTier, long Version, CommitmentStatus Status, decimal PromisedValue, decimal PromisedToDate,
    decimal RealizedValue, decimal? RealizationRate, decimal AtRiskValue, IReadOnlyList<CommitmentLine> Commitments)
{
    public static AccountSummary Of(Account account)
    {
        var f = AccountValuation.Evaluate(account);
        return new AccountSummary(account.Id, account.Name, account.Industry, account.Segment, account.Currency, account.Approach,
            account.Owner, account.PriorityTier, account.Version, f.Status, f.PromisedValue, f.PromisedToDate, f.RealizedValue,
            f.RealizationRate, f.AtRiskValue,
            account.Commitments.Zip(f.Commitments, (c, cf) => CommitmentLine.Of(c, cf) with { Exposure = GainShareExposure.Of(account, c) }).ToList());
    }
}

/// <summary>One commitment of an account summary: its descriptors and money figures, as the portfolio sums them.</summary>
public sealed record CommitmentLine(
    Guid Id, string Metric, string Unit, ValueDriver Driver, Approach Approach, CommitmentStatus Status, string StatusReason,
    decimal? Progress, decimal PromisedValue, decimal PromisedToDate, decimal RealizedValue, decimal? RealizationRate,
    decimal AtRiskValue, Level Confidence, DateOnly? LastMeasuredPeriodEnd)
{
    /// <summary>Withdrawn commitments are listed but never counted, as in <see cref="AccountValuation"/>.</summary>
    [JsonIgnore]
    public bool Counts => Status != CommitmentStatus.Withdrawn;

    /// <summary>
    /// What coverage needs on any later day (it depends on the day, so the summary keeps its inputs, never the ratio):
    /// the cadence, the period, the promise per span and the weight measured. Null in summaries stored before coverage
    /// existed (a projection rebuild fills them).
    /// </summary>
    public Cadence? Cadence { get; init; }
    public DateOnly? PeriodStart { get; init; }
    public DateOnly? PeriodEnd { get; init; }
    public IReadOnlyList<PromiseSpan>? Promise { get; init; }
    public decimal? MeasuredWeight { get; init; }

    /// <summary>
    /// The money of each measured period (provisional figures left out), by the period's end: what a conversion into a
    /// reporting currency needs, since each period converts at the rate in force at its end. Null in summaries stored
    /// before conversions existed (a projection rebuild fills them).
    /// </summary>
    public IReadOnlyList<PeriodMoney>? Periods { get; init; }

    /// <summary>The gain-share exposure of its outcome contract, if it has one with an unfinished period measured (null in summaries stored before exposure existed).</summary>
    public GainShareExposure? Exposure { get; init; }

    /// <summary>Coverage on <paramref name="today"/> (null when nothing has elapsed or the inputs are missing) and the promise of the elapsed periods.</summary>
    public (decimal? Ratio, decimal PromisedElapsed)? CoverageOn(DateOnly today)
    {
        if (Cadence is not { } cadence || PeriodStart is not { } start || PeriodEnd is not { } end || Promise is null || MeasuredWeight is not { } measured)
            return null;
        var until = Coverage.ElapsedUntil(end, cadence, today);
        var elapsed = until < start ? 0 : CadenceCalendar.Weight(start, until, cadence);
        return (elapsed == 0 ? null : Math.Min(1m, measured / elapsed), Coverage.PromisedElapsed(Promise, cadence, end, today));
    }

    public static CommitmentLine Of(Commitment c, CommitmentFigures f) => new(
        c.Id, c.Metric, c.Unit, c.Driver, c.Approach, f.Status, f.StatusReason, f.Progress, f.PromisedValue, f.PromisedToDate,
        f.RealizedValue, f.RealizationRate, f.AtRiskValue, f.Confidence, f.LastMeasuredPeriodEnd)
    {
        Cadence = c.Cadence, PeriodStart = c.PeriodStart, PeriodEnd = c.PeriodEnd, Promise = Coverage.PromiseOf(c),
        MeasuredWeight = f.Measurements.Where(m => !c.Measurement(m.MeasurementId).Provisional).Sum(m => m.Weight),
        Periods = f.Measurements.Where(m => !c.Measurement(m.MeasurementId).Provisional)
            .GroupBy(m => m.PeriodEnd).OrderBy(g => g.Key)
            .Select(g => new PeriodMoney(g.Key, g.Sum(m => m.PromisedValue), g.Sum(m => m.RealizedValue))).ToList()
    };
}

/// <summary>What one measured period promised and realized, in the account's currency.</summary>
public sealed record PeriodMoney(DateOnly PeriodEnd, decimal Promised, decimal Realized);
