using Microsoft.AspNetCore.Mvc;
using ValueLedger.Api.Features.Accounts;

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
    public static async Task<IResult> Get(string? currency, HttpContext http, IQuerySession session, TimeProvider clock)
    {
        var pointInTime = PointInTime.Read(http.Request);
        if (pointInTime.Problem is { } problem) return problem;
        if (pointInTime.Version is not null)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["version"] = ["The portfolio spans many streams: use asOf."] },
                title: "Invalid point in time");
        if (ReportingCurrency.Problem(currency) is { } invalid) return invalid;

        var (view, summaries) = await ReadAsync(session, pointInTime.AsOf, clock, http.RequestAborted);
        return Results.Ok(currency is null ? view : await ReportingCurrency.ConvertAsync(view, summaries, currency, session, pointInTime.AsOf, http.RequestAborted));
    }

    /// <summary>The portfolio now, or as it stood at <paramref name="asOf"/>, with the summaries it was built from.</summary>
    public static async Task<(PortfolioView View, IReadOnlyList<AccountSummary> Summaries)> ReadAsync(IQuerySession session, DateTimeOffset? asOf,
        TimeProvider clock, CancellationToken cancellation)
    {
        var summaries = asOf is { } moment
            ? await PortfolioSummaries.AsOfAsync(session, moment, cancellation)
            : await PortfolioSummaries.CurrentAsync(session, cancellation);
        return (PortfolioView.Of(summaries, asOf ?? clock.GetUtcNow()), summaries);
    }
}

/// <summary>The <c>currency</c> parameter of the portfolio and its report: a reporting currency, converted at the rates on record.</summary>
public static class ReportingCurrency
{
    public static IResult? Problem(string? currency) =>
        currency is null || System.Text.RegularExpressions.Regex.IsMatch(currency, "^[A-Z]{3}$")
            ? null
            : Results.ValidationProblem(new Dictionary<string, string[]> { ["currency"] = ["Use a three-letter ISO 4217 code in capitals, such as EUR."] },
                title: "Invalid reporting currency");

    /// <summary>As of a moment, only the rates recorded by then count: the past is shown as it could be known then.</summary>
    public static async Task<PortfolioView> ConvertAsync(PortfolioView view, IReadOnlyList<AccountSummary> summaries, string currency,
        IQuerySession session, DateTimeOffset? asOf, CancellationToken cancellation) =>
        view.InCurrency(summaries, currency, await Currencies.ExchangeRateReader.ReadAsync(session, asOf, cancellation));
}
