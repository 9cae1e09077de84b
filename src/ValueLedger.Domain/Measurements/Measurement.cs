using System.Text.Json.Serialization;

namespace ValueLedger.Domain;

/// <summary>A measured level of the metric for an effective period, with every correction kept.</summary>
public sealed class Measurement
{
    public Guid Id { get; set; }
    public DateOnly PeriodStart { get; set; }
    public DateOnly PeriodEnd { get; set; }
    public MeasurementSource Source { get; set; }
    public string? Note { get; set; }
    public string RecordedBy { get; set; } = "";
    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>
    /// Recorded before its period ended: shown, but counted in no total. The first correction recorded after the period
    /// ended is the final figure and makes it count.
    /// </summary>
    public bool Provisional { get; set; }

    /// <summary>The original value (revision 1) and each correction after it; the last one counts.</summary>
    public List<MeasuredValue> Values { get; set; } = [];

    /// <summary>Every confirmation and dispute, oldest first, each naming the revision it was about.</summary>
    public List<Verification> Verifications { get; set; } = [];

    /// <summary>The dispute thread's answers by customer success (the signed steps are in <see cref="Verifications"/>).</summary>
    public List<ThreadComment> Comments { get; set; } = [];

    [JsonIgnore] // derived from the state, so not stored in the snapshot
    public MeasuredValue Current => Values[^1];
    [JsonIgnore]
    public int Revision => Current.Revision;
    [JsonIgnore]
    public decimal Value => Current.Value;
    [JsonIgnore]
    public string? EvidenceUrl => Current.EvidenceUrl;

    /// <summary>Verification of the current revision: a correction needs confirming again.</summary>
    [JsonIgnore]
    public Verification? CurrentVerification => Verifications.LastOrDefault(v => v.Revision == Revision);

    [JsonIgnore]
    public VerificationState VerificationState => CurrentVerification?.State ?? VerificationState.Unconfirmed;

    internal void Apply(MeasurementCorrected e)
    {
        Values.Add(new MeasuredValue(e.Revision, e.Value, e.EvidenceUrl ?? EvidenceUrl, e.Reason, e.CorrectedBy, e.CorrectedAt));
        if (Provisional && Coverage.HasEnded(PeriodEnd, e.CorrectedAt)) Provisional = false;
    }
}

public sealed record MeasuredValue(int Revision, decimal Value, string? EvidenceUrl, string? Reason, string RecordedBy, DateTimeOffset RecordedAt);

/// <summary>
/// One confirmation, dispute or on-behalf confirmation. <see cref="Signer"/> is the customer who signed (from the token);
/// for an on-behalf confirmation <see cref="By"/> is the staff member who recorded it and <see cref="StatedBy"/>,
/// <see cref="Evidence"/> name who said so and where.
/// </summary>
public sealed record Verification(VerificationState State, int Revision, string By, string? Comment, DateTimeOffset At,
    Signer? Signer = null, string? StatedBy = null, string? Evidence = null);
