using Microsoft.AspNetCore.Mvc;
using ValueLedger.Api.Features.Contracts;
using Wolverine.Marten;

namespace ValueLedger.Api.Features.Responsibilities;

/// <summary>The periods fulfilled (whole cadence periods; a one-off needs none), with a note on what was done.</summary>
public sealed record FulfilmentRequest(DateOnly? PeriodStart, DateOnly? PeriodEnd, string? Note);

public sealed class FulfilmentValidator : AbstractValidator<FulfilmentRequest>
{
    public FulfilmentValidator()
    {
        RuleFor(r => r.PeriodStart).NotNull().When(r => r.PeriodEnd is not null).WithMessage("Give periodStart with periodEnd.");
        RuleFor(r => r.PeriodEnd).NotNull().When(r => r.PeriodStart is not null).WithMessage("Give periodEnd with periodStart.")
            .GreaterThanOrEqualTo(r => r.PeriodStart).When(r => r.PeriodStart is not null).WithMessage("periodEnd must not be before periodStart.");
        RuleFor(r => r.Note).MaximumLength(2000);
    }
}

public sealed record FulfilResponsibilityCommand(Guid AccountId, Guid ResponsibilityId, Guid FulfilmentId, FulfilResponsibility Fulfilment,
    long? ExpectedVersion, string By) : IAccountCommand;

public static class FulfilResponsibilityEndpoint
{
    [Authorize(Policy = Policies.WriteValues)]
    [WolverinePost("/api/accounts/{accountId}/responsibilities/{responsibilityId}/fulfilments", Name = "FulfilResponsibility")]
    public static Task<IResult> Post(Guid accountId, Guid responsibilityId, FulfilmentRequest r, HttpContext http, IMessageBus bus)
    {
        var id = Guid.CreateVersion7();
        return bus.WriteAsync(http, (expected, by) => new FulfilResponsibilityCommand(accountId, responsibilityId, id,
                new FulfilResponsibility(r.PeriodStart, r.PeriodEnd, r.Note), expected, by),
            id, OutcomeRoutes.Responsibility(accountId, responsibilityId));
    }
}

public static class FulfilResponsibilityHandler
{
    public static Written Handle(FulfilResponsibilityCommand c, [WriteAggregate(Required = false)] IEventStream<Account> stream, TimeProvider clock) =>
        stream.Decide(c.ExpectedVersion, account =>
            ResponsibilityDecisions.Fulfil(account, c.ResponsibilityId, c.FulfilmentId, c.Fulfilment, c.By, clock.GetUtcNow()));
}
