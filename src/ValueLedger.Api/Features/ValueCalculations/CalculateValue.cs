using Microsoft.AspNetCore.Mvc;

namespace ValueLedger.Api.Features.ValueCalculations;

/// <summary>
/// A TCO comparison of the offer against the next-best alternative over <c>years</c> years at <c>discountRate</c>.
/// <c>startDate</c> (default: the first day of next month) and <c>confidence</c> (default: medium) shape the suggested
/// commitments.
/// </summary>
public sealed record ValueCalculationRequest(
    string? Currency, CostProfileRequest? Offer, CostProfileRequest? Alternative, int? Years, decimal? DiscountRate, DateOnly? StartDate, Level? Confidence);

public sealed record CostProfileRequest(string? Name, decimal? PurchasePrice, decimal? YearlyOperatingCost, decimal? YearlyBenefit);

public sealed class ValueCalculationValidator : AbstractValidator<ValueCalculationRequest>
{
    public ValueCalculationValidator()
    {
        RuleFor(r => r.Currency).NotEmpty().Matches("^[A-Za-z]{3}$").WithMessage("Use a three-letter ISO 4217 code such as EUR.");
        RuleFor(r => r.Offer).NotNull().SetValidator(new CostProfileValidator()!);
        RuleFor(r => r.Alternative).NotNull().SetValidator(new CostProfileValidator()!);
        RuleFor(r => r.Years).NotNull().InclusiveBetween(1, 50);
        RuleFor(r => r.DiscountRate).NotNull().InclusiveBetween(0, 1);
        RuleFor(r => r.Confidence).IsInEnum();
    }

    private sealed class CostProfileValidator : AbstractValidator<CostProfileRequest>
    {
        public CostProfileValidator()
        {
            RuleFor(p => p.Name).MaximumLength(200);
            RuleFor(p => p.PurchasePrice).NotNull().GreaterThanOrEqualTo(0);
            RuleFor(p => p.YearlyOperatingCost).NotNull().GreaterThanOrEqualTo(0);
            RuleFor(p => p.YearlyBenefit).NotNull().GreaterThanOrEqualTo(0);
        }
    }
}

public static class CalculateValueEndpoint
{
    /// <summary>
    /// Stateless: reads and writes no account. Staff only (ReadPortfolio): it is the seller's pricing tool, open to
    /// every staff role since it reveals nothing; customers are kept out, and creating a suggested commitment needs
    /// WriteValues anyway.
    /// </summary>
    [Authorize(Policy = Policies.ReadPortfolio)]
    [WolverinePost("/api/value-calculations", Name = "CalculateValue")]
    public static IResult Post(ValueCalculationRequest r, TimeProvider clock)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var start = r.StartDate ?? CadenceCalendar.NextStart(CadenceCalendar.StartOfPeriod(today, Cadence.Monthly), Cadence.Monthly);
        var input = new ValueCalculationInput(r.Currency!.ToUpperInvariant(), Side(r.Offer!, "Offer"), Side(r.Alternative!, "Next-best alternative"),
            r.Years!.Value, r.DiscountRate!.Value, start, r.Confidence ?? Level.Medium);
        return Results.Ok(ValueCalculator.Compare(input));
    }

    private static CostProfile Side(CostProfileRequest p, string defaultName) =>
        new(string.IsNullOrWhiteSpace(p.Name) ? defaultName : p.Name.Trim(), p.PurchasePrice!.Value, p.YearlyOperatingCost!.Value, p.YearlyBenefit!.Value);
}
