namespace ValueLedger.Domain.Tests;

// Status of a commitment, in order: withdrawn; not started; disputed or stale data puts it at risk whatever the
// numbers say; target reached; period over without the target; behind the straight path by more than the
// tolerance; on track. Each status comes with a reason that names its cause. And the value at risk.

public class a_commitment_with_nothing_measured : Spec
{
    public a_commitment_with_nothing_measured() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026());

    [Fact] public void is_not_started() => Assert.Equal(CommitmentStatus.NotStarted, Figures().Status);

    [Fact] public void says_nothing_was_measured_yet() => Assert.Equal("No measurement recorded yet.", Figures().StatusReason);

    [Fact] public void puts_no_value_at_risk() => Assert.Equal(0m, Figures().AtRiskValue);

    [Fact]
    public void is_at_risk_once_a_measurement_is_overdue()
    {
        Given(WentStale(null, EndOf(February)));
        Assert.Equal(CommitmentStatus.AtRisk, Figures().Status);
        Assert.Equal("No measurement recorded; one was due by 2026-02-28.", Figures().StatusReason);
        Assert.Equal(240_000m, Figures().AtRiskValue);
    }
}

public class a_commitment_on_the_path_to_target : Spec
{
    // January at 90: half the promised improvement, where the straight path is at 31/365.
    public a_commitment_on_the_path_to_target() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90));

    [Fact] public void is_on_track() => Assert.Equal(CommitmentStatus.OnTrack, Figures().Status);

    [Fact]
    public void says_how_far_it_is_and_where_the_path_is()
    {
        Assert.Contains("of the promised improvement by 2026-01-31", Figures().StatusReason);
        Assert.Contains("the path is at", Figures().StatusReason);
    }

    [Fact] public void puts_no_value_at_risk() => Assert.Equal(0m, Figures().AtRiskValue);

    [Fact]
    public void the_straight_path_runs_from_the_start_to_the_end_of_the_period()
    {
        Assert.Equal(R(31m / 365m), R(ValueMath.ExpectedProgress(Commitment(), EndOf(January))));
        Assert.Equal(1m, ValueMath.ExpectedProgress(Commitment(), EndOf(December)));
        Assert.Equal(R(100m - 20m * 31m / 365m), R(Figures().Measurements.Single().PathValue));
    }
}

public class a_commitment_slightly_behind_the_path : Spec
{
    // June at 92: 40% of the promised improvement where the path is at 181/365 ≈ 49.6%, 9.6 points behind.
    private void GivenJuneAt92WithTolerance(decimal riskTolerance) =>
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(riskTolerance: riskTolerance), Measured(June, 92));

    [Fact]
    public void is_on_track_within_the_tolerance()
    {
        GivenJuneAt92WithTolerance(0.10m);
        Assert.Equal(CommitmentStatus.OnTrack, Figures().Status);
    }

    [Fact]
    public void is_at_risk_with_a_tighter_tolerance()
    {
        GivenJuneAt92WithTolerance(0.05m);
        Assert.Equal(CommitmentStatus.AtRisk, Figures().Status);
    }

    [Fact]
    public void is_at_risk_with_no_tolerance_at_all()
    {
        GivenJuneAt92WithTolerance(0m);
        Assert.Equal(CommitmentStatus.AtRisk, Figures().Status);
    }
}

public class a_commitment_behind_the_path_by_more_than_the_tolerance : Spec
{
    // June at 98: 10% of the promised improvement where the straight path is at 181/365 ≈ 49.6%.
    public a_commitment_behind_the_path_by_more_than_the_tolerance() =>
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(June, 98));

    [Fact] public void is_at_risk() => Assert.Equal(CommitmentStatus.AtRisk, Figures().Status);

    [Fact]
    public void says_it_is_behind_the_path_and_by_when()
    {
        Assert.StartsWith("Behind the path to target:", Figures().StatusReason);
        Assert.Contains("by 2026-06-30", Figures().StatusReason);
        Assert.Contains("tolerance", Figures().StatusReason);
    }

    [Fact]
    public void puts_the_promise_not_yet_realized_at_risk() => Assert.Equal(240_000m - 2_000m, Figures().AtRiskValue);

    [Fact]
    public void a_negative_realized_value_does_not_inflate_the_value_at_risk()
    {
        Given(Corrected(June, 105));
        Assert.Equal(-5_000m, Figures().RealizedValue);
        Assert.Equal(240_000m, Figures().AtRiskValue);
    }

    [Fact]
    public void the_account_sums_the_value_at_risk()
    {
        Given(AMonthlyCommitmentOver2026(unitValue: 100, commitmentId: OtherCommitmentId),
            Measured(June, 99, commitmentId: OtherCommitmentId, measurementId: MeasurementId(106)));
        Assert.Equal(238_000m + (24_000m - 100m), AccountFigures.AtRiskValue);
    }
}

