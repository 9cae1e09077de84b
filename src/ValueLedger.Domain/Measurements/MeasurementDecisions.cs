namespace ValueLedger.Domain;

/// <param name="Provisional">A figure for a period that has not ended yet: shown, counted in no total until a final figure replaces it.</param>
public sealed record RecordMeasurement(
    Guid CommitmentId, DateOnly PeriodStart, DateOnly PeriodEnd, decimal Value, MeasurementSource Source,
    string? EvidenceUrl, string? Note, bool Provisional = false);

public sealed record CorrectMeasurement(decimal Value, string Reason, string? EvidenceUrl);

/// <summary>The customer's own confirmation: the signer comes from the token, the comment from the body.</summary>
public sealed record ConfirmMeasurement(Signer Signer, string? Comment);

public sealed record DisputeMeasurement(Signer Signer, string Reason);

public static class MeasurementDecisions
{
    public static Decision Record(Account account, Guid measurementId, RecordMeasurement m, string recordedBy, DateTimeOffset now)
    {
        if (account.FindCommitment(m.CommitmentId) is not { } commitment) return Decision.NotFound("Commitment", m.CommitmentId);
        if (commitment.IsWithdrawn) return CommitmentDecisions.Withdrawn(commitment);
        if (m.PeriodEnd < m.PeriodStart)
            return Decision.Unprocessable("Period ends before it starts", $"periodEnd {m.PeriodEnd:O} is before periodStart {m.PeriodStart:O}.");
        if (m.PeriodStart < commitment.PeriodStart || m.PeriodEnd > commitment.PeriodEnd)
            return Decision.Unprocessable("Measurement outside the commitment's period",
                $"The measured period {m.PeriodStart:O}..{m.PeriodEnd:O} must fall within {commitment.PeriodStart:O}..{commitment.PeriodEnd:O}.");
        var ended = Coverage.HasEnded(m.PeriodEnd, now);
        if (!ended && !m.Provisional)
            return Decision.Unprocessable("Period not ended",
                $"The period {m.PeriodStart:O}..{m.PeriodEnd:O} ends on {m.PeriodEnd:O}: only ended periods are measured. Send it with \"provisional\": true to show it now; it counts once a correction after the period's end gives the final figure.");
        if (ended && m.Provisional)
            return Decision.Unprocessable("Period already ended",
                $"The period {m.PeriodStart:O}..{m.PeriodEnd:O} has ended: record the final figure, without \"provisional\".");
        if (commitment.Overlapping(m.PeriodStart, m.PeriodEnd) is { } existing)
            return new Rejection(RejectionKind.Conflict, "Period already measured",
                $"Measurement {existing.Id} already covers {existing.PeriodStart:O}..{existing.PeriodEnd:O}. To change its value, post a correction.",
                new Dictionary<string, object?>
                {
                    ["existingMeasurementId"] = existing.Id,
                    ["correctionRoute"] = $"/api/accounts/{account.Id}/commitments/{commitment.Id}/measurements/{existing.Id}/corrections"
                });

        return Decision.Accept(new MeasurementRecorded(commitment.Id, measurementId, m.PeriodStart, m.PeriodEnd, m.Value,
            m.Source, m.EvidenceUrl, m.Note, recordedBy, now, m.Provisional));
    }

    /// <summary>
    /// Records many measurements at once, all or nothing: each row is decided against the account, and rows of one
    /// import may not overlap each other either. The caller appends the events only when no row was rejected.
    /// </summary>
    public static (IReadOnlyList<object> Events, IReadOnlyList<(int Row, Rejection Rejection)> Rejections) RecordAll(
        Account account, IReadOnlyList<(Guid MeasurementId, RecordMeasurement Measurement)> rows, string recordedBy, DateTimeOffset now)
    {
        var events = new List<object>();
        var rejections = new List<(int, Rejection)>();
        var accepted = new List<MeasurementRecorded>();
        for (var i = 0; i < rows.Count; i++)
        {
            var (measurementId, row) = rows[i];
            var decision = Record(account, measurementId, row, recordedBy, now);
            if (decision.Rejection is { } rejection)
            {
                rejections.Add((i, rejection));
                continue;
            }
            if (accepted.Find(a => a.CommitmentId == row.CommitmentId && a.PeriodStart <= row.PeriodEnd && row.PeriodStart <= a.PeriodEnd) is { } earlier)
            {
                rejections.Add((i, new Rejection(RejectionKind.Conflict, "Period measured twice in one import",
                    $"Row {accepted.IndexOf(earlier) + 1} of the accepted rows already covers {earlier.PeriodStart:O}..{earlier.PeriodEnd:O} for this commitment.")));
                continue;
            }
            var recorded = (MeasurementRecorded)decision.Events[0];
            accepted.Add(recorded);
            events.Add(recorded);
        }
        return (events, rejections);
    }

    public static Decision Correct(Account account, Guid commitmentId, Guid measurementId, CorrectMeasurement c, string correctedBy, DateTimeOffset now)
    {
        if (Find(account, commitmentId, measurementId, out var measurement) is { } missing) return missing;
        if (string.IsNullOrWhiteSpace(c.Reason))
            return Decision.Unprocessable("Reason required", "A measurement is corrected only with a reason.");
        var finalises = measurement.Provisional && Coverage.HasEnded(measurement.PeriodEnd, now);
        if (c.Value == measurement.Value && c.EvidenceUrl is null && !finalises)
            return Decision.Unprocessable("Nothing to correct", $"Measurement {measurementId} already has the value {c.Value}.");
        return Decision.Accept(new MeasurementCorrected(commitmentId, measurementId, measurement.Revision + 1, c.Value,
            c.Reason.Trim(), c.EvidenceUrl, correctedBy, now));
    }

    public static Decision Confirm(Account account, Guid commitmentId, Guid measurementId, ConfirmMeasurement c, DateTimeOffset now)
    {
        if (Find(account, commitmentId, measurementId, out var measurement) is { } missing) return missing;
        if (measurement.VerificationState == VerificationState.Confirmed)
            return Decision.Unprocessable("Already confirmed",
                $"Revision {measurement.Revision} of measurement {measurementId} was confirmed by {measurement.CurrentVerification!.By} on {measurement.CurrentVerification.At:O}.");
        return Decision.Accept(new MeasurementConfirmed(commitmentId, measurementId, measurement.Revision, c.Signer.Name, c.Comment, now, c.Signer));
    }

    public static Decision Dispute(Account account, Guid commitmentId, Guid measurementId, DisputeMeasurement d, DateTimeOffset now)
    {
        if (Find(account, commitmentId, measurementId, out var measurement) is { } missing) return missing;
        if (string.IsNullOrWhiteSpace(d.Reason))
            return Decision.Unprocessable("Reason required", "A dispute says what is wrong with the number.");
        if (measurement.VerificationState == VerificationState.Disputed)
            return Decision.Unprocessable("Already disputed",
                $"Revision {measurement.Revision} of measurement {measurementId} is already disputed by {measurement.CurrentVerification!.By}; correct it, then ask again.");
        return Decision.Accept(new MeasurementDisputed(commitmentId, measurementId, measurement.Revision, d.Signer.Name, d.Reason.Trim(), now, d.Signer));
    }

    internal static Decision? Find(Account account, Guid commitmentId, Guid measurementId, out Measurement measurement)
    {
        measurement = null!;
        if (account.FindCommitment(commitmentId) is not { } commitment) return Decision.NotFound("Commitment", commitmentId);
        if (commitment.FindMeasurement(measurementId) is not { } found) return Decision.NotFound("Measurement", measurementId);
        measurement = found;
        return null;
    }
}
