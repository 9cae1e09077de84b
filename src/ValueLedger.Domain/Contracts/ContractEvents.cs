namespace ValueLedger.Domain;

// Outcome-based contracts, their settlements, the responsibilities of both parties and the time-driven facts
// about them. They live in the account's stream like every other event (docs/decisions/0001) and are folded by
// OutcomeEvolution, to which Account.Evolve hands every IOutcomeEvent.

/// <summary>An event of an outcome-based contract, a settlement, a responsibility or a missed target.</summary>
public interface IOutcomeEvent;

/// <summary>
/// Version <see cref="Version"/> of a commitment's contract terms, governing the settlement periods from
/// <see cref="EffectiveFrom"/> on; earlier versions keep governing the periods before it.
/// </summary>
public sealed record ContractTermsAgreed(
    Guid CommitmentId, int Version, DateOnly EffectiveFrom, ContractTerms Terms, string? Reason, string AgreedBy,
    DateTimeOffset AgreedAt) : IOutcomeEvent, IHasReason;

/// <summary>Version <see cref="Version"/> of the settlement of one period, with every step of its calculation.</summary>
public sealed record SettlementCalculated(
    Guid CommitmentId, Guid SettlementId, int Version, SettlementBreakdown Breakdown, string? Reason, string CalculatedBy,
    DateTimeOffset CalculatedAt) : IOutcomeEvent, IHasReason;

public sealed record SettlementCertified(
    Guid CommitmentId, Guid SettlementId, int Version, string CertifiedBy, string? Comment, DateTimeOffset CertifiedAt,
    Signer? Signer = null)
    : IOutcomeEvent, IHasReason
{
    string? IHasReason.Reason => Comment;
}

public sealed record SettlementDisputed(
    Guid CommitmentId, Guid SettlementId, int Version, string DisputedBy, string Reason, DateTimeOffset DisputedAt,
    Signer? Signer = null)
    : IOutcomeEvent, IHasReason
{
    string? IHasReason.Reason => Reason;
}

/// <summary>
/// Customer success asked the account's approver contacts (<see cref="Recipients"/>, their e-mail addresses) to
/// certify version <see cref="Version"/> of a settlement; the e-mails leave after this is recorded. Changes no figure.
/// </summary>
public sealed record SettlementCertificationRequested(
    Guid CommitmentId, Guid SettlementId, int Version, IReadOnlyList<string> Recipients, string? Message, string RequestedBy,
    DateTimeOffset RequestedAt) : IOutcomeEvent, IHasReason
{
    string? IHasReason.Reason => Message;
}

/// <summary>
/// A duty of one party: recurring (an occurrence per cadence period, due by the end of day
/// <see cref="DueDayOfPeriod"/> of that period, UTC) or once (due at <see cref="DueAt"/>).
/// </summary>
public sealed record ResponsibilityAssigned(
    Guid ResponsibilityId, Party Party, string Description, Guid? CommitmentId, Cadence? Cadence, int? DueDayOfPeriod,
    DateTimeOffset? DueAt, string AssignedBy, DateTimeOffset AssignedAt) : IOutcomeEvent;

/// <summary>The party did what it had to for the occurrences within [PeriodStart, PeriodEnd] (a one-off needs no period).</summary>
public sealed record ResponsibilityFulfilled(
    Guid ResponsibilityId, Guid FulfilmentId, DateOnly? PeriodStart, DateOnly? PeriodEnd, string? Note, string FulfilledBy,
    DateTimeOffset FulfilledAt) : IOutcomeEvent, IHasReason
{
    string? IHasReason.Reason => Note;
}

/// <summary>An occurrence passed its due time without a fulfilment (found by a scheduled check).</summary>
public sealed record ResponsibilityMissed(
    Guid ResponsibilityId, DateOnly PeriodStart, DateOnly PeriodEnd, DateTimeOffset DueAt, DateTimeOffset DetectedAt) : IOutcomeEvent;

/// <summary>The commitment's period ended without the target shown as reached (found by a scheduled check).</summary>
public sealed record TargetMissedAtPeriodEnd(
    Guid CommitmentId, DateOnly PeriodEnd, decimal? LatestProgress, DateOnly? LatestMeasuredPeriodEnd,
    IReadOnlyList<Guid> ExcusingResponsibilities, DateTimeOffset DetectedAt) : IOutcomeEvent;

public static class OutcomeEvents
{
    /// <summary>The event types to register with the event store.</summary>
    public static readonly Type[] Types =
    [
        typeof(ContractTermsAgreed), typeof(SettlementCalculated), typeof(SettlementCertified), typeof(SettlementDisputed), typeof(SettlementCertificationRequested),
        typeof(ResponsibilityAssigned), typeof(ResponsibilityFulfilled), typeof(ResponsibilityMissed),
        typeof(TargetMissedAtPeriodEnd)
    ];
}
