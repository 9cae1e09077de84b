using FluentValidation;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Domain;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace ValueLedger.Api.Features.Contracts;

public sealed record SettlementDisputeRequest(string? DisputedBy, string? Reason, int? Version);

public sealed class SettlementDisputeValidator : AbstractValidator<SettlementDisputeRequest>
{
    public SettlementDisputeValidator()
    {
        RuleFor(r => r.DisputedBy).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(2000);
        RuleFor(r => r.Version).GreaterThan(0);
    }
}

public sealed record DisputeSettlementCommand(Guid AccountId, Guid CommitmentId, Guid SettlementId, DisputeSettlement Dispute, long? ExpectedVersion, string By)
    : IAccountCommand;

public static class DisputeSettlementEndpoint
{
    [Authorize(Policy = Policies.VerifyValues)]
    [WolverinePost("/api/accounts/{accountId}/commitments/{commitmentId}/settlements/{settlementId}/dispute", Name = "DisputeSettlement")]
    public static Task<IResult> Post(Guid accountId, Guid commitmentId, Guid settlementId, SettlementDisputeRequest r, HttpContext http, IMessageBus bus) =>
        bus.WriteAsync(http, (expected, by) => new DisputeSettlementCommand(accountId, commitmentId, settlementId,
                new DisputeSettlement(r.DisputedBy!, r.Reason!, r.Version), expected, by),
            settlementId, OutcomeRoutes.Settlement(accountId, commitmentId, settlementId));
}

public static class DisputeSettlementHandler
{
    public static Written Handle(DisputeSettlementCommand c, [WriteAggregate(Required = false)] IEventStream<Account> stream, TimeProvider clock) =>
        stream.Decide(c.ExpectedVersion, account => SettlementDecisions.Dispute(account, c.CommitmentId, c.SettlementId, c.Dispute, clock.GetUtcNow()));
}
