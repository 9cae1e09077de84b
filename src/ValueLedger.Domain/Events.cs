namespace ValueLedger.Domain;

// Every fact of an account's value programme, in the account's own stream, oldest first.
// Events are immutable: a correction or revision is a new event, never an edit of an old one.
// Times inside events come from the injected clock at decision time, so tests can move it.

/// <summary>Marks events that carry the reason the person gave, so the audit trail can show it.</summary>
public interface IHasReason
{
    string? Reason { get; }
}

public sealed record AccountOpened(
    Guid AccountId, string Name, string Industry, string Segment, string Currency,
    Approach Approach, string Owner, DateTimeOffset OpenedAt);

/// <summary>The account is the one a system of record (a CRM: salesforce, hubspot…) knows by this id; one id per system.</summary>
public sealed record AccountExternalIdLinked(Guid AccountId, string System, string ExternalId, DateTimeOffset LinkedAt);

/// <summary>The account's details changed (an upsert from the system of record); only the fields that changed are set.</summary>
public sealed record AccountDetailsChanged(
    Guid AccountId, string? Name, string? Industry, string? Segment, string? Owner, DateTimeOffset ChangedAt);

public sealed record AccountPrioritised(
    Guid AccountId, Level AbilityToPay, Level WillingnessToPay, PriorityTier Tier, string? Note,
    DateTimeOffset PrioritisedAt) : IHasReason
{
    public string? Reason => Note;
}

public sealed record Baseline(decimal Value, DateOnly AsOf, string? Source);

public sealed record ValueCommitted(
    Guid AccountId, Guid CommitmentId, ValueDriver Driver, string Metric, string Unit, Direction Direction,
    Baseline Baseline, decimal Target, decimal UnitValue, DateOnly PeriodStart, DateOnly PeriodEnd,
    Cadence Cadence, CommitmentOwner Owner, Approach Approach, Level Confidence,
    decimal RiskTolerance, DateTimeOffset CommittedAt, Investment? Investment = null);

/// <summary>What the customer invests to get the promised value, from the business case the commitment came from (payback is measured against it).</summary>
public sealed record Investment(decimal Amount, string Source);

/// <summary>New terms from <see cref="EffectiveFrom"/> on; absent terms are unchanged.</summary>
public sealed record CommitmentRevised(
    Guid CommitmentId, int Revision, DateOnly EffectiveFrom, Baseline? Baseline, decimal? Target,
    decimal? UnitValue, DateOnly? PeriodEnd, string Reason, DateTimeOffset RevisedAt) : IHasReason
{
    string? IHasReason.Reason => Reason;
}

public sealed record CommitmentWithdrawn(Guid CommitmentId, string Reason, DateTimeOffset WithdrawnAt) : IHasReason
{
    string? IHasReason.Reason => Reason;
}

public sealed record MeasurementRecorded(
    Guid CommitmentId, Guid MeasurementId, DateOnly PeriodStart, DateOnly PeriodEnd, decimal Value,
    MeasurementSource Source, string? EvidenceUrl, string? Note, string RecordedBy, DateTimeOffset RecordedAt,
    bool Provisional = false);

public sealed record MeasurementCorrected(
    Guid CommitmentId, Guid MeasurementId, int Revision, decimal Value, string Reason, string? EvidenceUrl,
    string CorrectedBy, DateTimeOffset CorrectedAt) : IHasReason
{
    string? IHasReason.Reason => Reason;
}

/// <summary>
/// The customer's own confirmation. <see cref="Signer"/> is who the token said signed (absent in events written before
/// sign-off was bound to the signer); <see cref="ConfirmedBy"/> is the signer's display name.
/// </summary>
public sealed record MeasurementConfirmed(
    Guid CommitmentId, Guid MeasurementId, int Revision, string ConfirmedBy, string? Comment,
    DateTimeOffset ConfirmedAt, Signer? Signer = null) : IHasReason
{
    public string? Reason => Comment;
}

public sealed record MeasurementDisputed(
    Guid CommitmentId, Guid MeasurementId, int Revision, string DisputedBy, string Reason,
    DateTimeOffset DisputedAt, Signer? Signer = null) : IHasReason
{
    string? IHasReason.Reason => Reason;
}

/// <summary>No measurement covers the commitment for more than two cadence periods (found by a scheduled check).</summary>
public sealed record MeasurementsWentStale(
    Guid CommitmentId, DateOnly? LatestMeasuredPeriodEnd, DateOnly DueBy, DateTimeOffset DetectedAt);
