namespace ValueLedger.Domain.Tests;

// domain.md, "Formulas": improvement, weight, realized value, promised value, promised to date, realization rate,
// progress and time to value, and the calendar of cadence periods they stand on.

public class the_worked_example_of_the_domain : Spec
{
    // Baseline 100, target 80, lower is better, 1,000 per unit, monthly over 2026; January measured at 90.
    public the_worked_example_of_the_domain() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90));

    [Fact] public void improvement_is_10() => Assert.Equal(10m, Figures().LatestImprovement);

    [Fact] public void promised_improvement_is_20() => Assert.Equal(20m, Figures().PromisedImprovement);

    [Fact] public void progress_is_one_half() => Assert.Equal(0.5m, Figures().Progress);

    [Fact] public void realized_value_is_10_000() => Assert.Equal(10_000m, Figures().RealizedValue);

    [Fact] public void promised_value_is_240_000() => Assert.Equal(240_000m, Figures().PromisedValue);

    [Fact] public void promised_to_date_is_20_000() => Assert.Equal(20_000m, Figures().PromisedToDate);

    [Fact] public void realization_rate_is_one_half() => Assert.Equal(0.5m, Figures().RealizationRate);

    [Fact]
    public void the_january_measurement_weighs_exactly_one()
    {
        var january = Assert.Single(Figures().Measurements);
        Assert.Equal(1m, january.Weight);
        Assert.Equal(10m, january.Improvement);
        Assert.Equal(10_000m, january.RealizedValue);
        Assert.Equal(20_000m, january.PromisedValue);
        Assert.Equal(0.5m, january.Progress);
        Assert.Equal(1, january.TermsVersion);
    }
}

public class the_worked_example_when_higher_is_better : Spec
{
    // Baseline 100, target 120, higher is better, 1,000 per unit, monthly over 2026; January measured at 110.
    public the_worked_example_when_higher_is_better() => Given(
        AnAccountOpened(), AMonthlyCommitmentOver2026(direction: Direction.HigherIsBetter, target: 120), Measured(January, 110));

    [Fact] public void improvement_is_measured_minus_baseline() => Assert.Equal(10m, Figures().LatestImprovement);

    [Fact] public void promised_improvement_is_target_minus_baseline() => Assert.Equal(20m, Figures().PromisedImprovement);

    [Fact] public void progress_is_one_half() => Assert.Equal(0.5m, Figures().Progress);

    [Fact] public void realized_value_is_10_000() => Assert.Equal(10_000m, Figures().RealizedValue);

    [Fact] public void promised_value_is_240_000() => Assert.Equal(240_000m, Figures().PromisedValue);

    [Fact] public void promised_to_date_is_20_000() => Assert.Equal(20_000m, Figures().PromisedToDate);

    [Fact] public void realization_rate_is_one_half() => Assert.Equal(0.5m, Figures().RealizationRate);
}

public class when_the_metric_moves_the_wrong_way : Spec
{
    // Lower is better, baseline 100: February measured at 110 is 10 units worse than the baseline.
    public when_the_metric_moves_the_wrong_way() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(February, 110));

    [Fact] public void the_improvement_is_negative() => Assert.Equal(-10m, Figures().LatestImprovement);

    [Fact] public void the_realized_value_is_negative() => Assert.Equal(-10_000m, Figures().RealizedValue);

    [Fact] public void the_realization_rate_is_negative() => Assert.Equal(-0.5m, Figures().RealizationRate);

    [Fact] public void progress_is_clamped_at_zero() => Assert.Equal(0m, Figures().Progress);

    [Fact]
    public void when_higher_is_better_a_drop_is_negative_value_too()
    {
        var account = Account.From([AnAccountOpened(), AMonthlyCommitmentOver2026(direction: Direction.HigherIsBetter, target: 120),
            Measured(January, 95)]);
        var figures = CommitmentValuation.Evaluate(account.FindCommitment(CommitmentId)!);
        Assert.Equal(-5m, figures.LatestImprovement);
        Assert.Equal(-5_000m, figures.RealizedValue);
        Assert.Equal(0m, figures.Progress);
    }
}

public class when_the_metric_goes_beyond_the_target : Spec
{
    // Lower is better, target 80: March measured at 70 is 30 units of improvement where 20 were promised.
    public when_the_metric_goes_beyond_the_target() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(March, 70));

    [Fact] public void progress_is_clamped_at_one() => Assert.Equal(1m, Figures().Progress);

    [Fact] public void the_realized_value_counts_all_of_the_improvement() => Assert.Equal(30_000m, Figures().RealizedValue);

    [Fact] public void the_realization_rate_may_exceed_one() => Assert.Equal(1.5m, Figures().RealizationRate);
}

