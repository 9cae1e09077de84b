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

public sealed record ConfirmationRequest(string? ConfirmedBy, string? Comment);

public sealed class ConfirmationValidator : AbstractValidator<ConfirmationRequest>
{
    public ConfirmationValidator()
    {
        RuleFor(r => r.ConfirmedBy).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Comment).MaximumLength(2000);
    }
}

public sealed record ConfirmMeasurementCommand(Guid AccountId, Guid CommitmentId, Guid MeasurementId, ConfirmMeasurement Confirmation, long? ExpectedVersion, string By) : IAccountCommand;

public static class ConfirmMeasurementEndpoint
{
    [Authorize(Policy = Policies.VerifyValues)]

    [WolverinePost("/api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}/confirmation", Name = "ConfirmMeasurement")]
    public static Task<IResult> Post(Guid accountId, Guid commitmentId, Guid measurementId, ConfirmationRequest r, HttpContext http, IMessageBus bus) =>
        bus.WriteAsync(http, (expected, by) => new ConfirmMeasurementCommand(accountId, commitmentId, measurementId,
                new ConfirmMeasurement(r.ConfirmedBy!, r.Comment), expected, by),
            measurementId, Routes.Measurement(accountId, commitmentId, measurementId));
}

public static class ConfirmMeasurementHandler
{
    public static Written Handle(ConfirmMeasurementCommand c, [WriteAggregate(Required = false)] IEventStream<Account> stream, TimeProvider clock) =>
        stream.Decide(c.ExpectedVersion, account => MeasurementDecisions.Confirm(account, c.CommitmentId, c.MeasurementId, c.Confirmation, clock.GetUtcNow()));
}
