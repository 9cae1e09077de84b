using Microsoft.AspNetCore.Mvc;
using ValueLedger.Api.Features.Accounts;
using ValueLedger.Api.Features.Commitments;

namespace ValueLedger.Api.Features.Measurements;

public static class ListMeasurementsEndpoint
{
    public const int MaxPageSize = 500;

    /// <summary>
    /// A commitment's measurements in period order, paged, optionally only those whose period ends on or after
    /// <c>from</c> and starts on or before <c>to</c>, or in one verification state; <c>?asOf=</c> / <c>?version=</c> as
    /// everywhere. The commitment view embeds only the newest; this is the whole history, one bounded page at a time.
    /// </summary>
    [Authorize(Policy = Policies.ReadAccount)]
    [ProducesResponseType<Paged<MeasurementView>>(StatusCodes.Status200OK)]
    [WolverineGet("/api/accounts/{accountId}/commitments/{commitmentId}/measurements", Name = "ListMeasurements")]
    public static Task<IResult> Get(Guid accountId, Guid commitmentId, HttpContext http, IQuerySession session)
    {
        var query = http.Request.Query;
        var errors = new Dictionary<string, string[]>();
        var page = QueryParameters.Int(query["page"], 1, 1, int.MaxValue, "page", errors);
        var pageSize = QueryParameters.Int(query["pageSize"], 100, 1, MaxPageSize, "pageSize", errors);
        var from = QueryParameters.Date(query["from"], "from", errors);
        var to = QueryParameters.Date(query["to"], "to", errors);
        var verification = QueryParameters.Enum<VerificationState>(query["verification"], "verification", errors);
        if (from > to) errors["from"] = ["from must not be after to."];
        if (errors.Count > 0) return Task.FromResult(Results.ValidationProblem(errors, title: "Invalid filter"));

        return PointInTime.ReadAccountAsync(http, session, accountId, (account, _) =>
        {
            if (account.FindCommitment(commitmentId) is not { } commitment) return Problems.NotFound("Commitment", commitmentId);
            var matching = commitment.InPeriodOrder()
                .Where(m => (from is null || m.PeriodEnd >= from) && (to is null || m.PeriodStart <= to)
                            && (verification is null || m.VerificationState == verification))
                .ToList();
            var items = matching.Skip((int)Math.Min(int.MaxValue, (long)(page - 1) * pageSize)).Take(pageSize)
                .Select(m => MeasurementView.Of(account, commitment, m, ValueMath.Figures(commitment, m)))
                .ToList();
            return Results.Ok(new Paged<MeasurementView>(items, page, pageSize, matching.Count, (int)Math.Ceiling(matching.Count / (double)pageSize)));
        });
    }
}
