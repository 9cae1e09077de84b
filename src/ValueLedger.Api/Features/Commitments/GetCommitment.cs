using Microsoft.AspNetCore.Authorization;
using Marten;
using ValueLedger.Api.Features.Accounts;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Domain;
using Wolverine.Http;

namespace ValueLedger.Api.Features.Commitments;

public static class GetCommitmentEndpoint
{
    [Authorize(Policy = Policies.ReadAccount)]
    [WolverineGet("/api/accounts/{accountId}/commitments/{commitmentId}", Name = "GetCommitment")]
    public static async Task<IResult> Get(Guid accountId, Guid commitmentId, HttpContext http, IQuerySession session)
    {
        var pointInTime = PointInTime.Read(http.Request);
        if (pointInTime.Problem is { } problem) return problem;
        var account = await pointInTime.LoadAsync(session, accountId, http.RequestAborted);
        if (account is null) return Problems.NotFound("Account", accountId);
        if (account.FindCommitment(commitmentId) is not { } commitment) return Problems.NotFound("Commitment", commitmentId);
        http.Response.Headers.ETag = Preconditions.ETagOf(account.Version);
        return Results.Ok(CommitmentView.Of(account, commitment));
    }
}
