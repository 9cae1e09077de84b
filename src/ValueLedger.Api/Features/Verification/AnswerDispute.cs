using Microsoft.AspNetCore.Mvc;
using Wolverine.Marten;

namespace ValueLedger.Api.Features.Verification;

public sealed record DisputeAnswerRequest(string? Comment);

public sealed class DisputeAnswerValidator : AbstractValidator<DisputeAnswerRequest>
{
    public DisputeAnswerValidator() => RuleFor(r => r.Comment).NotEmpty().MaximumLength(2000);
}

public sealed record AnswerDisputeCommand(Guid AccountId, Guid CommitmentId, Guid MeasurementId, AnswerDispute Answer, long? ExpectedVersion, string By) : IAccountCommand;

public static class AnswerDisputeEndpoint
{

    /// <summary>
    /// Customer success answers a dispute in its thread with a comment (or corrects the figure through the corrections
    /// route); the customer then confirms or disputes again. Every step is an event.
    /// </summary>
    [Authorize(Policy = Policies.WriteValues)]
    [WolverinePost("/api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}/dispute/answers", Name = "AnswerMeasurementDispute")]
    public static Task<IResult> Post(Guid accountId, Guid commitmentId, Guid measurementId, DisputeAnswerRequest r, HttpContext http, IMessageBus bus) =>
        bus.WriteAsync(http, (expected, by) => new AnswerDisputeCommand(accountId, commitmentId, measurementId, new AnswerDispute(r.Comment!), expected, by),
            measurementId, Routes.Measurement(accountId, commitmentId, measurementId));
}

public static class AnswerDisputeHandler
{
    public static Written Handle(AnswerDisputeCommand c, [WriteAggregate(Required = false)] IEventStream<Account> stream, TimeProvider clock) =>
        stream.Decide(c.ExpectedVersion, account => VerificationDecisions.Answer(account, c.CommitmentId, c.MeasurementId, c.Answer, c.By, clock.GetUtcNow()));
}
