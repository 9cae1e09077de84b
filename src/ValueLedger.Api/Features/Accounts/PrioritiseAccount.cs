using Microsoft.AspNetCore.Mvc;
using Wolverine.Marten;

namespace ValueLedger.Api.Features.Accounts;

public sealed record PrioritisationRequest(Level? AbilityToPay, Level? WillingnessToPay, string? Note);

public sealed class PrioritisationValidator : AbstractValidator<PrioritisationRequest>
{
    public PrioritisationValidator()
    {
        RuleFor(r => r.AbilityToPay).NotNull().IsInEnum();
        RuleFor(r => r.WillingnessToPay).NotNull().IsInEnum();
        RuleFor(r => r.Note).MaximumLength(2000);
    }
}

public sealed record PrioritiseAccountCommand(Guid AccountId, PrioritiseAccount Prioritisation, long? ExpectedVersion, string By) : IAccountCommand;

public static class PrioritiseAccountEndpoint
{
    [Authorize(Policy = Policies.WriteValues)]

    [WolverinePost("/api/accounts/{accountId}/prioritisation", Name = "PrioritiseAccount")]
    public static Task<IResult> Post(Guid accountId, PrioritisationRequest request, HttpContext http, IMessageBus bus) =>
        bus.WriteAsync(http, (expected, by) => new PrioritiseAccountCommand(accountId,
                new PrioritiseAccount(request.AbilityToPay!.Value, request.WillingnessToPay!.Value, request.Note), expected, by),
            accountId, Routes.Account(accountId));
}

public static class PrioritiseAccountHandler
{
    public static Written Handle(PrioritiseAccountCommand command, [WriteAggregate(Required = false)] IEventStream<Account> stream, TimeProvider clock) =>
        stream.Decide(command.ExpectedVersion, account => Decision.Accept(AccountDecisions.Prioritise(account, command.Prioritisation, clock.GetUtcNow())));
}
