using Microsoft.Extensions.Options;
using ValueLedger.Api.Features.Contacts;
using ValueLedger.Api.Features.Verification;
using Wolverine.Marten;

namespace ValueLedger.Api.Features.Contracts;

/// <summary>An optional note to the approvers; who asks is the signed-in staff member.</summary>
public sealed record CertificationRequestRequest(string? Message);

public sealed class CertificationRequestValidator : AbstractValidator<CertificationRequestRequest>
{
    public CertificationRequestValidator() => RuleFor(r => r.Message).MaximumLength(2000);
}

public sealed record RequestCertificationCommand(Guid AccountId, Guid CommitmentId, Guid SettlementId, IReadOnlyList<Approver> Approvers,
    string? Message, string PortalUrl, string SignInUrl, long? ExpectedVersion, string By) : IAccountCommand;

public static class RequestCertificationEndpoint
{
    /// <summary>
    /// Customer success asks the account's approver contacts (invited or signed in, not revoked) to certify the latest
    /// version of a settlement: a <c>SettlementCertificationRequested</c> event names them and who asked, then each gets
    /// an e-mail with the portal's address. 404 for an unknown settlement; 422 when it is certified, disputed or
    /// provisional already, or the account has no approver.
    /// </summary>
    [Authorize(Policy = Policies.WriteValues)]
    [WolverinePost("/api/accounts/{accountId}/commitments/{commitmentId}/settlements/{settlementId}/certification-request", Name = "RequestSettlementCertification")]
    public static async Task<IResult> Post(Guid accountId, Guid commitmentId, Guid settlementId, CertificationRequestRequest r, HttpContext http,
        IMessageBus bus, IQuerySession session, IOptions<ContactSettings> settings)
    {
        var approvers = await ApproverMail.ApproversOfAsync(session, accountId, http.RequestAborted);
        var portal = ApproverMail.PortalUrl(settings, http.Request, accountId);
        var signIn = ApproverMail.SignInUrl(settings, http.Request);
        return await bus.WriteAsync(http, (expected, by) => new RequestCertificationCommand(accountId, commitmentId, settlementId, approvers,
                Text.OrNull(r.Message), portal, signIn, expected, by),
            settlementId, OutcomeRoutes.Settlement(accountId, commitmentId, settlementId));
    }
}

public static class RequestCertificationHandler
{
    /// <summary>Records the request and, only when it is recorded, cascades one e-mail per approver (ADR 0011).</summary>
    public static (Written, OutgoingMessages) Handle(RequestCertificationCommand c, [WriteAggregate(Required = false)] IEventStream<Account> stream,
        TimeProvider clock)
    {
        var written = stream.Decide(c.ExpectedVersion, account => SettlementDecisions.RequestCertification(account, c.CommitmentId, c.SettlementId,
            c.Approvers.Select(a => a.Email).ToList(), c.Message, c.By, clock.GetUtcNow()));
        if (written.Rejection is not null || stream.Aggregate is not { } account
            || account.FindCommitment(c.CommitmentId) is not { } commitment || commitment.Contract?.FindSettlement(c.SettlementId) is not { } settlement)
            return (written, new OutgoingMessages());
        var latest = settlement.Latest;
        var b = latest.Breakdown;
        return (written, ApproverMail.To(c.Approvers, c.AccountId, written.Version, $"Please certify: {commitment.Metric} settlement for {account.Name}",
            approver => $"""
                Hello {approver.Name},

                {c.By} asks you to certify a settlement for {account.Name} in ValueLedger:
                {commitment.Metric}, {b.PeriodStart:yyyy-MM-dd} to {b.PeriodEnd:yyyy-MM-dd} (version {latest.Version}):
                promised {SettlementMath.Amount(b.PromisedValue)} {b.Currency}, realized {SettlementMath.Amount(b.RealizedValue)} {b.Currency}, fee {SettlementMath.Amount(b.Fee)} {b.Currency}.
                {(c.Message is { Length: > 0 } note ? $"\n{note}\n" : "")}
                Certify or dispute it here (if you are signed in; if not, use the sign-in link at the end):
                {c.PortalUrl}
                """, c.SignInUrl));
    }
}