public class realized_value_over_several_measurements : Spec
{
    // January 90 (improvement 10), February missing, March 85 (15), April 110 (-10).
    public realized_value_over_several_measurements() => Given(
        AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90), Measured(March, 85), Measured(April, 110));

    [Fact] public void it_is_the_sum_of_each_improvement_times_unit_value_times_weight() =>
        Assert.Equal(10_000m + 15_000m - 10_000m, Figures().RealizedValue);

    [Fact] public void promised_to_date_counts_only_the_measured_weight() => Assert.Equal(3 * 20_000m, Figures().PromisedToDate);

    [Fact] public void a_month_not_measured_is_not_counted_as_zero() => Assert.Equal(R(15_000m / 60_000m), R(Figures().RealizationRate));

    [Fact] public void progress_is_that_of_the_latest_period() => Assert.Equal(0m, Figures().Progress);

    [Fact]
    public void the_latest_is_the_latest_period_not_the_latest_recorded()
    {
        Given(Measured(February, 88)); // recorded last, but it covers an earlier period
        Assert.Equal(-10m, Figures().LatestImprovement);
        Assert.Equal(EndOf(April), Figures().LastMeasuredPeriodEnd);
        Assert.Equal([January, February, March, April], Figures().Measurements.Select(m => m.PeriodStart.Month));
    }
}

public class the_weight_of_a_measurement : Spec
{
    [Fact]
    public void a_january_of_a_monthly_commitment_weighs_exactly_one() =>
        Assert.Equal(1m, CadenceCalendar.Weight(FirstOf(January), EndOf(January), Cadence.Monthly));

    [Fact]
    public void a_half_month_weighs_its_share_of_days() =>
        Assert.Equal(R(15m / 31m), R(CadenceCalendar.Weight(Day(January, 1), Day(January, 15), Cadence.Monthly)));

    [Fact]
    public void half_of_june_weighs_exactly_one_half() =>
        Assert.Equal(0.5m, CadenceCalendar.Weight(Day(June, 16), EndOf(June), Cadence.Monthly));

    [Fact]
    public void a_span_over_several_cadence_periods_adds_each_parts_share() =>
        // 16 of January's 31 days, all of February, 14 of March's 31 days
        Assert.Equal(R(16m / 31m + 1m + 14m / 31m), R(CadenceCalendar.Weight(Day(January, 16), Day(March, 14), Cadence.Monthly)));

    [Fact]
    public void a_whole_quarter_of_a_monthly_commitment_weighs_three() =>
        Assert.Equal(3m, CadenceCalendar.Weight(FirstOf(January), EndOf(March), Cadence.Monthly));

    [Fact]
    public void a_whole_year_of_a_monthly_commitment_weighs_twelve() =>
        Assert.Equal(12m, CadenceCalendar.Weight(FirstOf(January), EndOf(December), Cadence.Monthly));

    [Fact]
    public void a_whole_quarter_of_a_quarterly_commitment_weighs_one() =>
        Assert.Equal(1m, CadenceCalendar.Weight(FirstOf(April), EndOf(June), Cadence.Quarterly));

    [Fact]
    public void a_month_of_a_quarterly_commitment_weighs_its_share_of_the_quarter() =>
        // Q1 2026 has 31 + 28 + 31 = 90 days
        Assert.Equal(R(28m / 90m), R(CadenceCalendar.Weight(FirstOf(February), EndOf(February), Cadence.Quarterly)));

    [Fact]
    public void a_span_across_two_quarters_adds_each_quarters_share() =>
        // March is 31 of Q1's 90 days, April is 30 of Q2's 91 days
        Assert.Equal(R(31m / 90m + 30m / 91m), R(CadenceCalendar.Weight(FirstOf(March), EndOf(April), Cadence.Quarterly)));

    [Fact]
    public void a_whole_year_of_a_yearly_commitment_weighs_one() =>
        Assert.Equal(1m, CadenceCalendar.Weight(FirstOf(January), EndOf(December), Cadence.Yearly));

    [Fact]
    public void a_month_of_a_yearly_commitment_weighs_its_share_of_the_year() =>
        Assert.Equal(R(31m / 365m), R(CadenceCalendar.Weight(FirstOf(January), EndOf(January), Cadence.Yearly)));

