using Microsoft.AspNetCore.Mvc;
using Wolverine.Marten;

namespace ValueLedger.Api.Features.Verification;

/// <summary><c>statedBy</c>: who at the customer confirmed; <c>evidence</c>: the letter's reference or the message id.</summary>
public sealed record ConfirmationOnBehalfRequest(string? StatedBy, string? Evidence, string? Comment);

public sealed class ConfirmationOnBehalfValidator : AbstractValidator<ConfirmationOnBehalfRequest>
{
    public ConfirmationOnBehalfValidator()
    {
        RuleFor(r => r.StatedBy).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Evidence).NotEmpty().MaximumLength(2000);
        RuleFor(r => r.Comment).MaximumLength(2000);
    }
}

public sealed record ConfirmOnBehalfCommand(Guid AccountId, Guid CommitmentId, Guid MeasurementId, ConfirmOnBehalf Confirmation, long? ExpectedVersion, string By) : IAccountCommand;

public static class ConfirmOnBehalfEndpoint
{

    /// <summary>
    /// Customer success records a confirmation the customer gave outside the system. It is shown as "recorded by … on
    /// behalf of …", named as the gap confirmedOnBehalf and never makes confidence high.
    /// </summary>
    [Authorize(Policy = Policies.WriteValues)]
    [WolverinePost("/api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}/confirmation-on-behalf", Name = "ConfirmMeasurementOnBehalf")]
    public static Task<IResult> Post(Guid accountId, Guid commitmentId, Guid measurementId, ConfirmationOnBehalfRequest r, HttpContext http, IMessageBus bus) =>
        bus.WriteAsync(http, (expected, by) => new ConfirmOnBehalfCommand(accountId, commitmentId, measurementId,
                new ConfirmOnBehalf(r.StatedBy!, r.Evidence!, Text.OrNull(r.Comment)), expected, by),
            measurementId, Routes.Measurement(accountId, commitmentId, measurementId));
}

public static class ConfirmOnBehalfHandler
{
    public static Written Handle(ConfirmOnBehalfCommand c, [WriteAggregate(Required = false)] IEventStream<Account> stream, TimeProvider clock) =>
        stream.Decide(c.ExpectedVersion, account => VerificationDecisions.ConfirmOnBehalf(account, c.CommitmentId, c.MeasurementId, c.Confirmation, c.By, clock.GetUtcNow()));
}
