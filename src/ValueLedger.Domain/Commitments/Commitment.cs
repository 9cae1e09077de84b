using System.Text.Json.Serialization;

namespace ValueLedger.Domain;

/// <summary>A value promise with every version of its terms and every measurement taken against it.</summary>
public sealed class Commitment
{
    public Guid Id { get; set; }
    public ValueDriver Driver { get; set; }
    public string Metric { get; set; } = "";
    public string Unit { get; set; } = "";
    public Direction Direction { get; set; }
    public Cadence Cadence { get; set; }
    public CommitmentOwner Owner { get; set; }
    public Approach Approach { get; set; }
    public Level EstimateConfidence { get; set; }
    public DateOnly PeriodStart { get; set; }
    public decimal RiskTolerance { get; set; }
    /// <summary>The customer's investment from the business case, when one was given.</summary>
    public Investment? Investment { get; set; }
    public DateTimeOffset CommittedAt { get; set; }

    /// <summary>Every version of the terms, oldest first; version 1 is the original promise.</summary>
    public List<CommitmentTerms> Terms { get; set; } = [];

    public List<Measurement> Measurements { get; set; } = [];
    public Withdrawal? Withdrawal { get; set; }
    public Staleness? Staleness { get; set; }
    /// <summary>The outcome-based contract (outcome-centric commitments only): versions of its terms and settlements.</summary>
    public OutcomeContract? Contract { get; set; }
    public Accountability Accountability { get; set; } = new();

    [JsonIgnore] // derived from the state, so not stored in the snapshot
    public CommitmentTerms CurrentTerms => Terms[^1];
    [JsonIgnore]
    public DateOnly PeriodEnd => CurrentTerms.PeriodEnd;
    [JsonIgnore]
    public bool IsWithdrawn => Withdrawal is not null;

    /// <summary>The terms in force on a given day: the latest version that had taken effect by then.</summary>
    public CommitmentTerms TermsOn(DateOnly day) => Terms.LastOrDefault(t => t.EffectiveFrom <= day) ?? Terms[0];

    /// <summary>Finds a measurement by id in constant time (valuation and every correction look measurements up by id).</summary>
    public Measurement? FindMeasurement(Guid id)
    {
        // Measurements only grow (Apply adds, nothing removes), so an index of another count is stale: rebuild it, which
        // also covers a commitment just read from its JSON snapshot.
        if (_byId is null || _byId.Count != Measurements.Count)
        {
            _byId = new Dictionary<Guid, Measurement>(Measurements.Count);
            foreach (var m in Measurements) _byId.TryAdd(m.Id, m);
        }
        return _byId.GetValueOrDefault(id);
    }

    private Dictionary<Guid, Measurement>? _byId;

    public Measurement Measurement(Guid id) =>
        FindMeasurement(id) ?? throw new InvalidOperationException($"Unknown measurement {id} in commitment {Id}");

    /// <summary>Measurements ordered by the period they cover.</summary>
    public IEnumerable<Measurement> InPeriodOrder() => Measurements.OrderBy(m => m.PeriodStart).ThenBy(m => m.PeriodEnd);

    [JsonIgnore]
    /// <summary>The counted measurement of the latest period (a provisional one counts for nothing, freshness included).</summary>
    public Measurement? Latest => Measurements.Where(m => !m.Provisional).MaxBy(m => m.PeriodEnd);

    public Measurement? Overlapping(DateOnly start, DateOnly end) =>
        Measurements.Find(m => m.PeriodStart <= end && start <= m.PeriodEnd);

    /// <summary>Stale only while no measurement newer than the one the staleness check saw has arrived.</summary>
    [JsonIgnore]
    public bool IsStale => Staleness is { } s && (Latest?.PeriodEnd ?? DateOnly.MinValue) <= (s.LatestMeasuredPeriodEnd ?? DateOnly.MinValue);

    internal static Commitment From(ValueCommitted e) => new()
    {
        Id = e.CommitmentId, Driver = e.Driver, Metric = e.Metric, Unit = e.Unit, Direction = e.Direction,
        Cadence = e.Cadence, Owner = e.Owner, Approach = e.Approach, EstimateConfidence = e.Confidence,
        PeriodStart = e.PeriodStart, RiskTolerance = e.RiskTolerance, CommittedAt = e.CommittedAt, Investment = e.Investment,
        Terms = [new CommitmentTerms(1, e.PeriodStart, e.Baseline, e.Target, e.UnitValue, e.PeriodEnd, null, e.CommittedAt)]
    };

    internal void Apply(CommitmentRevised e)
    {
        var current = CurrentTerms;
        Terms.Add(new CommitmentTerms(
            e.Revision, e.EffectiveFrom, e.Baseline ?? current.Baseline, e.Target ?? current.Target,
            e.UnitValue ?? current.UnitValue, e.PeriodEnd ?? current.PeriodEnd, e.Reason, e.RevisedAt));
    }

    internal void Apply(MeasurementRecorded e)
    {
        var measurement = new Measurement
        {
            Id = e.MeasurementId, PeriodStart = e.PeriodStart, PeriodEnd = e.PeriodEnd, Source = e.Source, Note = e.Note,
            RecordedBy = e.RecordedBy, RecordedAt = e.RecordedAt, Provisional = e.Provisional,
            Values = [new MeasuredValue(1, e.Value, e.EvidenceUrl, null, e.RecordedBy, e.RecordedAt)]
        };
        Measurements.Add(measurement);
        // Keep a current index current rather than rebuilding it on the next lookup.
        if (_byId is not null && _byId.Count == Measurements.Count - 1) _byId[measurement.Id] = measurement;
    }
}

/// <summary>One version of a commitment's terms, in force from <see cref="EffectiveFrom"/>.</summary>
public sealed record CommitmentTerms(
    int Version, DateOnly EffectiveFrom, Baseline Baseline, decimal Target, decimal UnitValue, DateOnly PeriodEnd,
    string? Reason, DateTimeOffset RecordedAt)
{
    /// <summary>How far the metric moves from baseline to target, in the good direction (positive by construction).</summary>
    public decimal PromisedImprovement(Direction direction) => Improvement(direction, Target);

    public decimal Improvement(Direction direction, decimal measured) =>
        direction == Direction.HigherIsBetter ? measured - Baseline.Value : Baseline.Value - measured;
}
