using ValueLedger.Api.Features.Accounts;

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
    public static Task<IResult> Get(Guid accountId, Guid commitmentId, Guid settlementId, HttpContext http, IQuerySession session) =>
        PointInTime.ReadAccountAsync(http, session, accountId, (account, _) =>
            account.FindCommitment(commitmentId) is not { } commitment ? Problems.NotFound("Commitment", commitmentId)
            : commitment.Contract?.FindSettlement(settlementId) is not { } settlement ? Problems.NotFound("Settlement", settlementId)
            : Results.Ok(SettlementView.Of(account, commitment, settlement)));
}
