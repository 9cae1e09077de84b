using Microsoft.AspNetCore.Authorization;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Domain;
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

public static class OpenAccountEndpoint
{
    public static ProblemDetails Validate(OpenAccountRequest request, IValidator<OpenAccountRequest> validator) => validator.Check(request);

    [Authorize(Policy = Policies.WriteValues)]

    [WolverinePost("/api/accounts", Name = "OpenAccount")]
    public static (IResult, IStartStream) Post(OpenAccountRequest request, HttpContext http, TimeProvider clock, Marten.IDocumentSession session)
    {
        session.LastModifiedBy = CurrentUser.NameOf(http.User); // the audit trail names who opened the account
        var id = Guid.CreateVersion7();
        var opened = AccountDecisions.Open(id,
            new OpenAccount(request.Name!, request.Industry!, request.Segment!, request.Currency!, request.Approach!.Value, request.Owner!),
            clock.GetUtcNow());
        http.Response.Headers.ETag = Preconditions.ETagOf(1);
        return (Results.Created(Routes.Account(id), new Created(id, 1)), MartenOps.StartStream<Account>(id, opened));
    }
}
