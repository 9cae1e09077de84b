namespace ValueLedger.Domain;

/// <summary>The named reasons a realized-value claim is less than certain. Missing data is named, never counted as zero.</summary>
public enum GapCode { NoBaselineSource, NoMeasurement, Stale, SelfReportedWithoutEvidence, Unconfirmed, Disputed, ConfirmedOnBehalf, Unmeasured }

public sealed record Gap(GapCode Code, string Detail);

public sealed record TimeToValue(DateOnly? FirstImprovementOn, int? DaysToFirstImprovement, DateOnly? TargetReachedOn, int? DaysToTarget)
{
    /// <summary>Payback: the end of the first period by which cumulative realized value reaches the investment, and the days from the start to it.</summary>
    public DateOnly? PaybackOn { get; init; }
    public int? DaysToPayback { get; init; }
    /// <summary>What payback is measured against (null: no investment is known), and where it comes from.</summary>
    public decimal? Investment { get; init; }
    public string? InvestmentSource { get; init; }
}

/// <summary>The figures of one measurement under the terms that were in force for its period.</summary>
public sealed record MeasurementFigures(
    Guid MeasurementId, DateOnly PeriodStart, DateOnly PeriodEnd, decimal Value, int TermsVersion, decimal Improvement,
    decimal Weight, decimal RealizedValue, decimal PromisedValue, decimal Progress, decimal PathValue);

public sealed record CommitmentFigures(
    Guid CommitmentId, decimal? Progress, decimal? LatestImprovement, decimal PromisedImprovement,
    decimal PromisedValue, decimal PromisedToDate, decimal RealizedValue, decimal? RealizationRate, decimal AtRiskValue,
    CommitmentStatus Status, string StatusReason, Level Confidence, IReadOnlyList<Gap> Gaps,
    DateTimeOffset? LastMeasuredAt, DateOnly? LastMeasuredPeriodEnd, TimeToValue TimeToValue,
    IReadOnlyList<MeasurementFigures> Measurements, CommitmentCoverage? Coverage = null);

public sealed record AccountFigures(
    decimal PromisedValue, decimal PromisedToDate, decimal RealizedValue, decimal? RealizationRate, decimal AtRiskValue,
    CommitmentStatus Status, Level? Confidence, IReadOnlyList<Gap> Gaps, IReadOnlyList<CommitmentFigures> Commitments,
    decimal? Coverage = null);
