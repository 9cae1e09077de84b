namespace ValueLedger.Domain.Tests.Outcomes;

// The formulas of a settlement at their edges. The banded terms are domain.md's NEC-style example: 0% below 97.5%,
// 50% between 97.5% and 102.5%, 100% above; P = 100,000 so widths read as percentages of P.

public class shared_savings
{
    private static readonly ContractTerms Terms = new("EUR", 10_000, Cadence.Quarterly, ShareModel.SharedSavings, 0.3m, [], null, null);

    [Fact]
    public void pay_the_rate_of_the_realized_value()
    {
        var outcome = SettlementMath.Share(Terms, promised: 100_000, realized: 80_000);
        Assert.Equal(0.8m, outcome.PerformanceRatio);
        Assert.Equal(24_000m, outcome.UnboundedVariableAmount);
        Assert.Equal(24_000m, outcome.VariableAmount);
        Assert.Equal(34_000m, outcome.Fee);
        Assert.Empty(outcome.Bands);
        Assert.Null(outcome.BoundBy);
    }

    [Fact]
    public void pay_nothing_for_a_negative_realized_value()
    {
        var outcome = SettlementMath.Share(Terms, promised: 100_000, realized: -20_000);
        Assert.Equal(-0.2m, outcome.PerformanceRatio);
        Assert.Equal(0m, outcome.VariableAmount);
        Assert.Equal(10_000m, outcome.Fee);
    }

    [Fact]
    public void still_pay_their_share_when_nothing_was_promised()
    {
        var outcome = SettlementMath.Share(Terms, promised: 0, realized: 5_000);
        Assert.Null(outcome.PerformanceRatio);
        Assert.Equal(1_500m, outcome.VariableAmount);
    }
}

public class banded_gain_and_pain_share
{
    private static readonly ContractTerms Terms = new("EUR", 50_000, Cadence.Quarterly, ShareModel.Banded, null,
        [new ShareBand(null, 0.975m, 0), new ShareBand(0.975m, 1.025m, 0.5m), new ShareBand(1.025m, null, 1)], null, null);

    private static ShareOutcome At(decimal ratio, ContractTerms? terms = null) => SettlementMath.Share(terms ?? Terms, 100_000, ratio * 100_000);

    [Fact]
    public void above_target_share_the_gain_band_by_band_over_one_to_p()
    {
        var outcome = At(1.1m);
        Assert.Equal([0m, 0.025m, 0.075m], outcome.Bands.Select(b => b.Width));
        Assert.Equal([0m, 1_250m, 7_500m], outcome.Bands.Select(b => b.Amount));
        Assert.Equal(8_750m, outcome.VariableAmount);
        Assert.Equal(58_750m, outcome.Fee);
    }

    [Fact]
    public void below_target_share_the_pain_band_by_band_over_p_to_one()
    {
        var outcome = At(0.9m);
        Assert.Equal([0.075m, 0.025m, 0m], outcome.Bands.Select(b => b.Width));
        Assert.Equal([0m, -1_250m, 0m], outcome.Bands.Select(b => b.Amount));
        Assert.Equal(-1_250m, outcome.VariableAmount);
        Assert.Equal(48_750m, outcome.Fee);
    }

    [Fact]
    public void exactly_on_target_pay_no_variable_amount()
    {
        var outcome = At(1m);
        Assert.All(outcome.Bands, b => Assert.Equal(0m, b.Amount));
        Assert.Equal(0m, outcome.VariableAmount);
        Assert.Equal(50_000m, outcome.Fee);
    }

    [Fact]
    public void a_ratio_exactly_on_an_upper_band_boundary_takes_nothing_from_the_band_above()
    {
        var outcome = At(1.025m);
        Assert.Equal([0m, 0.025m, 0m], outcome.Bands.Select(b => b.Width));
        Assert.Equal(1_250m, outcome.VariableAmount);
    }

    [Fact]
    public void a_ratio_exactly_on_a_lower_band_boundary_takes_nothing_from_the_band_below()
    {
        var outcome = At(0.975m);
        Assert.Equal([0m, 0.025m, 0m], outcome.Bands.Select(b => b.Width));
        Assert.Equal(-1_250m, outcome.VariableAmount);
    }

    [Fact]
    public void the_amount_is_continuous_across_a_band_boundary()
    {
        var justBelow = At(1.0249m).VariableAmount;
        var on = At(1.025m).VariableAmount;
        var justAbove = At(1.0251m).VariableAmount;
        Assert.True(justBelow < on && on < justAbove);
        Assert.Equal(0.0001m * 0.5m * 100_000, on - justBelow);
        Assert.Equal(0.0001m * 1m * 100_000, justAbove - on);
    }

