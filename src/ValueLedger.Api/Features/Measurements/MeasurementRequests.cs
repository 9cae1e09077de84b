using ValueLedger.Api.Features.EvidenceFiles;

namespace ValueLedger.Api.Features.Measurements;

/// <param name="Provisional">true for a figure of a period that has not ended: shown, counted in no total until a correction after the period's end gives the final figure.</param>
public sealed record RecordMeasurementRequest(
    DateOnly? PeriodStart, DateOnly? PeriodEnd, decimal? Value, MeasurementSource? Source, string? EvidenceUrl, string? Note,
    bool? Provisional = null);

public sealed class RecordMeasurementValidator : AbstractValidator<RecordMeasurementRequest>
{
    public RecordMeasurementValidator()
    {
        RuleFor(r => r.PeriodStart).NotNull().WithinBusinessDates();
        RuleFor(r => r.PeriodEnd).NotNull().WithinBusinessDates().GreaterThanOrEqualTo(r => r.PeriodStart).When(r => r.PeriodStart is not null)
            .WithMessage("periodEnd must not be before periodStart.");
        RuleFor(r => r.Value).NotNull().WithinValueRange();
        RuleFor(r => r.Source).IsInEnum();
        RuleFor(r => r.EvidenceUrl).MaximumLength(2000).Must(Evidence.IsLink!).When(r => !string.IsNullOrEmpty(r.EvidenceUrl))
            .WithMessage(Evidence.Hint);
        RuleFor(r => r.Note).MaximumLength(2000);
    }
}

public static class Evidence
{
    public const string Hint =
        "Use an absolute http(s) link, an uploaded file's reference (sha256: and its 64 hex digits) or an attachment reference such as attachment:invoice-2026-01.pdf.";

    /// <summary>Evidence is a link to where the number can be checked, an uploaded file's hash, or a reference to an attachment kept elsewhere.</summary>
    public static bool IsLink(string text) =>
        EvidenceReference.HashOf(text) is not null
        || text.StartsWith("attachment:", StringComparison.OrdinalIgnoreCase) && text.Length > "attachment:".Length
        || Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    /// <summary>A 400 naming <paramref name="field"/> when it references an uploaded file the account does not have; null otherwise.</summary>
    public static async Task<IResult?> UnknownFileAsync(IQuerySession session, Guid accountId, string? evidence, string field, CancellationToken cancellation)
    {
        if (EvidenceReference.HashOf(evidence) is not { } sha256) return null;
        if (await session.LoadAsync<EvidenceFile>(EvidenceFile.IdOf(accountId, sha256), cancellation) is not null) return null;
        var detail = $"The account has no uploaded file {sha256}: upload it first (POST /api/accounts/{accountId}/evidence).";
        return Results.Problem(statusCode: 400, title: "The request has invalid fields", detail: detail,
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [detail] } });
    }
}
