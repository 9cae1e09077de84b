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
            .WithMessage("Use an absolute http(s) link or an attachment reference such as attachment:invoice-2026-01.pdf.");
        RuleFor(r => r.Note).MaximumLength(2000);
    }
}

public static class Evidence
{
    /// <summary>Evidence is a link to where the number can be checked, or a reference to an attachment.</summary>
    public static bool IsLink(string text) =>
        text.StartsWith("attachment:", StringComparison.OrdinalIgnoreCase) && text.Length > "attachment:".Length
        || Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
