using Microsoft.AspNetCore.Mvc;
using Wolverine.Marten;

namespace ValueLedger.Api.Features.Commitments;

public sealed record WithdrawalRequest(string? Reason);

public sealed class WithdrawalValidator : AbstractValidator<WithdrawalRequest>
{
    public WithdrawalValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(2000);
}

public sealed record WithdrawCommitmentCommand(Guid AccountId, Guid CommitmentId, string Reason, long? ExpectedVersion, string By) : IAccountCommand;

public static class WithdrawCommitmentEndpoint
{
    [Authorize(Policy = Policies.WriteValues)]

    [WolverinePost("/api/accounts/{accountId}/commitments/{commitmentId}/withdrawal", Name = "WithdrawCommitment")]
    public static Task<IResult> Post(Guid accountId, Guid commitmentId, WithdrawalRequest request, HttpContext http, IMessageBus bus) =>
        bus.WriteAsync(http, (expected, by) => new WithdrawCommitmentCommand(accountId, commitmentId, request.Reason!, expected, by),
            commitmentId, Routes.Commitment(accountId, commitmentId));
}

public static class WithdrawCommitmentHandler
{
    public static Written Handle(WithdrawCommitmentCommand command, [WriteAggregate(Required = false)] IEventStream<Account> stream, TimeProvider clock) =>
        stream.Decide(command.ExpectedVersion, account =>
            CommitmentDecisions.Withdraw(account, command.CommitmentId, new WithdrawCommitment(command.Reason), clock.GetUtcNow()));
}
