using Microsoft.AspNetCore.Mvc;
using ValueLedger.Api.Features.Contracts;
using Wolverine.Marten;

namespace ValueLedger.Api.Features.Measurements;

public sealed record CorrectionRequest(decimal? Value, string? Reason, string? EvidenceUrl);

public sealed class CorrectionValidator : AbstractValidator<CorrectionRequest>
{
    public CorrectionValidator()
    {
        RuleFor(r => r.Value).NotNull().WithinValueRange();
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(2000);
        RuleFor(r => r.EvidenceUrl).MaximumLength(2000).Must(Evidence.IsLink!).When(r => !string.IsNullOrEmpty(r.EvidenceUrl))
            .WithMessage(Evidence.Hint);
    }
}

public sealed record CorrectMeasurementCommand(Guid AccountId, Guid CommitmentId, Guid MeasurementId, CorrectMeasurement Correction, long? ExpectedVersion, string By) : IAccountCommand;

public static class CorrectMeasurementEndpoint
{
    [Authorize(Policy = Policies.WriteValues)]

    [WolverinePost("/api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}/corrections", Name = "CorrectMeasurement")]
    public static async Task<IResult> Post(Guid accountId, Guid commitmentId, Guid measurementId, CorrectionRequest r, HttpContext http, IMessageBus bus,
        IQuerySession session) =>
        await Evidence.UnknownFileAsync(session, accountId, r.EvidenceUrl, "evidenceUrl", http.RequestAborted) ??
        await bus.WriteAsync(http, (expected, by) => new CorrectMeasurementCommand(accountId, commitmentId, measurementId,
                new CorrectMeasurement(r.Value!.Value, r.Reason!, string.IsNullOrWhiteSpace(r.EvidenceUrl) ? null : r.EvidenceUrl), expected, by),
            measurementId, Routes.Measurement(accountId, commitmentId, measurementId));
}

public static class CorrectMeasurementHandler
{
    /// <summary>Records the correction and, only when it is recorded, recalculates each settlement that counted the measurement.</summary>
    public static (Written, OutgoingMessages) Handle(CorrectMeasurementCommand c, [WriteAggregate(Required = false)] IEventStream<Account> stream, TimeProvider clock)
    {
        var written = stream.Decide(c.ExpectedVersion, account => MeasurementDecisions.Correct(account, c.CommitmentId, c.MeasurementId, c.Correction, c.By, clock.GetUtcNow()));
        var followUps = new OutgoingMessages();
        if (written.Rejection is null && stream.Aggregate is { } before)
            followUps.AddRange(RecalculateSettlement.AfterCorrection(before, c.CommitmentId, c.MeasurementId, c.Correction.Reason));
        return (written, followUps);
    }
}
