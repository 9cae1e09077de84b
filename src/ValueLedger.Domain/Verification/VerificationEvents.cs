namespace ValueLedger.Domain;

// Sign-off beyond the customer's own confirm/dispute: staff recording a statement the customer made outside the
// system, and the answers of customer success in a dispute's thread. Folded by VerificationEvolution, to which
// Account.Evolve hands every IVerificationEvent.

/// <summary>Who signed, as the authenticated token said: subject and issuer identify; name and e-mail are shown.</summary>
public sealed record Signer(string Subject, string Issuer, string Name, string? Email);

public interface IVerificationEvent;

/// <summary>
/// Staff recorded that the customer confirmed outside the system (a letter, a call): <see cref="StatedBy"/> said so,
/// <see cref="Evidence"/> is where. Shown as on-behalf and never counted as the customer's own confirmation.
/// </summary>
public sealed record MeasurementConfirmedOnBehalf(
    Guid CommitmentId, Guid MeasurementId, int Revision, string StatedBy, string Evidence, string? Comment,
    string RecordedBy, DateTimeOffset RecordedAt) : IVerificationEvent, IHasReason
{
    public string? Reason => Comment;
}

/// <summary>Customer success answers a dispute with a comment (a correction is its own event, MeasurementCorrected).</summary>
public sealed record MeasurementDisputeAnswered(
    Guid CommitmentId, Guid MeasurementId, int Revision, string Comment, string AnsweredBy, DateTimeOffset AnsweredAt)
    : IVerificationEvent, IHasReason
{
    public string? Reason => Comment;
}

/// <summary>
/// Customer success asked the account's approver contacts (<see cref="Recipients"/>, their e-mail addresses) to confirm
/// revision <see cref="Revision"/> of a measurement; the e-mails leave after this is recorded. Changes no figure.
/// </summary>
public sealed record MeasurementConfirmationRequested(
    Guid CommitmentId, Guid MeasurementId, int Revision, IReadOnlyList<string> Recipients, string? Message, string RequestedBy, DateTimeOffset RequestedAt)
    : IVerificationEvent, IHasReason
{
    public string? Reason => Message;
}

/// <summary>A comment in a measurement's dispute thread, about revision <see cref="Revision"/>.</summary>
public sealed record ThreadComment(int Revision, string Comment, string By, DateTimeOffset At);

public static class VerificationEvents
{
    /// <summary>The event types to register with the event store.</summary>
    public static readonly Type[] Types = [typeof(MeasurementConfirmedOnBehalf), typeof(MeasurementDisputeAnswered), typeof(MeasurementConfirmationRequested)];
}

public static class VerificationEvolution
{
    public static void Apply(Account account, IVerificationEvent @event)
    {
        switch (@event)
        {
            case MeasurementConfirmedOnBehalf e:
                MeasurementOf(account, e.CommitmentId, e.MeasurementId).Verifications.Add(new Verification(
                    VerificationState.ConfirmedOnBehalf, e.Revision, e.RecordedBy, e.Comment, e.RecordedAt, null, e.StatedBy, e.Evidence));
                break;
            case MeasurementDisputeAnswered e:
                MeasurementOf(account, e.CommitmentId, e.MeasurementId).Comments.Add(new ThreadComment(e.Revision, e.Comment, e.AnsweredBy, e.AnsweredAt));
                break;
        }
    }

    private static Measurement MeasurementOf(Account account, Guid commitmentId, Guid measurementId) =>
        account.FindCommitment(commitmentId)?.FindMeasurement(measurementId)
        ?? throw new InvalidOperationException($"Unknown measurement {measurementId} of commitment {commitmentId} in account {account.Id}");
}
