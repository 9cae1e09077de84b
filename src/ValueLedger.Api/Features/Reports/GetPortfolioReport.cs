using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Mvc;
using ValueLedger.Api.Features.Accounts;
using ValueLedger.Api.Features.Audit.Checkpoints;
using ValueLedger.Api.Features.Portfolio;
using ValueLedger.Api.Features.Verification;

namespace ValueLedger.Api.Features.Reports;

public static class GetPortfolioReportEndpoint
{
    /// <summary>
    /// The portfolio's value report now or as it stood at <c>asOf</c>: a printable HTML page (<c>format=html</c>, the
    /// default) or its PDF (<c>format=pdf</c>); with <c>currency</c>, also the totals converted into that reporting currency at
    /// the rates on record (as of the moment, those recorded by then), with the rates used.
    /// </summary>
    [Authorize(Policy = Policies.ReadPortfolio)]
    [WolverineGet("/api/portfolio/report", Name = "GetPortfolioReport")]
    [ProducesResponseType(typeof(string), StatusCodes.Status200OK, GetAccountReportEndpoint.Html, GetAccountReportEndpoint.Pdf)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public static async Task<IResult> Get(string? format, string? currency, HttpContext http, IQuerySession session, ReportRenderer renderer,
        PdfPrinter printer, TimeProvider clock)
    {
        if (ReportOutput.Problem(format) is { } problem) return problem;
        if (ReportingCurrency.Problem(currency) is { } badCurrency) return badCurrency;
        var pointInTime = PointInTime.Read(http.Request);
        if (pointInTime.Problem is { } invalid) return invalid;
        if (pointInTime.Version is not null)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["version"] = ["The portfolio spans many streams: use asOf."] },
                title: "Invalid point in time");

        var now = clock.GetUtcNow();
        var asOf = pointInTime.AsOf ?? now;
        var (view, summaries) = await GetPortfolioEndpoint.ReadAsync(session, pointInTime.AsOf, clock, http.RequestAborted);
        if (currency is not null) view = await ReportingCurrency.ConvertAsync(view, summaries, currency, session, pointInTime.AsOf, http.RequestAborted);
        var checkpoint = (await LedgerCheckpoints.LatestStoredAsync(session, http.RequestAborted))?.ToSigned();
        var report = PortfolioReport.Of(view, summaries, checkpoint, now, CurrentUser.NameOf(http.User), pointInTime.AsOf is null);
        var html = await renderer.RenderAsync<PortfolioReportPage>(new Dictionary<string, object?> { [nameof(PortfolioReportPage.Report)] = report });
        return await ReportOutput.SendAsync(format, html, $"portfolio-report-{asOf.UtcDateTime:yyyyMMdd-HHmm}",
            $"Portfolio · as it stood {ReportFormat.Moment(asOf)} · {report.View.Accounts} accounts", printer, http);
    }
}
