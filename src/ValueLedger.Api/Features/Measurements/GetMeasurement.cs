using ValueLedger.Api.Features.Accounts;
using ValueLedger.Api.Features.Commitments;

namespace ValueLedger.Api.Features.Measurements;

public static class GetMeasurementEndpoint
{
    [Authorize(Policy = Policies.ReadAccount)]
    [WolverineGet("/api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}", Name = "GetMeasurement")]
    public static Task<IResult> Get(Guid accountId, Guid commitmentId, Guid measurementId, HttpContext http, IQuerySession session) =>
        PointInTime.ReadAccountAsync(http, session, accountId, (account, _) =>
            account.FindCommitment(commitmentId) is not { } commitment ? Problems.NotFound("Commitment", commitmentId)
            : commitment.FindMeasurement(measurementId) is not { } measurement ? Problems.NotFound("Measurement", measurementId)
            : Results.Ok(MeasurementView.Of(account, commitment, measurement, ValueMath.Figures(commitment, measurement))));
}
