using Microsoft.AspNetCore.Mvc;
using Wolverine.Marten;

namespace ValueLedger.Api.Features.Accounts;

public sealed record OpenAccountRequest(string? Name, string? Industry, string? Segment, string? Currency, Approach? Approach, string? Owner);

public sealed class OpenAccountValidator : AbstractValidator<OpenAccountRequest>
{
    public OpenAccountValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Industry).NotEmpty().MaximumLength(100);
        RuleFor(r => r.Segment).NotEmpty().MaximumLength(100);
        RuleFor(r => r.Currency).NotEmpty().Matches("^[A-Za-z]{3}$").WithMessage("Use a three-letter ISO 4217 code such as EUR.");
        RuleFor(r => r.Approach).NotNull().IsInEnum();
        RuleFor(r => r.Owner).NotEmpty().MaximumLength(200);
    }
}

/// <summary>Open an account: the command the HTTP endpoint sends, and the demo sends too.</summary>
public sealed record OpenAccountCommand(Guid AccountId, OpenAccount Account, string By) : IAccountCommand
{
    public long? ExpectedVersion => null;
}

public static class OpenAccountEndpoint
{
    [Authorize(Policy = Policies.WriteValues)]
    [WolverinePost("/api/accounts", Name = "OpenAccount")]
    public static Task<IResult> Post(OpenAccountRequest request, HttpContext http, IMessageBus bus)
    {
        var id = Guid.CreateVersion7();
        var account = new OpenAccount(request.Name!, request.Industry!, request.Segment!, request.Currency!, request.Approach!.Value, request.Owner!);
        return bus.WriteAsync(http, (_, by) => new OpenAccountCommand(id, account, by), id, Routes.Account(id));
    }
}

public static class OpenAccountHandler
{
    /// <summary>A new stream, at version 1; Marten refuses a second start of the same id.</summary>
    public static Written Handle(OpenAccountCommand command, IDocumentSession session, TimeProvider clock)
    {
        session.Events.StartStream<Account>(command.AccountId, AccountDecisions.Open(command.AccountId, command.Account, clock.GetUtcNow()));
        return new Written(null, 1);
    }
}