    [Fact]
    public void a_span_across_two_years_adds_each_years_share() =>
        // December 2026 is 31 of 365 days, January 2027 is 31 of 365 days
        Assert.Equal(R(62m / 365m), R(CadenceCalendar.Weight(FirstOf(December), EndOf(January, 2027), Cadence.Yearly)));

    [Fact]
    public void february_of_a_leap_year_weighs_one_for_a_monthly_commitment() =>
        Assert.Equal(1m, CadenceCalendar.Weight(new DateOnly(2028, 2, 1), new DateOnly(2028, 2, 29), Cadence.Monthly));

    [Fact]
    public void half_of_a_leap_february_is_counted_over_29_days() =>
        Assert.Equal(R(14m / 29m), R(CadenceCalendar.Weight(new DateOnly(2028, 2, 1), new DateOnly(2028, 2, 14), Cadence.Monthly)));

    [Fact]
    public void a_leap_february_is_29_days_of_a_91_day_quarter() =>
        Assert.Equal(R(29m / 91m), R(CadenceCalendar.Weight(new DateOnly(2028, 2, 1), new DateOnly(2028, 2, 29), Cadence.Quarterly)));

    [Fact]
    public void a_leap_february_is_29_days_of_a_366_day_year() =>
        Assert.Equal(R(29m / 366m), R(CadenceCalendar.Weight(new DateOnly(2028, 2, 1), new DateOnly(2028, 2, 29), Cadence.Yearly)));

    [Fact]
    public void a_single_day_weighs_one_over_the_days_of_its_month() =>
        Assert.Equal(R(1m / 28m), R(CadenceCalendar.Weight(Day(February, 14), Day(February, 14), Cadence.Monthly)));
}

public class the_weight_within_a_commitments_figures : Spec
{
    [Fact]
    public void a_half_month_realizes_and_promises_its_share()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), MeasuredOver(Day(June, 1), Day(June, 15), 90));
        var june = Assert.Single(Figures().Measurements);
        Assert.Equal(0.5m, june.Weight);
        Assert.Equal(5_000m, Figures().RealizedValue);
        Assert.Equal(10_000m, Figures().PromisedToDate);
        Assert.Equal(0.5m, Figures().RealizationRate);
        Assert.Equal(0.5m, Figures().Progress); // progress is about the level, not the span
    }

    [Fact]
    public void a_span_over_two_months_counts_both()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), MeasuredOver(FirstOf(January), EndOf(February), 90));
        Assert.Equal(2m, Assert.Single(Figures().Measurements).Weight);
        Assert.Equal(20_000m, Figures().RealizedValue);
        Assert.Equal(40_000m, Figures().PromisedToDate);
    }

    [Fact]
    public void a_quarterly_commitment_measured_for_a_quarter_weighs_one()
    {
        Given(AnAccountOpened(), ACommitment(cadence: Cadence.Quarterly), MeasuredOver(FirstOf(January), EndOf(March), 90));
        Assert.Equal(1m, Assert.Single(Figures().Measurements).Weight);
        Assert.Equal(10_000m, Figures().RealizedValue);
        Assert.Equal(4 * 20_000m, Figures().PromisedValue);
    }

    [Fact]
    public void a_yearly_commitment_measured_for_the_year_weighs_one()
    {
        Given(AnAccountOpened(), ACommitment(cadence: Cadence.Yearly), MeasuredOver(FirstOf(January), EndOf(December), 90));
        Assert.Equal(1m, Assert.Single(Figures().Measurements).Weight);
        Assert.Equal(10_000m, Figures().RealizedValue);
        Assert.Equal(20_000m, Figures().PromisedValue);
        Assert.Equal(0.5m, Figures().RealizationRate);
    }

    [Fact]
    public void a_leap_february_of_a_monthly_commitment_over_2028_weighs_one()
    {
        Given(AnAccountOpened(), ACommitment(start: new DateOnly(2028, 1, 1), end: new DateOnly(2028, 12, 31)),
            MeasuredOver(new DateOnly(2028, 2, 1), new DateOnly(2028, 2, 29), 90));
        Assert.Equal(1m, Assert.Single(Figures().Measurements).Weight);
        Assert.Equal(10_000m, Figures().RealizedValue);
        Assert.Equal(240_000m, Figures().PromisedValue);
    }
}

public class the_promised_value : Spec
{
    [Fact]
    public void it_counts_the_cadence_periods_of_a_quarterly_commitment()
    {
        Given(AnAccountOpened(), ACommitment(cadence: Cadence.Quarterly));
        Assert.Equal(20m * 1000m * 4, Figures().PromisedValue);
    }

