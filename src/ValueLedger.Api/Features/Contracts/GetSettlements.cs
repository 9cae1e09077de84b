using Marten;
using Microsoft.AspNetCore.Authorization;
using ValueLedger.Api.Features.Accounts;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Domain;
using Wolverine.Http;

namespace ValueLedger.Api.Features.Contracts;

public static class GetSettlementsEndpoint
{
    /// <summary>Every settlement of the commitment with all its versions, and the settlement periods of its contract.</summary>
    [Authorize(Policy = Policies.ReadAccount)]
    [WolverineGet("/api/accounts/{accountId}/commitments/{commitmentId}/settlements", Name = "GetSettlements")]
    public static Task<IResult> List(Guid accountId, Guid commitmentId, HttpContext http, IQuerySession session) =>
        PointInTime.ReadAccountAsync(http, session, accountId, (account, _) =>
            account.FindCommitment(commitmentId) is { } commitment
                ? Results.Ok(SettlementsView.Of(account, commitment))
                : Problems.NotFound("Commitment", commitmentId));

    [Authorize(Policy = Policies.ReadAccount)]
    [WolverineGet("/api/accounts/{accountId}/commitments/{commitmentId}/settlements/{settlementId}", Name = "GetSettlement")]
    public static async Task<IResult> Get(Guid accountId, Guid commitmentId, Guid settlementId, HttpContext http, IQuerySession session)
    {
        var account = await session.LoadAsync<Account>(accountId, http.RequestAborted);
        if (account is null) return Problems.NotFound("Account", accountId);
        if (account.FindCommitment(commitmentId) is not { } commitment) return Problems.NotFound("Commitment", commitmentId);
        if (commitment.Contract?.FindSettlement(settlementId) is not { } settlement) return Problems.NotFound("Settlement", settlementId);
        http.Response.Headers.ETag = Preconditions.ETagOf(account.Version);
        return Results.Ok(SettlementView.Of(account, commitment, settlement));
    }
}
