using Microsoft.Extensions.Options;
using ValueLedger.Api.Features.Contacts;
using Wolverine.Marten;

namespace ValueLedger.Api.Features.Verification;

/// <summary>An optional note to the approvers; who asks is the signed-in staff member.</summary>
public sealed record ConfirmationRequestRequest(string? Message);

public sealed class ConfirmationRequestValidator : AbstractValidator<ConfirmationRequestRequest>
{
    public ConfirmationRequestValidator() => RuleFor(r => r.Message).MaximumLength(2000);
}

public sealed record RequestConfirmationCommand(Guid AccountId, Guid CommitmentId, Guid MeasurementId, IReadOnlyList<Approver> Approvers,
    string? Message, string PortalUrl, string SignInUrl, long? ExpectedVersion, string By) : IAccountCommand;

public static class RequestConfirmationEndpoint
{
    /// <summary>
    /// Customer success asks the account's approver contacts (invited or signed in, not revoked) to confirm a
    /// measurement: a <c>MeasurementConfirmationRequested</c> event names them and who asked, then each gets an e-mail.
    /// 422 when the figure is already confirmed or the account has no approver.
    /// </summary>
    [Authorize(Policy = Policies.WriteValues)]
    [WolverinePost("/api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}/confirmation-request", Name = "RequestMeasurementConfirmation")]
    public static async Task<IResult> Post(Guid accountId, Guid commitmentId, Guid measurementId, ConfirmationRequestRequest r, HttpContext http,
        IMessageBus bus, IQuerySession session, IOptions<ContactSettings> settings)
    {
        var approvers = await ApproverMail.ApproversOfAsync(session, accountId, http.RequestAborted);
        var portal = ApproverMail.PortalUrl(settings, http.Request, accountId);
        var signIn = ApproverMail.SignInUrl(settings, http.Request);
        return await bus.WriteAsync(http, (expected, by) => new RequestConfirmationCommand(accountId, commitmentId, measurementId, approvers,
                Text.OrNull(r.Message), portal, signIn, expected, by),
            measurementId, Routes.Measurement(accountId, commitmentId, measurementId));
    }
}

public static class RequestConfirmationHandler
{
    /// <summary>
    /// Records the request and, only when it is recorded, cascades one e-mail per approver. A repeated Idempotency-Key
    /// is answered from the first answer without running this again, and a run lost to a concurrent writer is rolled
    /// back with its messages, so each recorded request sends its e-mails once.
    /// </summary>
    public static (Written, OutgoingMessages) Handle(RequestConfirmationCommand c, [WriteAggregate(Required = false)] IEventStream<Account> stream,
        TimeProvider clock)
    {
        var written = stream.Decide(c.ExpectedVersion, account => VerificationDecisions.RequestConfirmation(account, c.CommitmentId, c.MeasurementId,
            c.Approvers.Select(a => a.Email).ToList(), c.Message, c.By, clock.GetUtcNow()));
        if (written.Rejection is not null || stream.Aggregate is not { } account
            || account.FindCommitment(c.CommitmentId) is not { } commitment || commitment.FindMeasurement(c.MeasurementId) is not { } measurement)
            return (written, new OutgoingMessages());
        return (written, ApproverMail.To(c.Approvers, c.AccountId, written.Version, $"Please confirm: {commitment.Metric} for {account.Name}",
            approver => $"""
                Hello {approver.Name},

                {c.By} asks you to confirm a figure for {account.Name} in ValueLedger:
                {commitment.Metric}, {measurement.PeriodStart:yyyy-MM-dd} to {measurement.PeriodEnd:yyyy-MM-dd}: {measurement.Value} {commitment.Unit}.
                {(c.Message is { Length: > 0 } note ? $"\n{note}\n" : "")}
                Confirm or dispute it here (if you are signed in; if not, use the sign-in link at the end):
                {c.PortalUrl}
                """, c.SignInUrl));
    }
}