    [Fact]
    public void it_counts_the_cadence_periods_of_a_yearly_commitment_over_two_years()
    {
        Given(AnAccountOpened(), ACommitment(cadence: Cadence.Yearly, end: EndOf(December, 2027)));
        Assert.Equal(20m * 1000m * 2, Figures().PromisedValue);
    }

    [Fact]
    public void a_commitment_starting_mid_month_counts_the_first_month_by_its_share()
    {
        // 17 of January's 31 days, then February to June
        Given(AnAccountOpened(), ACommitment(start: Day(January, 15), end: EndOf(June)));
        Assert.Equal(R(20_000m * (17m / 31m + 5m)), R(Figures().PromisedValue));
    }

    [Fact]
    public void it_does_not_depend_on_what_was_measured()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90), Measured(February, 110));
        Assert.Equal(240_000m, Figures().PromisedValue);
    }
}

public class the_cadence_calendar : Spec
{
    [Theory]
    [InlineData(Cadence.Monthly, "2026-05-17", "2026-05-01", "2026-05-31")]
    [InlineData(Cadence.Monthly, "2028-02-10", "2028-02-01", "2028-02-29")]
    [InlineData(Cadence.Quarterly, "2026-05-17", "2026-04-01", "2026-06-30")]
    [InlineData(Cadence.Quarterly, "2026-12-31", "2026-10-01", "2026-12-31")]
    [InlineData(Cadence.Yearly, "2026-05-17", "2026-01-01", "2026-12-31")]
    public void a_day_falls_in_one_calendar_aligned_cadence_period(Cadence cadence, string day, string start, string end)
    {
        Assert.Equal(DateOnly.Parse(start), CadenceCalendar.StartOfPeriod(DateOnly.Parse(day), cadence));
        Assert.Equal(DateOnly.Parse(end), CadenceCalendar.EndOfPeriod(DateOnly.Parse(day), cadence));
    }

    [Fact]
    public void periods_are_inclusive_at_both_ends() => Assert.Equal(31, CadenceCalendar.Days(FirstOf(January), EndOf(January)));

    [Fact]
    public void a_span_is_cut_at_cadence_boundaries()
    {
        var parts = CadenceCalendar.Split(Day(January, 16), Day(March, 14), Cadence.Monthly).ToList();
        Assert.Equal([(Day(January, 16), EndOf(January)), (FirstOf(February), EndOf(February)), (FirstOf(March), Day(March, 14))],
            parts.Select(p => (p.Start, p.End)));
        Assert.Equal([R(16m / 31m), 1m, R(14m / 31m)], parts.Select(p => R(p.Weight)));
    }
}

public class time_to_value : Spec
{
    public time_to_value() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026(),
        Measured(January, 101), Measured(February, 95), Measured(March, 85), Measured(April, 80), Measured(May, 78));

    [Fact]
    public void the_first_improvement_is_the_end_of_the_first_period_that_improved()
    {
        Assert.Equal(EndOf(February), Figures().TimeToValue.FirstImprovementOn);
        Assert.Equal(31 + 28, Figures().TimeToValue.DaysToFirstImprovement); // counted from the start, both days included
    }

    [Fact]
    public void the_target_is_reached_at_the_end_of_the_first_period_at_target()
    {
        Assert.Equal(EndOf(April), Figures().TimeToValue.TargetReachedOn);
        Assert.Equal(31 + 28 + 31 + 30, Figures().TimeToValue.DaysToTarget);
    }

    [Fact]
    public void it_is_missing_not_zero_while_nothing_has_improved()
    {
        var account = Account.From([AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 100)]);
        var ttv = CommitmentValuation.Evaluate(account.FindCommitment(CommitmentId)!).TimeToValue;
        Assert.Equal(new TimeToValue(null, null, null, null), ttv);
    }

    [Fact]
    public void it_is_missing_while_nothing_has_been_measured()
    {
        var account = Account.From([AnAccountOpened(), AMonthlyCommitmentOver2026()]);
        Assert.Equal(new TimeToValue(null, null, null, null), CommitmentValuation.Evaluate(account.FindCommitment(CommitmentId)!).TimeToValue);
    }

    [Fact]
    public void a_correction_of_an_earlier_period_moves_the_first_improvement_earlier()
    {
        Given(Corrected(January, 97));
        Assert.Equal(EndOf(January), Figures().TimeToValue.FirstImprovementOn);
        Assert.Equal(31, Figures().TimeToValue.DaysToFirstImprovement);
    }
}
