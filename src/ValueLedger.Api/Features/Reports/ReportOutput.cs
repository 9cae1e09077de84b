namespace ValueLedger.Api.Features.Reports;

/// <summary>What the report routes share: the <c>format</c> parameter, and the answer as an HTML page or a printed PDF.</summary>
public static class ReportOutput
{
    public static IResult? Problem(string? format) => (format ?? "html").ToLowerInvariant() is "html" or "pdf"
        ? null
        : Results.ValidationProblem(new Dictionary<string, string[]> { ["format"] = ["Use html or pdf."] }, title: "Unknown report format");

    public static async Task<IResult> SendAsync(string? format, string html, string name, string footer, PdfPrinter printer, HttpContext http)
    {
        if ((format ?? "html").ToLowerInvariant() == "html")
        {
            http.Response.Headers.ContentDisposition = $"inline; filename=\"{name}.html\"";
            return Results.Content(html, $"{GetAccountReportEndpoint.Html}; charset=utf-8");
        }
        try
        {
            return Results.File(await printer.PrintAsync(html, footer, http.RequestAborted), GetAccountReportEndpoint.Pdf, $"{name}.pdf");
        }
        catch (PrinterUnavailableException e)
        {
            return Results.Problem(statusCode: 503, title: "PDF reports are not available here", detail: e.Message);
        }
    }

    public static string Slug(string name)
    {
        var slug = new string(name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        while (slug.Contains("--")) slug = slug.Replace("--", "-");
        return slug.Length == 0 ? "account" : slug[..Math.Min(slug.Length, 60)];
    }
}
