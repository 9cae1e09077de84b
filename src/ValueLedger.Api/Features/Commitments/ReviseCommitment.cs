using Microsoft.AspNetCore.Mvc;
using Wolverine.Marten;

namespace ValueLedger.Api.Features.Commitments;

/// <summary>New terms from <c>effectiveFrom</c> (default: today) on; give at least one of them and a reason.</summary>
public sealed record ReviseCommitmentRequest(
    BaselineRequest? Baseline, decimal? Target, decimal? UnitValue, DateOnly? PeriodEnd, DateOnly? EffectiveFrom, string? Reason);

public sealed class ReviseCommitmentValidator : AbstractValidator<ReviseCommitmentRequest>
{
    public ReviseCommitmentValidator()
    {
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(2000);
        RuleFor(r => r.Baseline!).SetValidator(new BaselineValidator()).When(r => r.Baseline is not null);
        RuleFor(r => r.UnitValue).GreaterThan(0).WithinUnitValueRange().When(r => r.UnitValue is not null);
        RuleFor(r => r.Target).WithinValueRange();
        RuleFor(r => r.PeriodEnd).WithinBusinessDates();
        RuleFor(r => r.EffectiveFrom).WithinBusinessDates();
        RuleFor(r => r).Must(r => r.Baseline is not null || r.Target is not null || r.UnitValue is not null || r.PeriodEnd is not null)
            .WithName("terms").WithMessage("Give at least one of baseline, target, unitValue or periodEnd.");
    }
}

public sealed record ReviseCommitmentCommand(Guid AccountId, Guid CommitmentId, ReviseCommitment Revision, long? ExpectedVersion, string By) : IAccountCommand;

public static class ReviseCommitmentEndpoint
{
    [Authorize(Policy = Policies.WriteValues)]

    [WolverinePost("/api/accounts/{accountId}/commitments/{commitmentId}/revisions", Name = "ReviseCommitment")]
    public static Task<IResult> Post(Guid accountId, Guid commitmentId, ReviseCommitmentRequest r, HttpContext http, IMessageBus bus)
    {
        var revision = new ReviseCommitment(r.EffectiveFrom, r.Baseline?.ToDomain(), r.Target, r.UnitValue, r.PeriodEnd, r.Reason!);
        return bus.WriteAsync(http, (expected, by) => new ReviseCommitmentCommand(accountId, commitmentId, revision, expected, by),
            commitmentId, Routes.Commitment(accountId, commitmentId));
    }
}

public static class ReviseCommitmentHandler
{
    public static async Task<Written> Handle(ReviseCommitmentCommand command, [WriteAggregate(Required = false)] IEventStream<Account> stream,
        TimeProvider clock, IMessageContext messages)
    {
        var written = stream.Decide(command.ExpectedVersion, account => CommitmentDecisions.Revise(account, command.CommitmentId, command.Revision, clock.GetUtcNow()));
        if (written.Rejection is null && command.Revision.PeriodEnd is { } periodEnd)
            await messages.ScheduleAsync(new CheckTarget(command.AccountId, command.CommitmentId), TargetCheck.CheckAt(periodEnd));
        return written;
    }
}
