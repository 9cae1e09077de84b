using ValueLedger.Api.Features.Verification;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Marten;

namespace ValueLedger.Api.Features.Contracts;

public sealed record SettlementDisputeRequest(string? Reason, int? Version);

public sealed class SettlementDisputeValidator : AbstractValidator<SettlementDisputeRequest>
{
    public SettlementDisputeValidator()
    {
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(2000);
        RuleFor(r => r.Version).GreaterThan(0);
    }
}

public sealed record DisputeSettlementCommand(Guid AccountId, Guid CommitmentId, Guid SettlementId, DisputeSettlement Dispute, long? ExpectedVersion, string By)
    : IAccountCommand;

public static class DisputeSettlementEndpoint
{
    /// <summary>An approver contact disputes the latest version of a settlement; the answer carries a receipt.</summary>
    [Authorize(Policy = Policies.SignOff)]
    [WolverinePost("/api/accounts/{accountId}/commitments/{commitmentId}/settlements/{settlementId}/dispute", Name = "DisputeSettlement")]
    public static Task<IResult> Post(Guid accountId, Guid commitmentId, Guid settlementId, SettlementDisputeRequest r, HttpContext http, IMessageBus bus,
        IQuerySession session, ReceiptBuilder receipts) =>
        bus.SignAsync(http, session, receipts, (expected, signer) => new DisputeSettlementCommand(accountId, commitmentId, settlementId,
                new DisputeSettlement(signer, r.Reason!, r.Version), expected, signer.Name),
            settlementId, OutcomeRoutes.Settlement(accountId, commitmentId, settlementId));
}

public static class DisputeSettlementHandler
{
    public static Written Handle(DisputeSettlementCommand c, [WriteAggregate(Required = false)] IEventStream<Account> stream, TimeProvider clock) =>
        stream.Decide(c.ExpectedVersion, account => SettlementDecisions.Dispute(account, c.CommitmentId, c.SettlementId, c.Dispute, clock.GetUtcNow()));
}
