using ValueLedger.Api.Features.Contracts;

namespace ValueLedger.Api.Features.Commitments;

/// <summary>A commitment with its current terms, every revision, every measurement and its figures.</summary>
public sealed record CommitmentView(
    Guid Id, Guid AccountId, string Currency, ValueDriver Driver, string Metric, string Unit, Direction Direction,
    Cadence Cadence, CommitmentOwner Owner, Approach Approach, Level EstimateConfidence, DateOnly PeriodStart, DateOnly PeriodEnd,
    decimal RiskTolerance, CommitmentTerms CurrentTerms, IReadOnlyList<CommitmentTerms> Revisions,
    IReadOnlyList<MeasurementView> Measurements, decimal? Progress, decimal PromisedImprovement, decimal PromisedValue,
    decimal PromisedToDate, decimal RealizedValue, decimal? RealizationRate, decimal AtRiskValue, CommitmentStatus Status,
    string StatusReason, Level Confidence, IReadOnlyList<Gap> Gaps, TimeToValue TimeToValue, DateTimeOffset? LastMeasuredAt,
    Withdrawal? Withdrawal, Staleness? Staleness, long Version)
{
    /// <summary>The outcome-based contract (outcome-centric commitments), null until terms are agreed.</summary>
    public ContractView? Contract { get; init; }
    /// <summary>Every missed occurrence of a responsibility of either party that concerns the commitment.</summary>
    public IReadOnlyList<MissedDuty> MissedResponsibilities { get; init; } = [];
    /// <summary>When the commitment missed its target: the customer's missed responsibilities that excuse the miss.</summary>
    public IReadOnlyList<MissedDuty> ExcusedBy { get; init; } = [];
    /// <summary>Recorded when the period ended without the target shown as reached.</summary>
    public TargetMiss? TargetMiss { get; init; }
    /// <summary>How many measurements the commitment has; <see cref="Measurements"/> holds the newest of them.</summary>
    public int MeasurementCount { get; init; }
    /// <summary>How much of the elapsed time is measured, on the view's moment, with the unmeasured periods.</summary>
    public CommitmentCoverage? Coverage { get; init; }
    /// <summary>The whole history for a chart, at most <see cref="SeriesPoints"/> points (evenly down-sampled, ends kept).</summary>
    public IReadOnlyList<SeriesPoint> Series { get; init; } = [];

    /// <summary>The newest measurements the view embeds; every one is a page of <c>GET …/measurements</c> away.</summary>
    public const int RecentMeasurements = 100;
    public const int SeriesPoints = 400;

    /// <summary>The commitment's view; <paramref name="asOf"/> is the moment its coverage is worked out for.</summary>
    public static CommitmentView Of(Account account, Commitment c, DateTimeOffset asOf)
    {
        var f = CommitmentValuation.Evaluate(c, DateOnly.FromDateTime(asOf.UtcDateTime));
        var figuresById = f.Measurements.ToDictionary(m => m.MeasurementId);
        var inOrder = c.InPeriodOrder().ToList();
        return new CommitmentView(
            c.Id, account.Id, account.Currency, c.Driver, c.Metric, c.Unit, c.Direction, c.Cadence, c.Owner, c.Approach,
            c.EstimateConfidence, c.PeriodStart, c.PeriodEnd, c.RiskTolerance, c.CurrentTerms, c.Terms,
            inOrder.Skip(Math.Max(0, inOrder.Count - RecentMeasurements)).Select(m => MeasurementView.Of(account, c, m, figuresById[m.Id])).ToList(),
            f.Progress, f.PromisedImprovement, f.PromisedValue, f.PromisedToDate, f.RealizedValue, f.RealizationRate,
            f.AtRiskValue, f.Status, f.StatusReason, f.Confidence, f.Gaps, f.TimeToValue, f.LastMeasuredAt, c.Withdrawal,
            c.Staleness, account.Version)
        {
            Contract = ContractView.Of(account, c),
            MissedResponsibilities = c.Accountability.Misses,
            ExcusedBy = f.Status == CommitmentStatus.Missed ? Accountability.CustomerMisses(c) : [],
            TargetMiss = c.Accountability.TargetMiss,
            MeasurementCount = inOrder.Count,
            Coverage = f.Coverage,
            Series = DownSample(inOrder, SeriesPoints).Select(m => SeriesPoint.Of(m, figuresById[m.Id])).ToList()
        };
    }

    /// <summary>At most <paramref name="points"/> items, evenly spaced over the list, the first and the last always among them.</summary>
    public static IEnumerable<T> DownSample<T>(IReadOnlyList<T> items, int points)
    {
        if (items.Count <= points) return items;
        return Enumerable.Range(0, points).Select(i => items[(int)((long)i * (items.Count - 1) / (points - 1))]);
    }
}

/// <summary>One point of a commitment's chart: a measurement's period, value and the path to target at its period.</summary>
public sealed record SeriesPoint(Guid Id, DateOnly PeriodStart, DateOnly PeriodEnd, decimal Value, decimal PathValue, int Revision,
    VerificationState Verification)
{
    public static SeriesPoint Of(Measurement m, MeasurementFigures f) =>
        new(m.Id, m.PeriodStart, m.PeriodEnd, m.Value, f.PathValue, m.Revision, m.VerificationState);
}

/// <summary>A measurement with its current value, every correction and its verification by the customer.</summary>
public sealed record MeasurementView(
    Guid Id, Guid CommitmentId, Guid AccountId, DateOnly PeriodStart, DateOnly PeriodEnd, decimal Value, int Revision,
    MeasurementSource Source, string? EvidenceUrl, string? Note, string RecordedBy, DateTimeOffset RecordedAt,
    IReadOnlyList<MeasuredValue> History, VerificationState Verification, Domain.Verification? VerifiedBy,
    IReadOnlyList<Domain.Verification> Verifications, MeasurementFigures Figures)
{
    /// <summary>Customer success's answers in the dispute thread (the customer's steps are the verifications).</summary>
    public IReadOnlyList<ThreadComment> Comments { get; init; } = [];
    /// <summary>Recorded before its period ended: counted in no total until a correction after the period's end gives the final figure.</summary>
    public bool Provisional { get; init; }

    public static MeasurementView Of(Account account, Commitment c, Measurement m, MeasurementFigures figures) => new(
        m.Id, c.Id, account.Id, m.PeriodStart, m.PeriodEnd, m.Value, m.Revision, m.Source, m.EvidenceUrl, m.Note,
        m.RecordedBy, m.RecordedAt, m.Values, m.VerificationState, m.CurrentVerification, m.Verifications, figures)
    {
        Comments = m.Comments,
        Provisional = m.Provisional
    };
}
