using Microsoft.AspNetCore.Mvc;
using ValueLedger.Api.Features.Contracts;
using Wolverine.Marten;

namespace ValueLedger.Api.Features.Responsibilities;

/// <summary>
/// A duty of the customer or the seller, for one commitment or (without <c>commitmentId</c>) the whole account:
/// recurring with <c>cadence</c> and <c>dueDayOfPeriod</c> (due by the end of that day of each period, UTC), or once
/// with <c>dueAt</c>.
/// </summary>
public sealed record ResponsibilityRequest(Party? Party, string? Description, Guid? CommitmentId, Cadence? Cadence, int? DueDayOfPeriod, DateTimeOffset? DueAt);

public sealed class ResponsibilityValidator : AbstractValidator<ResponsibilityRequest>
{
    public ResponsibilityValidator()
    {
        RuleFor(r => r.Party).NotNull().IsInEnum();
        RuleFor(r => r.Description).NotEmpty().MaximumLength(2000);
        When(r => r.DueAt is null, () =>
        {
            RuleFor(r => r.Cadence).NotNull().IsInEnum().WithMessage("Give cadence with dueDayOfPeriod, or dueAt.");
            RuleFor(r => r.DueDayOfPeriod).NotNull().WithMessage("Give dueDayOfPeriod with cadence, or dueAt.")
                .Must((r, day) => day >= 1 && day <= LongestPeriod(r.Cadence)).When(r => r.DueDayOfPeriod is not null, ApplyConditionTo.CurrentValidator)
                .WithMessage(r => $"dueDayOfPeriod counts the days of the period from 1 to {LongestPeriod(r.Cadence)}.");
        }).Otherwise(() =>
        {
            RuleFor(r => r.DueDayOfPeriod).Null().WithMessage("Give dueDayOfPeriod (recurring) or dueAt (once), not both.");
            RuleFor(r => r.Cadence).Null().WithMessage("A responsibility due once at dueAt has no cadence.");
            RuleFor(r => r.DueAt).LessThan(new DateTimeOffset(10_000 - 100, 1, 1, 0, 0, 0, TimeSpan.Zero)).WithMessage("dueAt must be a real date.");
        });
    }

    private static int LongestPeriod(Cadence? cadence) => cadence switch { Cadence.Quarterly => 92, Cadence.Yearly => 366, _ => 31 };
}

public sealed record AssignResponsibilityCommand(Guid AccountId, Guid ResponsibilityId, AssignResponsibility Assignment, long? ExpectedVersion, string By)
    : IAccountCommand;

public static class AssignResponsibilityEndpoint
{
    [Authorize(Policy = Policies.WriteValues)]
    [WolverinePost("/api/accounts/{accountId}/responsibilities", Name = "AssignResponsibility")]
    public static Task<IResult> Post(Guid accountId, ResponsibilityRequest r, HttpContext http, IMessageBus bus)
    {
        var id = Guid.CreateVersion7();
        var assignment = new AssignResponsibility(r.Party!.Value, r.Description!, r.CommitmentId, r.Cadence, r.DueDayOfPeriod, r.DueAt);
        return bus.WriteAsync(http, (expected, by) => new AssignResponsibilityCommand(accountId, id, assignment, expected, by),
            id, OutcomeRoutes.Responsibility(accountId, id));
    }
}

public static class AssignResponsibilityHandler
{
    /// <summary>Decides, and schedules the check of the first occurrence for the moment it falls due.</summary>
    public static async Task<Written> Handle(AssignResponsibilityCommand c, [WriteAggregate(Required = false)] IEventStream<Account> stream,
        TimeProvider clock, IMessageContext messages)
    {
        ResponsibilityAssigned? assigned = null;
        var written = stream.Decide(c.ExpectedVersion, account =>
        {
            var decision = ResponsibilityDecisions.Assign(account, c.ResponsibilityId, c.Assignment, c.By, clock.GetUtcNow());
            assigned = decision.Events.OfType<ResponsibilityAssigned>().SingleOrDefault();
            return decision;
        });
        if (written.Rejection is null && assigned is not null)
        {
            var commitment = assigned.CommitmentId is { } id ? stream.Aggregate!.FindCommitment(id) : null;
            if (ResponsibilitySchedule.NextAfter(Responsibility.From(assigned), commitment, assigned.AssignedAt) is { } first)
            {
                var check = new CheckResponsibility(c.AccountId, c.ResponsibilityId, first.DueAt);
                await messages.ScheduleAsync(check, check.DeliverAt);
            }
        }
        return written;
    }
}
