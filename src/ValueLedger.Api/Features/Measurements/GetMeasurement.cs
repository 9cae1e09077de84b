using Microsoft.AspNetCore.Authorization;
using Marten;
using ValueLedger.Api.Features.Accounts;
using ValueLedger.Api.Features.Commitments;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Domain;
using Wolverine.Http;

namespace ValueLedger.Api.Features.Measurements;

public static class GetMeasurementEndpoint
{
    [Authorize(Policy = Policies.ReadAccount)]
    [WolverineGet("/api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}", Name = "GetMeasurement")]
    public static async Task<IResult> Get(Guid accountId, Guid commitmentId, Guid measurementId, HttpContext http, IQuerySession session)
    {
        var account = await session.LoadAsync<Account>(accountId, http.RequestAborted);
        if (account is null) return Problems.NotFound("Account", accountId);
        if (account.FindCommitment(commitmentId) is not { } commitment) return Problems.NotFound("Commitment", commitmentId);
        if (commitment.FindMeasurement(measurementId) is not { } measurement) return Problems.NotFound("Measurement", measurementId);
        http.Response.Headers.ETag = Preconditions.ETagOf(account.Version);
        return Results.Ok(MeasurementView.Of(account, commitment, measurement, ValueMath.Figures(commitment, measurement)));
    }
}