public class a_commitment_whose_latest_measurement_is_disputed : Spec
{
    // January at 80 would reach the target, but the customer disputes it.
    public a_commitment_whose_latest_measurement_is_disputed() =>
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 80), Disputed(January));

    [Fact] public void is_at_risk_whatever_the_numbers_say() => Assert.Equal(CommitmentStatus.AtRisk, Figures().Status);

    [Fact]
    public void says_which_measurement_is_disputed_and_by_whom() =>
        Assert.Equal($"The latest measurement (2026-01-01..2026-01-31) is disputed by {Buyer}.", Figures().StatusReason);

    [Fact]
    public void an_earlier_disputed_measurement_does_not_decide_the_status()
    {
        Given(Measured(February, 85));
        Assert.Equal(CommitmentStatus.OnTrack, Figures().Status);
    }

    [Fact]
    public void a_confirmed_correction_lifts_the_risk()
    {
        Given(Corrected(January, 79), Confirmed(January, revision: 2));
        Assert.Equal(CommitmentStatus.Achieved, Figures().Status);
    }
}

public class a_commitment_gone_stale : Spec
{
    // January reached the target, then nothing was measured by the end of March.
    public a_commitment_gone_stale() =>
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 80), WentStale(EndOf(January), EndOf(March)));

    [Fact] public void is_at_risk_whatever_the_numbers_say() => Assert.Equal(CommitmentStatus.AtRisk, Figures().Status);

    [Fact]
    public void says_it_is_stale_since_when_and_what_was_due() =>
        Assert.Equal("Stale: last measured for the period ending 2026-01-31; a newer measurement was due by 2026-03-31.", Figures().StatusReason);

    [Fact]
    public void a_newer_measurement_ends_it()
    {
        Given(Measured(April, 79));
        Assert.Equal(CommitmentStatus.Achieved, Figures().Status);
    }
}

public class a_commitment_that_reached_its_target : Spec
{
    public a_commitment_that_reached_its_target() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90), Measured(May, 80));

    [Fact] public void is_achieved() => Assert.Equal(CommitmentStatus.Achieved, Figures().Status);

    [Fact] public void says_when_it_was_reached() => Assert.Equal("Target reached in the period ending 2026-05-31.", Figures().StatusReason);

    [Fact] public void puts_no_value_at_risk() => Assert.Equal(0m, Figures().AtRiskValue);

    [Fact]
    public void beyond_the_target_is_achieved_too()
    {
        Given(Measured(June, 70));
        Assert.Equal(CommitmentStatus.Achieved, Figures().Status);
    }

    [Fact]
    public void falling_back_later_is_judged_on_the_latest_period()
    {
        Given(Measured(June, 97));
        Assert.NotEqual(CommitmentStatus.Achieved, Figures().Status);
        Assert.Equal(EndOf(May), Figures().TimeToValue.TargetReachedOn);
    }

    [Fact]
    public void reaching_the_target_in_the_last_period_is_achieved_not_missed()
    {
        Given(Measured(December, 80));
        Assert.Equal(CommitmentStatus.Achieved, Figures().Status);
    }
}

public class a_commitment_whose_period_ended_short_of_the_target : Spec
{
    // December at 85: three quarters of the promised improvement when the period is over.
    public a_commitment_whose_period_ended_short_of_the_target() =>
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(November, 84), Measured(December, 85));

    [Fact] public void is_missed() => Assert.Equal(CommitmentStatus.Missed, Figures().Status);

    [Fact]
    public void says_how_much_of_the_promise_the_period_ended_with()
    {
        Assert.StartsWith("The period ended with 75", Figures().StatusReason);
        Assert.EndsWith("of the promised improvement.", Figures().StatusReason);
    }

    [Fact] public void is_not_counted_as_value_at_risk() => Assert.Equal(0m, Figures().AtRiskValue);
}

public class a_withdrawn_commitment : Spec
{
    public a_withdrawn_commitment() =>
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(June, 98), Disputed(June), Withdrawn("Customer closed the plant"));

    [Fact] public void is_withdrawn_whatever_else_holds() => Assert.Equal(CommitmentStatus.Withdrawn, Figures().Status);

    [Fact] public void says_why() => Assert.Equal("Withdrawn: Customer closed the plant", Figures().StatusReason);

    [Fact] public void puts_no_value_at_risk() => Assert.Equal(0m, Figures().AtRiskValue);
}
