namespace ValueLedger.Domain;

public sealed record ConfirmOnBehalf(string StatedBy, string Evidence, string? Comment);

public sealed record AnswerDispute(string Comment);

public static class VerificationDecisions
{
    /// <summary>
    /// Staff record a confirmation the customer gave outside the system. Refused when the customer already confirmed
    /// this revision themselves (their own act says more) or it was already recorded on their behalf.
    /// </summary>
    public static Decision ConfirmOnBehalf(Account account, Guid commitmentId, Guid measurementId, ConfirmOnBehalf c, string recordedBy, DateTimeOffset now)
    {
        if (MeasurementDecisions.Find(account, commitmentId, measurementId, out var measurement) is { } missing) return missing;
        if (string.IsNullOrWhiteSpace(c.StatedBy) || string.IsNullOrWhiteSpace(c.Evidence))
            return Decision.Unprocessable("Statement and evidence required", "Say who confirmed and where (a document reference or message id).");
        if (measurement.VerificationState is VerificationState.Confirmed or VerificationState.ConfirmedOnBehalf)
            return Decision.Unprocessable("Already confirmed",
                $"Revision {measurement.Revision} of measurement {measurementId} is already {(measurement.VerificationState == VerificationState.Confirmed ? "confirmed by the customer" : "confirmed on the customer's behalf")}.");
        return Decision.Accept(new MeasurementConfirmedOnBehalf(commitmentId, measurementId, measurement.Revision, c.StatedBy.Trim(),
            c.Evidence.Trim(), string.IsNullOrWhiteSpace(c.Comment) ? null : c.Comment.Trim(), recordedBy, now));
    }

    /// <summary>Customer success answers an open dispute; without a dispute there is no thread to answer.</summary>
    public static Decision Answer(Account account, Guid commitmentId, Guid measurementId, AnswerDispute a, string answeredBy, DateTimeOffset now)
    {
        if (MeasurementDecisions.Find(account, commitmentId, measurementId, out var measurement) is { } missing) return missing;
        if (string.IsNullOrWhiteSpace(a.Comment)) return Decision.Unprocessable("Comment required", "An answer says something.");
        if (!measurement.Verifications.Any(v => v.State == VerificationState.Disputed))
            return Decision.Unprocessable("No dispute to answer", $"Measurement {measurementId} has never been disputed.");
        return Decision.Accept(new MeasurementDisputeAnswered(commitmentId, measurementId, measurement.Revision, a.Comment.Trim(), answeredBy, now));
    }

    /// <summary>Customer success asks the approvers to confirm a figure that is still open; refused once it is confirmed.</summary>
    public static Decision RequestConfirmation(Account account, Guid commitmentId, Guid measurementId, IReadOnlyList<string> recipients,
        string? message, string requestedBy, DateTimeOffset now)
    {
        if (MeasurementDecisions.Find(account, commitmentId, measurementId, out var measurement) is { } missing) return missing;
        if (measurement.VerificationState is VerificationState.Confirmed or VerificationState.ConfirmedOnBehalf)
            return Decision.Unprocessable("Already confirmed", $"Revision {measurement.Revision} of measurement {measurementId} is already confirmed.");
        if (recipients.Count == 0)
            return Decision.Unprocessable("No approver to ask", "The account has no approver contact with access: invite one first.");
        return Decision.Accept(new MeasurementConfirmationRequested(commitmentId, measurementId, measurement.Revision, recipients,
            string.IsNullOrWhiteSpace(message) ? null : message.Trim(), requestedBy, now));
    }
}
