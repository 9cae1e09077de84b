using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ValueLedger.Api.Features.Accounts;
using ValueLedger.Api.Infrastructure;
using Wolverine.Http;

namespace ValueLedger.Api.Features.Portfolio;

public static class GetPortfolioEndpoint
{
    /// <summary>
    /// The portfolio now (the read model the async daemon keeps), or as it stood at <c>asOf</c>: the events recorded
    /// up to that moment run through the same <see cref="PortfolioProjection"/>.
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
            return Results.Ok(PortfolioView.Of(await PortfolioAt(session, asOf, http.RequestAborted), asOf));
        return Results.Ok(PortfolioView.Of(await session.LoadAsync<ValuePortfolio>(ValuePortfolio.TheId, http.RequestAborted), clock.GetUtcNow()));
    }

    /// <summary>Replays the portfolio projection over every event recorded up to the moment.</summary>
    public static async Task<ValuePortfolio?> PortfolioAt(IQuerySession session, DateTimeOffset asOf, CancellationToken cancellation)
    {
        var portfolios = await session.Events.QueryAllRawEvents()
            .Where(e => e.Timestamp <= asOf)
            .OrderBy(e => e.Sequence)
            .AggregateToManyAsync<ValuePortfolio>(cancellation);
        return portfolios.SingleOrDefault();
    }
}
