namespace ValueLedger.Api.Features.Commitments;

public sealed record BaselineRequest(decimal? Value, DateOnly? AsOf, string? Source)
{
    public Baseline ToDomain() => new(Value!.Value, AsOf!.Value, string.IsNullOrWhiteSpace(Source) ? null : Source.Trim());
}

public sealed class BaselineValidator : AbstractValidator<BaselineRequest>
{
    public BaselineValidator()
    {
        RuleFor(b => b.Value).NotNull().WithinValueRange();
        RuleFor(b => b.AsOf).NotNull().WithinBusinessDates();
        RuleFor(b => b.Source).MaximumLength(500);
    }
}
