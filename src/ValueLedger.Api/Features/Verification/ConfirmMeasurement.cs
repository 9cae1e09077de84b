using Microsoft.AspNetCore.Mvc;
using Wolverine.Marten;

namespace ValueLedger.Api.Features.Verification;

/// <summary>Only a comment: who confirms is the signed-in approver (a <c>confirmedBy</c> in the body is ignored).</summary>
public sealed record ConfirmationRequest(string? Comment);

public sealed class ConfirmationValidator : AbstractValidator<ConfirmationRequest>
{
    public ConfirmationValidator() => RuleFor(r => r.Comment).MaximumLength(2000);
}

public sealed record ConfirmMeasurementCommand(Guid AccountId, Guid CommitmentId, Guid MeasurementId, ConfirmMeasurement Confirmation, long? ExpectedVersion, string By) : IAccountCommand;

public static class ConfirmMeasurementEndpoint
{
    /// <summary>An approver contact of the account confirms the measurement's current revision; the answer carries a receipt.</summary>
    [Authorize(Policy = Policies.SignOff)]
    [WolverinePost("/api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}/confirmation", Name = "ConfirmMeasurement")]
    public static Task<IResult> Post(Guid accountId, Guid commitmentId, Guid measurementId, ConfirmationRequest r, HttpContext http,
        IMessageBus bus, IQuerySession session, ReceiptBuilder receipts) =>
        bus.SignAsync(http, session, receipts, (expected, signer) => new ConfirmMeasurementCommand(accountId, commitmentId, measurementId,
                new ConfirmMeasurement(signer, Text.OrNull(r.Comment)), expected, signer.Name),
            measurementId, Routes.Measurement(accountId, commitmentId, measurementId));
}

public static class ConfirmMeasurementHandler
{
    public static Written Handle(ConfirmMeasurementCommand c, [WriteAggregate(Required = false)] IEventStream<Account> stream, TimeProvider clock) =>
        stream.Decide(c.ExpectedVersion, account => MeasurementDecisions.Confirm(account, c.CommitmentId, c.MeasurementId, c.Confirmation, clock.GetUtcNow()));
}

public static class Text
{
    public static string? OrNull(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
