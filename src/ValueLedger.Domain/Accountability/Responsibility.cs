using System.Text.Json.Serialization;

namespace ValueLedger.Domain;

/// <summary>
/// A duty of the customer or the seller that the result depends on (e.g. "the customer supplies usage data monthly"),
/// with its fulfilments and the occurrences it missed.
/// </summary>
public sealed class Responsibility
{
    public Guid Id { get; set; }
    public Party Party { get; set; }
    public string Description { get; set; } = "";
    /// <summary>The commitment it serves; none means every commitment of the account.</summary>
    public Guid? CommitmentId { get; set; }
    public Cadence? Cadence { get; set; }
    public int? DueDayOfPeriod { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public string AssignedBy { get; set; } = "";
    public DateTimeOffset AssignedAt { get; set; }
    public List<Fulfilment> Fulfilments { get; set; } = [];
    public List<MissedDuty> Misses { get; set; } = [];

    [JsonIgnore] // derived from the state, so not stored in the snapshot
    public bool IsRecurring => Cadence is not null;

    public static Responsibility From(ResponsibilityAssigned e) => new()
    {
        Id = e.ResponsibilityId, Party = e.Party, Description = e.Description, CommitmentId = e.CommitmentId, Cadence = e.Cadence,
        DueDayOfPeriod = e.DueDayOfPeriod, DueAt = e.DueAt, AssignedBy = e.AssignedBy, AssignedAt = e.AssignedAt
    };

    /// <summary>A recurring fulfilment counts for every occurrence whose period it covers whole; a one-off's for its only one.</summary>
    public bool Covers(Fulfilment fulfilment, DateOnly periodStart, DateOnly periodEnd) =>
        !IsRecurring || fulfilment.PeriodStart <= periodStart && periodEnd <= fulfilment.PeriodEnd;

    public bool IsFulfilled(Occurrence occurrence) => Fulfilments.Any(f => Covers(f, occurrence.PeriodStart, occurrence.PeriodEnd));

    /// <summary>Fulfilled by its due time: recorded before the occurrence's deadline.</summary>
    public bool IsFulfilledInTime(Occurrence occurrence) =>
        Fulfilments.Any(f => f.At < occurrence.DueAt && Covers(f, occurrence.PeriodStart, occurrence.PeriodEnd));

    public bool IsMissed(Occurrence occurrence) => Misses.Any(m => m.PeriodStart == occurrence.PeriodStart);
}

public sealed record Fulfilment(Guid Id, DateOnly? PeriodStart, DateOnly? PeriodEnd, string? Note, string By, DateTimeOffset At);

/// <summary>One time a responsibility falls due: for the period it concerns, by the deadline <see cref="DueAt"/> (exclusive).</summary>
public sealed record Occurrence(DateOnly PeriodStart, DateOnly PeriodEnd, DateTimeOffset DueAt);

/// <summary>An occurrence of a responsibility that passed its due time unfulfilled; a late fulfilment is noted, the miss stays.</summary>
public sealed record MissedDuty(
    Guid ResponsibilityId, Party Party, string Description, DateOnly PeriodStart, DateOnly PeriodEnd, DateTimeOffset DueAt,
    DateTimeOffset MissedAt, DateTimeOffset? FulfilledLateAt)
{
    /// <summary>Still missing: nothing was delivered, even late.</summary>
    [JsonIgnore]
    public bool IsOutstanding => FulfilledLateAt is null;
}

/// <summary>The period ended without the target shown as reached.</summary>
public sealed record TargetMiss(
    DateOnly PeriodEnd, decimal? LatestProgress, DateOnly? LatestMeasuredPeriodEnd, IReadOnlyList<Guid> ExcusingResponsibilities,
    DateTimeOffset DetectedAt);
