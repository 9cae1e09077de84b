using Microsoft.AspNetCore.Authorization;
using FluentValidation;
using JasperFx.Events;
using Microsoft.AspNetCore.Mvc;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Domain;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace ValueLedger.Api.Features.Verification;

public sealed record DisputeRequest(string? DisputedBy, string? Reason);

public sealed class DisputeValidator : AbstractValidator<DisputeRequest>
{
    public DisputeValidator()
    {
        RuleFor(r => r.DisputedBy).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(2000);
    }
}

public sealed record DisputeMeasurementCommand(Guid AccountId, Guid CommitmentId, Guid MeasurementId, DisputeMeasurement Dispute, long? ExpectedVersion, string By) : IAccountCommand;

public static class DisputeMeasurementEndpoint
{
    [Authorize(Policy = Policies.VerifyValues)]

    [WolverinePost("/api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}/dispute", Name = "DisputeMeasurement")]
    public static Task<IResult> Post(Guid accountId, Guid commitmentId, Guid measurementId, DisputeRequest r, HttpContext http, IMessageBus bus) =>
        bus.WriteAsync(http, (expected, by) => new DisputeMeasurementCommand(accountId, commitmentId, measurementId,
                new DisputeMeasurement(r.DisputedBy!, r.Reason!), expected, by),
            measurementId, Routes.Measurement(accountId, commitmentId, measurementId));
}

public static class DisputeMeasurementHandler
{
    public static Written Handle(DisputeMeasurementCommand c, [WriteAggregate(Required = false)] IEventStream<Account> stream, TimeProvider clock) =>
        stream.Decide(c.ExpectedVersion, account => MeasurementDecisions.Dispute(account, c.CommitmentId, c.MeasurementId, c.Dispute, clock.GetUtcNow()));
}
