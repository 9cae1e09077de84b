using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ValueLedger.Api.Features.Measurements;
using Wolverine.Marten;

namespace ValueLedger.Api.Features.Commitments;

public sealed record AddCommitmentRequest(
    ValueDriver? Driver, string? Metric, string? Unit, Direction? Direction, BaselineRequest? Baseline, decimal? Target,
    decimal? UnitValue, DateOnly? PeriodStart, DateOnly? PeriodEnd, Cadence? Cadence, CommitmentOwner? Owner,
    Level? Confidence, Approach? Approach, InvestmentRequest? Investment = null);

/// <summary>The customer's investment from the business case (payback is measured against it): amount in the account's currency, and where it comes from.</summary>
public sealed record InvestmentRequest(decimal? Amount, string? Source);

public sealed class InvestmentValidator : AbstractValidator<InvestmentRequest>
{
    public InvestmentValidator()
    {
        RuleFor(i => i.Amount).NotNull().GreaterThan(0).WithinValueRange();
        RuleFor(i => i.Source).NotEmpty().MaximumLength(200);
    }
}

public sealed class AddCommitmentValidator : AbstractValidator<AddCommitmentRequest>
{
    public AddCommitmentValidator()
    {
        RuleFor(r => r.Driver).NotNull().IsInEnum();
        RuleFor(r => r.Metric).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Unit).NotEmpty().MaximumLength(50);
        RuleFor(r => r.Direction).NotNull().IsInEnum();
        RuleFor(r => r.Baseline).NotNull().SetValidator(new BaselineValidator()!);
        RuleFor(r => r.Target).NotNull().WithinValueRange();
        RuleFor(r => r.UnitValue).NotNull().GreaterThan(0).WithinUnitValueRange();
        RuleFor(r => r.PeriodStart).NotNull().WithinBusinessDates();
        RuleFor(r => r.PeriodEnd).NotNull().WithinBusinessDates().GreaterThanOrEqualTo(r => r.PeriodStart).When(r => r.PeriodStart is not null)
            .WithMessage("periodEnd must not be before periodStart.");
        RuleFor(r => r.Cadence).NotNull().IsInEnum();
        RuleFor(r => r.Owner).NotNull().IsInEnum();
        RuleFor(r => r.Confidence).NotNull().IsInEnum();
        RuleFor(r => r.Approach).IsInEnum();
        RuleFor(r => r.Investment).SetValidator(new InvestmentValidator()!);
    }
}

public sealed record AddCommitmentCommand(Guid AccountId, Guid CommitmentId, CommitValue Commitment, long? ExpectedVersion, string By) : IAccountCommand;

public static class AddCommitmentEndpoint
{
    [Authorize(Policy = Policies.WriteValues)]

    [WolverinePost("/api/accounts/{accountId}/commitments", Name = "AddCommitment")]
    public static Task<IResult> Post(Guid accountId, AddCommitmentRequest r, HttpContext http, IMessageBus bus)
    {
        var id = Guid.CreateVersion7();
        var commit = new CommitValue(r.Driver!.Value, r.Metric!, r.Unit!, r.Direction!.Value, r.Baseline!.ToDomain(), r.Target!.Value,
            r.UnitValue!.Value, r.PeriodStart!.Value, r.PeriodEnd!.Value, r.Cadence!.Value, r.Owner!.Value, r.Confidence!.Value, r.Approach,
            r.Investment is { } i ? new Investment(i.Amount!.Value, i.Source!) : null);
        return bus.WriteAsync(http, (expected, by) => new AddCommitmentCommand(accountId, id, commit, expected, by), id, Routes.Commitment(accountId, id));
    }
}

public static class AddCommitmentHandler
{
    public static async Task<Written> Handle(AddCommitmentCommand command, [WriteAggregate(Required = false)] IEventStream<Account> stream,
        TimeProvider clock, IOptions<ValueLedgerSettings> settings, IMessageContext messages)
    {
        var written = stream.Decide(command.ExpectedVersion, account =>
            CommitmentDecisions.Commit(account, command.CommitmentId, command.Commitment, settings.Value.AtRiskTolerance, clock.GetUtcNow()));
        if (written.Rejection is null)
        {
            var c = command.Commitment;
            await FreshnessScheduling.Watch(messages, clock, command.AccountId, command.CommitmentId,
                Freshness.CheckAt(Freshness.DueBy(c.Cadence, c.PeriodStart, measuredUntil: null)));
            await messages.ScheduleAsync(new CheckTarget(command.AccountId, command.CommitmentId), TargetCheck.CheckAt(c.PeriodEnd));
        }
        return written;
    }
}
