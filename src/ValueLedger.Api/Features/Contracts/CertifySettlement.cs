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

/// <summary><c>version</c> (optional) names the version the customer looked at; a newer one makes it a 409.</summary>
public sealed record CertificationRequest(string? CertifiedBy, string? Comment, int? Version);

public sealed class CertificationValidator : AbstractValidator<CertificationRequest>
{
    public CertificationValidator()
    {
        RuleFor(r => r.CertifiedBy).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Comment).MaximumLength(2000);
        RuleFor(r => r.Version).GreaterThan(0);
    }
}

public sealed record CertifySettlementCommand(Guid AccountId, Guid CommitmentId, Guid SettlementId, CertifySettlement Certification, long? ExpectedVersion, string By)
    : IAccountCommand;

public static class CertifySettlementEndpoint
{
    /// <summary>The customer (or customer success on its behalf) certifies the latest version of a final settlement.</summary>
    [Authorize(Policy = Policies.VerifyValues)]
    [WolverinePost("/api/accounts/{accountId}/commitments/{commitmentId}/settlements/{settlementId}/certification", Name = "CertifySettlement")]
    public static Task<IResult> Post(Guid accountId, Guid commitmentId, Guid settlementId, CertificationRequest r, HttpContext http, IMessageBus bus) =>
        bus.WriteAsync(http, (expected, by) => new CertifySettlementCommand(accountId, commitmentId, settlementId,
                new CertifySettlement(r.CertifiedBy!, r.Comment, r.Version), expected, by),
            settlementId, OutcomeRoutes.Settlement(accountId, commitmentId, settlementId));
}

public static class CertifySettlementHandler
{
    public static Written Handle(CertifySettlementCommand c, [WriteAggregate(Required = false)] IEventStream<Account> stream, TimeProvider clock) =>
        stream.Decide(c.ExpectedVersion, account => SettlementDecisions.Certify(account, c.CommitmentId, c.SettlementId, c.Certification, clock.GetUtcNow()));
}
