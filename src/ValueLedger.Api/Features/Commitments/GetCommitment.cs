using ValueLedger.Api.Features.Accounts;

namespace ValueLedger.Api.Features.Commitments;

public static class GetCommitmentEndpoint
{
    [Authorize(Policy = Policies.ReadAccount)]
    [WolverineGet("/api/accounts/{accountId}/commitments/{commitmentId}", Name = "GetCommitment")]
    public static Task<IResult> Get(Guid accountId, Guid commitmentId, HttpContext http, IQuerySession session, TimeProvider clock) =>
        PointInTime.ReadAccountAsync(http, session, accountId, (account, pointInTime) =>
            account.FindCommitment(commitmentId) is { } commitment
                ? Results.Ok(CommitmentView.Of(account, commitment, pointInTime.AsOf ?? clock.GetUtcNow()))
                : Problems.NotFound("Commitment", commitmentId));
}
