using ValueLedger.Api.Features.Verification;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Marten;

namespace ValueLedger.Api.Features.Contracts;

/// <summary><c>version</c> (optional) names the version the customer looked at; a newer one makes it a 409.</summary>
public sealed record CertificationRequest(string? Comment, int? Version);

public sealed class CertificationValidator : AbstractValidator<CertificationRequest>
{
    public CertificationValidator()
    {
        RuleFor(r => r.Comment).MaximumLength(2000);
        RuleFor(r => r.Version).GreaterThan(0);
    }
}

public sealed record CertifySettlementCommand(Guid AccountId, Guid CommitmentId, Guid SettlementId, CertifySettlement Certification, long? ExpectedVersion, string By)
    : IAccountCommand;

public static class CertifySettlementEndpoint
{
    /// <summary>An approver contact certifies the latest version of a final settlement; the signer comes from the token; the answer carries a receipt.</summary>
    [Authorize(Policy = Policies.SignOff)]
    [WolverinePost("/api/accounts/{accountId}/commitments/{commitmentId}/settlements/{settlementId}/certification", Name = "CertifySettlement")]
    public static Task<IResult> Post(Guid accountId, Guid commitmentId, Guid settlementId, CertificationRequest r, HttpContext http, IMessageBus bus,
        IQuerySession session, ReceiptBuilder receipts) =>
        bus.SignAsync(http, session, receipts, (expected, signer) => new CertifySettlementCommand(accountId, commitmentId, settlementId,
                new CertifySettlement(signer, Text.OrNull(r.Comment), r.Version), expected, signer.Name),
            settlementId, OutcomeRoutes.Settlement(accountId, commitmentId, settlementId));
}

public static class CertifySettlementHandler
{
    public static Written Handle(CertifySettlementCommand c, [WriteAggregate(Required = false)] IEventStream<Account> stream, TimeProvider clock) =>
        stream.Decide(c.ExpectedVersion, account => SettlementDecisions.Certify(account, c.CommitmentId, c.SettlementId, c.Certification, clock.GetUtcNow()));
}
