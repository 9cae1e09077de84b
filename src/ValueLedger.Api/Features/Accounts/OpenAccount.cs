using Microsoft.AspNetCore.Authorization;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Domain;
using Wolverine;
using Wolverine.Http;
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
    public static ProblemDetails Validate(OpenAccountRequest request, IValidator<OpenAccountRequest> validator) => validator.Check(request);

    [Authorize(Policy = Policies.WriteValues)]
    [WolverinePost("/api/accounts", Name = "OpenAccount")]
    public static async Task<IResult> Post(OpenAccountRequest request, HttpContext http, IMessageBus bus)
    {
        var id = Guid.CreateVersion7();
        await bus.InvokeAsync(new OpenAccountCommand(id,
            new OpenAccount(request.Name!, request.Industry!, request.Segment!, request.Currency!, request.Approach!.Value, request.Owner!),
            CurrentUser.NameOf(http.User)), CurrentUser.AsAuthor(http.User), http.RequestAborted);
        http.Response.Headers.ETag = Preconditions.ETagOf(1);
        return Results.Created(Routes.Account(id), new Created(id, 1));
    }
}

public static class OpenAccountHandler
{
    public static IStartStream Handle(OpenAccountCommand command, TimeProvider clock) =>
        MartenOps.StartStream<Account>(command.AccountId, AccountDecisions.Open(command.AccountId, command.Account, clock.GetUtcNow()));
}
