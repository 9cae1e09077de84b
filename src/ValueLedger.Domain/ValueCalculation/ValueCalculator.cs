namespace ValueLedger.Domain;

/// <summary>One side of a TCO comparison: what it costs to buy, what it costs and brings each year.</summary>
public sealed record CostProfile(string Name, decimal PurchasePrice, decimal YearlyOperatingCost, decimal YearlyBenefit);

/// <summary>The offer against the next-best alternative over <see cref="Years"/> years, discounted at <see cref="DiscountRate"/>.</summary>
public sealed record ValueCalculationInput(
    string Currency, CostProfile Offer, CostProfile Alternative, int Years, decimal DiscountRate, DateOnly Start, Level Confidence);

/// <summary>A side's total cost of ownership (purchase plus operating costs) and its benefits, nominal and discounted.</summary>
public sealed record SideFigures(
    string Name, decimal PurchasePrice, decimal YearlyOperatingCost, decimal YearlyBenefit, decimal TcoNominal, decimal TcoDiscounted,
    decimal BenefitNominal, decimal BenefitDiscounted, decimal NetValueNominal, decimal NetValueDiscounted);

/// <summary>
/// One year of the comparison (year 0 is the purchase). Differences are "in favour of the offer": the cost it saves
/// against the alternative, the benefit it adds, and their sum, also discounted and cumulated.
/// </summary>
public sealed record YearDifference(
    int Year, decimal DiscountFactor, decimal OfferCost, decimal AlternativeCost, decimal OfferBenefit, decimal AlternativeBenefit,
    decimal CostSaving, decimal BenefitGain, decimal NetAdvantage, decimal DiscountedNetAdvantage, decimal CumulativeNetAdvantage,
    decimal CumulativeDiscountedNetAdvantage);

public sealed record ValueComparison(
    string Currency, int Years, decimal DiscountRate, SideFigures Offer, SideFigures Alternative, decimal TcoDifferenceNominal,
    decimal TcoDifferenceDiscounted, IReadOnlyList<YearDifference> ByYear, decimal NetPresentValue, decimal? PaybackYears,
    decimal? DiscountedPaybackYears, IReadOnlyList<CommitValue> SuggestedCommitments);

/// <summary>
/// The value calculator of product-centric selling (domain.md, capability 2): total cost of ownership of the offer
/// against the next-best alternative, and what choosing the offer is worth.
/// </summary>
public static class ValueCalculator
{
    /// <summary>
    /// Year 0 is the purchase, years 1..N carry the operating cost and the benefit, each discounted by 1 / (1 + r)^t.
    /// TCO = purchase + Σ operating cost. The net advantage of a year is (alternative's cost − offer's cost) +
    /// (offer's benefit − alternative's benefit); the NPV of choosing the offer is the sum of the discounted ones.
    /// Payback is when the cumulative advantage first reaches zero, interpolated within the year (0 when the offer
    /// costs no premium, null when it never pays back within N years).
    /// </summary>
    public static ValueComparison Compare(ValueCalculationInput input)
    {
        var (offer, alternative) = (input.Offer, input.Alternative);
        var years = new List<YearDifference>();
        var factor = 1m;
        decimal cumulative = 0, cumulativeDiscounted = 0;
        for (var year = 0; year <= input.Years; year++)
        {
            if (year > 0) factor /= 1 + input.DiscountRate;
            var offerCost = year == 0 ? offer.PurchasePrice : offer.YearlyOperatingCost;
            var alternativeCost = year == 0 ? alternative.PurchasePrice : alternative.YearlyOperatingCost;
            var offerBenefit = year == 0 ? 0 : offer.YearlyBenefit;
            var alternativeBenefit = year == 0 ? 0 : alternative.YearlyBenefit;
            var saving = alternativeCost - offerCost;
            var gain = offerBenefit - alternativeBenefit;
            var net = saving + gain;
            cumulative += net;
            cumulativeDiscounted += net * factor;
            years.Add(new YearDifference(year, factor, offerCost, alternativeCost, offerBenefit, alternativeBenefit, saving, gain, net,
                net * factor, cumulative, cumulativeDiscounted));
        }

        var offerFigures = Side(offer, years, y => y.OfferCost, y => y.OfferBenefit);
        var alternativeFigures = Side(alternative, years, y => y.AlternativeCost, y => y.AlternativeBenefit);
        return new ValueComparison(
            input.Currency, input.Years, input.DiscountRate, offerFigures, alternativeFigures,
            alternativeFigures.TcoNominal - offerFigures.TcoNominal, alternativeFigures.TcoDiscounted - offerFigures.TcoDiscounted,
            years, cumulativeDiscounted, Payback(years, y => y.NetAdvantage, y => y.CumulativeNetAdvantage),
            Payback(years, y => y.DiscountedNetAdvantage, y => y.CumulativeDiscountedNetAdvantage), Suggestions(input));
    }