    [Fact]
    public void a_negative_realized_value_is_a_ratio_below_zero_and_reaches_into_the_lowest_band()
    {
        var terms = Terms with { Bands = [new ShareBand(null, 0.975m, 0.2m), new ShareBand(0.975m, 1.025m, 0.5m), new ShareBand(1.025m, null, 1)] };
        var outcome = At(-0.5m, terms);
        Assert.Equal(-0.5m, outcome.PerformanceRatio);
        Assert.Equal([1.475m, 0.025m, 0m], outcome.Bands.Select(b => b.Width));
        Assert.Equal(-(0.2m * 100_000 * 1.475m) - 1_250m, outcome.VariableAmount);
    }

    [Fact]
    public void gaps_between_bands_share_nothing()
    {
        var terms = Terms with { Bands = [new ShareBand(0.9m, 0.95m, 1), new ShareBand(1.05m, 1.2m, 1)] };
        var outcome = At(1.1m, terms);
        Assert.Equal([0m, 0.05m], outcome.Bands.Select(b => b.Width));
        Assert.Equal(5_000m, outcome.VariableAmount);
    }

    [Fact]
    public void without_a_promised_value_there_is_no_ratio_and_no_band_applies()
    {
        var outcome = SettlementMath.Share(Terms, promised: 0, realized: 12_000);
        Assert.Null(outcome.PerformanceRatio);
        Assert.All(outcome.Bands, b => Assert.Equal(0m, b.Width));
        Assert.Equal(0m, outcome.UnboundedVariableAmount);
        Assert.Equal(50_000m, outcome.Fee);
    }
}

public class bounds_of_the_variable_amount
{
    private static readonly ContractTerms Terms = new("EUR", 50_000, Cadence.Quarterly, ShareModel.Banded, null,
        [new ShareBand(null, 1, 1), new ShareBand(1, null, 1)], -10_000, 5_000);

    [Fact]
    public void the_cap_binds_a_gain_above_it()
    {
        var outcome = SettlementMath.Share(Terms, 100_000, 120_000);
        Assert.Equal(20_000m, outcome.UnboundedVariableAmount);
        Assert.Equal(BoundBy.Cap, outcome.BoundBy);
        Assert.Equal(5_000m, outcome.VariableAmount);
        Assert.Equal(55_000m, outcome.Fee);
    }

    [Fact]
    public void the_floor_binds_a_penalty_below_it()
    {
        var outcome = SettlementMath.Share(Terms, 100_000, 70_000);
        Assert.Equal(-30_000m, outcome.UnboundedVariableAmount);
        Assert.Equal(BoundBy.Floor, outcome.BoundBy);
        Assert.Equal(-10_000m, outcome.VariableAmount);
        Assert.Equal(40_000m, outcome.Fee);
    }

    [Fact]
    public void an_amount_exactly_on_a_bound_is_not_bound_by_it()
    {
        Assert.Null(SettlementMath.Share(Terms, 100_000, 105_000).BoundBy);
        Assert.Null(SettlementMath.Share(Terms, 100_000, 90_000).BoundBy);
    }

    [Fact]
    public void without_bounds_nothing_binds()
    {
        var outcome = SettlementMath.Share(Terms with { Floor = null, Cap = null }, 100_000, 300_000);
        Assert.Null(outcome.BoundBy);
        Assert.Equal(200_000m, outcome.VariableAmount);
    }

    [Fact]
    public void a_positive_floor_binds_even_when_there_is_no_ratio()
    {
        var outcome = SettlementMath.Share(Terms with { Floor = 1_000 }, 0, 0);
        Assert.Equal(BoundBy.Floor, outcome.BoundBy);
        Assert.Equal(1_000m, outcome.VariableAmount);
    }

    [Fact]
    public void max_of_floor_and_min_of_cap_and_v_holds_for_every_case()
    {
        foreach (var v in new[] { -50m, -10m, 0m, 3m, 10m, 50m })
            Assert.Equal(Math.Max(-10m, Math.Min(10m, v)), SettlementMath.Bound(v, -10, 10).Variable);
    }
}

public class the_overlap_of_a_band_with_a_span
{
    [Theory]
    [InlineData(0.9, 1.1, 1.0, 1.2, 0.1)]
    [InlineData(1.1, 1.3, 1.0, 1.2, 0.1)]
    [InlineData(1.2, 1.3, 1.0, 1.2, 0.0)]
    [InlineData(0.5, 0.8, 1.0, 1.2, 0.0)]
    [InlineData(1.05, 1.1, 1.0, 1.2, 0.05)]
    public void is_the_length_both_share(double from, double to, double low, double high, double expected) =>
        Assert.Equal((decimal)expected, SettlementMath.Overlap((decimal)from, (decimal)to, (decimal)low, (decimal)high));

    [Fact]
    public void a_missing_bound_is_unbounded()
    {
        Assert.Equal(3m, SettlementMath.Overlap(null, 1, -2, 5));
        Assert.Equal(4m, SettlementMath.Overlap(1, null, -2, 5));
        Assert.Equal(7m, SettlementMath.Overlap(null, null, -2, 5));
    }
}
