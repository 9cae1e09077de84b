using Wolverine.Marten;

namespace ValueLedger.Api.Features.Accounts;

/// <summary>New details of an account: only the fields sent change. Currency and approach never change (every figure depends on them).</summary>
public sealed record AccountDetailsRequest(string? Name, string? Industry, string? Segment, string? Owner);

public sealed class AccountDetailsValidator : AbstractValidator<AccountDetailsRequest>
{
    public AccountDetailsValidator()
    {
        RuleFor(r => r).Must(r => r.Name is not null || r.Industry is not null || r.Segment is not null || r.Owner is not null)
            .WithName("details").WithMessage("Send at least one of name, industry, segment, owner.");
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200).When(r => r.Name is not null);
        RuleFor(r => r.Industry).NotEmpty().MaximumLength(100).When(r => r.Industry is not null);
        RuleFor(r => r.Segment).NotEmpty().MaximumLength(100).When(r => r.Segment is not null);
        RuleFor(r => r.Owner).NotEmpty().MaximumLength(200).When(r => r.Owner is not null);
    }
}

public sealed record ChangeAccountDetailsCommand(Guid AccountId, ChangeAccountDetails Change, long? ExpectedVersion, string By) : IAccountCommand;

public static class ChangeAccountDetailsEndpoint
{
    /// <summary>200 with the account's new version (unchanged when nothing differs); If-Match as on every write.</summary>
    [Authorize(Policy = Policies.WriteValues)]
    [WolverinePatch("/api/accounts/{accountId}", Name = "ChangeAccountDetails")]
    public static Task<IResult> Patch(Guid accountId, AccountDetailsRequest request, HttpContext http, IMessageBus bus) =>
        bus.WriteAsync<Written>(http,
            (expected, by) => new ChangeAccountDetailsCommand(accountId, new ChangeAccountDetails(request.Name, request.Industry, request.Segment, request.Owner), expected, by),
            null,
            (written, _) =>
            {
                if (written.Rejection is { } rejection) return Task.FromResult(rejection.ToResult());
                http.Response.Headers.ETag = Preconditions.ETagOf(written.Version);
                return Task.FromResult(Results.Ok(new Created(accountId, written.Version)));
            });
}

public static class ChangeAccountDetailsHandler
{
    public static Written Handle(ChangeAccountDetailsCommand command, [WriteAggregate(Required = false)] IEventStream<Account> stream, TimeProvider clock) =>
        stream.Decide(command.ExpectedVersion, account => AccountDecisions.ChangeDetails(account, command.Change, clock.GetUtcNow()));
}