    private static SideFigures Side(CostProfile side, IReadOnlyList<YearDifference> years, Func<YearDifference, decimal> cost,
        Func<YearDifference, decimal> benefit)
    {
        var tco = years.Sum(cost);
        var tcoDiscounted = years.Sum(y => cost(y) * y.DiscountFactor);
        var benefits = years.Sum(benefit);
        var benefitsDiscounted = years.Sum(y => benefit(y) * y.DiscountFactor);
        return new SideFigures(side.Name, side.PurchasePrice, side.YearlyOperatingCost, side.YearlyBenefit, tco, tcoDiscounted,
            benefits, benefitsDiscounted, benefits - tco, benefitsDiscounted - tcoDiscounted);
    }

    /// <summary>Fractional years until the cumulative advantage is no longer negative; null when that never happens.</summary>
    public static decimal? Payback(IReadOnlyList<YearDifference> years, Func<YearDifference, decimal> advantage, Func<YearDifference, decimal> cumulative)
    {
        if (cumulative(years[0]) >= 0) return 0;
        for (var i = 1; i < years.Count; i++)
        {
            if (cumulative(years[i]) < 0) continue;
            var stillOwed = -cumulative(years[i - 1]);
            return i - 1 + stillOwed / advantage(years[i]);
        }
        return null;
    }

    /// <summary>
    /// What the customer can hold the offer to, as commitment requests: a yearly operating cost at the offer's level
    /// instead of the alternative's, and a yearly benefit at the offer's level, when these are improvements. Values are
    /// money per year, so one unit of improvement is worth one unit of currency.
    /// </summary>
    public static IReadOnlyList<CommitValue> Suggestions(ValueCalculationInput input)
    {
        var (offer, alternative) = (input.Offer, input.Alternative);
        var end = input.Start.AddYears(input.Years).AddDays(-1);
        var asOf = input.Start.AddDays(-1);
        var suggestions = new List<CommitValue>();
        if (offer.YearlyOperatingCost < alternative.YearlyOperatingCost)
            suggestions.Add(new CommitValue(ValueDriver.Cost, $"Yearly operating cost of {offer.Name}", input.Currency, Direction.LowerIsBetter,
                new Baseline(alternative.YearlyOperatingCost, asOf, $"Value calculation: yearly operating cost of the next-best alternative ({alternative.Name})"),
                offer.YearlyOperatingCost, 1, input.Start, end, Cadence.Yearly, CommitmentOwner.Customer, input.Confidence, Approach.ProductCentric));
        if (offer.YearlyBenefit > alternative.YearlyBenefit)
            suggestions.Add(new CommitValue(ValueDriver.Revenue, $"Yearly benefit of {offer.Name}", input.Currency, Direction.HigherIsBetter,
                new Baseline(alternative.YearlyBenefit, asOf, $"Value calculation: yearly benefit of the next-best alternative ({alternative.Name})"),
                offer.YearlyBenefit, 1, input.Start, end, Cadence.Yearly, CommitmentOwner.Customer, input.Confidence, Approach.ProductCentric));
        return suggestions;
    }
}
