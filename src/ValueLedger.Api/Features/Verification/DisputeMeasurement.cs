using Microsoft.AspNetCore.Mvc;
using Wolverine.Marten;

namespace ValueLedger.Api.Features.Verification;

/// <summary>Only a reason: who disputes is the signed-in approver.</summary>
public sealed record DisputeRequest(string? Reason);

public sealed class DisputeValidator : AbstractValidator<DisputeRequest>
{
    public DisputeValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(2000);
}

public sealed record DisputeMeasurementCommand(Guid AccountId, Guid CommitmentId, Guid MeasurementId, DisputeMeasurement Dispute, long? ExpectedVersion, string By) : IAccountCommand;

public static class DisputeMeasurementEndpoint
{
    /// <summary>An approver contact disputes the measurement; this opens its thread. The answer carries a receipt.</summary>
    [Authorize(Policy = Policies.SignOff)]
    [WolverinePost("/api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}/dispute", Name = "DisputeMeasurement")]
    public static Task<IResult> Post(Guid accountId, Guid commitmentId, Guid measurementId, DisputeRequest r, HttpContext http,
        IMessageBus bus, IQuerySession session, ReceiptBuilder receipts) =>
        bus.SignAsync(http, session, receipts, (expected, signer) => new DisputeMeasurementCommand(accountId, commitmentId, measurementId,
                new DisputeMeasurement(signer, r.Reason!), expected, signer.Name),
            measurementId, Routes.Measurement(accountId, commitmentId, measurementId));
}

public static class DisputeMeasurementHandler
{
    public static Written Handle(DisputeMeasurementCommand c, [WriteAggregate(Required = false)] IEventStream<Account> stream, TimeProvider clock) =>
        stream.Decide(c.ExpectedVersion, account => MeasurementDecisions.Dispute(account, c.CommitmentId, c.MeasurementId, c.Dispute, clock.GetUtcNow()));
}
