using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ValueLedger.Api.Features.Accounts;
using ValueLedger.Api.Infrastructure;
using Wolverine.Http;

namespace ValueLedger.Api.Features.Portfolio;

public static class GetPortfolioEndpoint
{
    /// <summary>
    /// The portfolio now (the sum of the summaries committed with the accounts' events), or as it stood at <c>asOf</c>
    /// (the events recorded up to that moment, folded and summarised the same way).
    /// </summary>
    [Authorize(Policy = Policies.ReadPortfolio)]
    [ProducesResponseType<PortfolioView>(StatusCodes.Status200OK)]
    [WolverineGet("/api/portfolio", Name = "GetPortfolio")]
    public static async Task<IResult> Get(HttpContext http, IQuerySession session, TimeProvider clock)
    {
        var pointInTime = PointInTime.Read(http.Request);
        if (pointInTime.Problem is { } problem) return problem;
        if (pointInTime.Version is not null)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["version"] = ["The portfolio spans many streams: use asOf."] },
                title: "Invalid point in time");

        if (pointInTime.AsOf is { } asOf)
            return Results.Ok(PortfolioView.Of(await PortfolioSummaries.AsOfAsync(session, asOf, http.RequestAborted), asOf));
        return Results.Ok(PortfolioView.Of(await PortfolioSummaries.CurrentAsync(session, http.RequestAborted), clock.GetUtcNow()));
    }
}
