using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Mvc;
using ValueLedger.Api.Features.Accounts;
using ValueLedger.Api.Features.Audit.Checkpoints;
using ValueLedger.Api.Features.Portfolio;
using ValueLedger.Api.Features.Verification;

namespace ValueLedger.Api.Features.Reports;

public static class GetAccountReportEndpoint
{
    public const string Html = "text/html";
    public const string Pdf = "application/pdf";

    /// <summary>
    /// The account's value report as it stood now, at a moment (<c>asOf</c>) or a version (<c>version</c>): a printable
    /// HTML page (<c>format=html</c>, the default) or its PDF (<c>format=pdf</c>, printed by headless Chromium). Staff and
    /// the account's contacts may ask; the report holds nothing staff-only.
    /// </summary>
    [Authorize(Policy = Policies.ReadAccount)]
    [WolverineGet("/api/accounts/{accountId}/report", Name = "GetAccountReport")]
    [ProducesResponseType(typeof(string), StatusCodes.Status200OK, Html, Pdf)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public static Task<IResult> Get(Guid accountId, string? format, HttpContext http, IQuerySession session, ReceiptBuilder receipts,
        ReportRenderer renderer, PdfPrinter printer, TimeProvider clock)
    {
        if (ReportOutput.Problem(format) is { } problem) return Task.FromResult(problem);
        return PointInTime.ReadAccountAsync(http, session, accountId, async (account, pointInTime) =>
        {
            var now = clock.GetUtcNow();
            var view = AccountValueView.Of(account, pointInTime.AsOf ?? now);
            var receipt = await receipts.ForAsync(session, accountId, account.Version, http.RequestAborted);
            var report = AccountReport.Of(account, view, receipt, now, CurrentUser.NameOf(http.User), pointInTime is { AsOf: null, Version: null });
            var html = await renderer.RenderAsync<AccountReportPage>(new Dictionary<string, object?> { [nameof(AccountReportPage.Report)] = report });
            return await ReportOutput.SendAsync(format, html, $"value-report-{ReportOutput.Slug(account.Name)}-v{account.Version}",
                $"{account.Name} · as it stood {ReportFormat.Moment(view.AsOf)} · version {account.Version}", printer, http);
        });
    }
}

/// <summary>Renders a Razor component to an HTML string outside any browser circuit (Blazor's <see cref="HtmlRenderer"/>).</summary>
public sealed class ReportRenderer(IServiceProvider services, ILoggerFactory loggers)
{
    public async Task<string> RenderAsync<TComponent>(IDictionary<string, object?> parameters) where TComponent : IComponent
    {
        await using var renderer = new HtmlRenderer(services, loggers);
        return await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters))).ToHtmlString());
    }
}

public static class ReportsConfiguration
{
    /// <summary>Value reports: the HTML renderer and the PDF printer (one headless Chromium per node, started at the first PDF).</summary>
    public static IServiceCollection AddValueLedgerReports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection("Reports").Get<ReportSettings>() ?? new ReportSettings());
        services.AddSingleton<ReportRenderer>();
        services.AddSingleton<PdfPrinter>();
        return services;
    }
}
