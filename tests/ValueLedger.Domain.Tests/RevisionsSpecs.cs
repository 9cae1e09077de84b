namespace ValueLedger.Domain.Tests;

// Revisions: a commitment is re-targeted, re-baselined, re-priced or given a new end only with a reason, from an
// effective date; every earlier version of the terms stays visible and keeps valuing the periods before it.

public class when_a_commitment_is_retargeted : Spec
{
    // January to June measured at 90 under target 80; from July the target is 70.
    public when_a_commitment_is_retargeted()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(),
            Measured(January, 90), Measured(February, 90), Measured(March, 90),
            Measured(April, 90), Measured(May, 90), Measured(June, 90));
        When(account => CommitmentDecisions.Revise(account, CommitmentId,
            new ReviseCommitment(FirstOf(July), null, 70, null, null, " Line upgrade makes a stretch possible "), Now));
    }

    [Fact]
    public void it_records_the_new_target_from_the_effective_date_as_revision_2() =>
        Then(new CommitmentRevised(CommitmentId, 2, FirstOf(July), null, 70, null, null, "Line upgrade makes a stretch possible", Now));

    [Fact]
    public void the_reason_is_shown_in_the_audit_trail() =>
        Assert.Equal("Line upgrade makes a stretch possible", ((IHasReason)Decision.Events[0]).Reason);

    [Fact]
    public void every_earlier_version_stays_in_the_terms()
    {
        Assert.Equal([1, 2], Commitment().Terms.Select(t => t.Version));
        Assert.Equal([80m, 70m], Commitment().Terms.Select(t => t.Target));
        Assert.Equal([FirstOf(January), FirstOf(July)], Commitment().Terms.Select(t => t.EffectiveFrom));
        Assert.Equal([null, "Line upgrade makes a stretch possible"], Commitment().Terms.Select(t => t.Reason));
    }

    [Fact]
    public void unchanged_terms_carry_over_to_the_new_version()
    {
        var current = Commitment().CurrentTerms;
        Assert.Equal(new Baseline(100, Day(December, 31, 2025), "Metering report 2025"), current.Baseline);
        Assert.Equal(1000m, current.UnitValue);
        Assert.Equal(EndOf(December), current.PeriodEnd);
    }

    [Fact]
    public void the_terms_in_force_depend_on_the_day()
    {
        Assert.Equal(1, Commitment().TermsOn(EndOf(June)).Version);
        Assert.Equal(2, Commitment().TermsOn(FirstOf(July)).Version);
    }

    [Fact]
    public void measurements_of_periods_before_the_revision_keep_the_terms_in_force_then()
    {
        var june = Figures().Measurements.Single(m => m.PeriodStart == FirstOf(June));
        Assert.Equal(1, june.TermsVersion);
        Assert.Equal(0.5m, june.Progress);
        Assert.Equal(20_000m, june.PromisedValue);
        Assert.Equal(120_000m, Figures().PromisedToDate);
        Assert.Equal(60_000m, Figures().RealizedValue);
    }

    [Fact]
    public void measurements_from_the_effective_date_use_the_new_terms()
    {
        Given(Decision.Events.ToArray());
        Given(Measured(July, 85));
        var july = Figures().Measurements.Single(m => m.PeriodStart == FirstOf(July));
        Assert.Equal(2, july.TermsVersion);
        Assert.Equal(15m, july.Improvement);
        Assert.Equal(0.5m, july.Progress); // 15 of the 30 now promised
        Assert.Equal(30_000m, july.PromisedValue);
        Assert.Equal(150_000m, Figures().PromisedToDate);
    }

    [Fact]
    public void the_promised_value_reprices_only_the_periods_from_the_effective_date() =>
        Assert.Equal(6 * 20_000m + 6 * 30_000m, Figures().PromisedValue);

    [Fact]
    public void the_promised_improvement_shown_is_the_current_one() => Assert.Equal(30m, Figures().PromisedImprovement);
}

public class when_a_commitment_is_rebaselined : Spec
{
    // An audit finds the 2025 level was 110, not 100; from April the baseline is 110 (target stays 80).
    public when_a_commitment_is_rebaselined()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90));
        When(account => CommitmentDecisions.Revise(account, CommitmentId,
            new ReviseCommitment(FirstOf(April), new Baseline(110, EndOf(March), "Energy audit Q1"), null, null, null, "Audited baseline"), Now));
    }

    [Fact]
    public void it_records_the_new_baseline() =>
        Then(new CommitmentRevised(CommitmentId, 2, FirstOf(April), new Baseline(110, EndOf(March), "Energy audit Q1"), null, null, null,
            "Audited baseline", Now));

    [Fact]
    public void the_old_baseline_stays_in_the_first_version() =>
        Assert.Equal([100m, 110m], Commitment().Terms.Select(t => t.Baseline.Value));

    [Fact]
    public void a_measurement_before_the_revision_is_measured_against_the_old_baseline() =>
        Assert.Equal(10m, Figures().Measurements.Single().Improvement);

    [Fact]
    public void a_measurement_after_the_revision_is_measured_against_the_new_baseline()
    {
        Given(Decision.Events.ToArray());
        Given(Measured(April, 95));
        var april = Figures().Measurements.Single(m => m.PeriodStart == FirstOf(April));
        Assert.Equal(15m, april.Improvement);
        Assert.Equal(0.5m, april.Progress); // 15 of the 30 from 110 to 80
        Assert.Equal(15_000m, april.RealizedValue);
    }

    [Fact]
    public void the_promise_grows_from_april() => Assert.Equal(3 * 20_000m + 9 * 30_000m, Figures().PromisedValue);
}

public class when_a_commitment_gets_a_new_unit_value : Spec
{
    public when_a_commitment_gets_a_new_unit_value() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(June, 90));

    [Fact]
    public void it_reprices_the_periods_from_the_effective_date()
    {
        When(account => CommitmentDecisions.Revise(account, CommitmentId,
            new ReviseCommitment(FirstOf(July), null, null, 1500, null, "Energy price rose"), Now));
        Then(new CommitmentRevised(CommitmentId, 2, FirstOf(July), null, null, 1500, null, "Energy price rose", Now));
        Assert.Equal(6 * 20_000m + 6 * 30_000m, Figures().PromisedValue);
        Assert.Equal(10_000m, Figures().RealizedValue); // June keeps 1,000 per unit
    }

    [Fact]
    public void a_measurement_after_it_is_valued_at_the_new_price()
    {
        Given(Revised(2, FirstOf(July), unitValue: 1500), Measured(July, 90));
        Assert.Equal(10_000m + 15_000m, Figures().RealizedValue);
        Assert.Equal(20_000m + 30_000m, Figures().PromisedToDate);
    }

    [Fact]
    public void a_revision_on_the_last_day_of_a_month_reprices_only_that_day()
    {
        Given(Revised(2, EndOf(July), unitValue: 1500));
        var july = 20m * 1000m * 30m / 31m + 20m * 1500m * 1m / 31m;
        Assert.Equal(R(6 * 20_000m + july + 5 * 30_000m), R(Figures().PromisedValue));
    }

    [Fact]
    public void a_revision_in_the_middle_of_a_month_reprices_only_the_days_from_it()
    {
        // July 1..15 at 1,000 per unit, July 16..31 at 1,500
        Given(Revised(2, Day(July, 16), unitValue: 1500));
        var july = 20m * 1000m * 15m / 31m + 20m * 1500m * 16m / 31m;
        Assert.Equal(R(6 * 20_000m + july + 5 * 30_000m), R(Figures().PromisedValue));
    }
}

public class when_a_commitment_gets_a_new_end : Spec
{
    public when_a_commitment_gets_a_new_end() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026(),
        Measured(January, 90), Measured(February, 90), Measured(March, 90), Measured(April, 90), Measured(May, 90), Measured(June, 90));

    [Fact]
    public void an_extension_promises_the_added_periods_and_admits_their_measurements()
    {
        When(account => CommitmentDecisions.Revise(account, CommitmentId,
            new ReviseCommitment(FirstOf(July), null, null, null, EndOf(June, 2027), "Contract extended"), Now));
        Then(new CommitmentRevised(CommitmentId, 2, FirstOf(July), null, null, null, EndOf(June, 2027), "Contract extended", Now));
        Assert.Equal(EndOf(June, 2027), Commitment().PeriodEnd);
        Assert.Equal(18 * 20_000m, Figures().PromisedValue);
        Assert.True(MeasurementDecisions.Record(State, MeasurementId(201), Record(FirstOf(February, 2027), EndOf(February, 2027), 85),
            Recorder, At(Day(March, 1, 2027))).IsAccepted);
    }

    [Fact]
    public void a_shorter_end_after_the_last_measurement_is_accepted()
    {
        When(account => CommitmentDecisions.Revise(account, CommitmentId,
            new ReviseCommitment(FirstOf(July), null, null, null, EndOf(September), "Plant sold in October"), Now));
        Assert.True(Decision.IsAccepted);
        Assert.Equal(9 * 20_000m, Figures().PromisedValue);
    }

    [Fact]
    public void a_new_end_on_the_last_measured_day_is_accepted()
    {
        When(account => CommitmentDecisions.Revise(account, CommitmentId,
            new ReviseCommitment(FirstOf(June), null, null, null, EndOf(June), "Plant sold in July"), Now));
        Assert.True(Decision.IsAccepted);
    }

    [Fact]
    public void a_new_end_cannot_cut_off_existing_measurements()
    {
        When(account => CommitmentDecisions.Revise(account, CommitmentId,
            new ReviseCommitment(FirstOf(May), null, null, null, EndOf(May), "Plant sold in June"), Now));
        var rejection = ThenRejected(RejectionKind.Unprocessable, "Measurements after the new end");
        Assert.Contains(EndOf(June).ToString("O"), rejection.Detail);
    }

    [Fact]
    public void a_new_end_before_the_start_is_refused()
    {
        When(account => CommitmentDecisions.Revise(account, CommitmentId,
            new ReviseCommitment(FirstOf(July), null, null, null, Day(December, 1, 2025), "Typo"), Now));
        ThenRejected(RejectionKind.Unprocessable, "Period ends before it starts");
    }
}

public class the_effective_date_of_a_revision : Spec
{
    public the_effective_date_of_a_revision() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026());

    private Decision Revise(DateOnly? effectiveFrom, decimal target = 70, DateTimeOffset? now = null) =>
        When(account => CommitmentDecisions.Revise(account, CommitmentId,
            new ReviseCommitment(effectiveFrom, null, target, null, null, "Stretch goal"), now ?? Now));

    [Fact]
    public void it_must_not_be_before_the_commitment_starts()
    {
        Revise(Day(December, 31, 2025));
        ThenRejected(RejectionKind.Unprocessable, "Revision outside the commitment's period");
    }

    [Fact]
    public void it_must_not_be_after_the_commitment_ends()
    {
        Revise(FirstOf(January, 2027));
        ThenRejected(RejectionKind.Unprocessable, "Revision outside the commitment's period");
    }

    [Fact]
    public void it_may_be_the_first_or_the_last_day_of_the_period()
    {
        Assert.True(Revise(FirstOf(January)).IsAccepted);
        Assert.True(Revise(EndOf(December)).IsAccepted);
    }

    [Fact]
    public void it_must_not_be_before_the_latest_revision()
    {
        Given(Revised(2, FirstOf(July), target: 75));
        Revise(FirstOf(June));
        var rejection = ThenRejected(RejectionKind.Unprocessable, "Revision before the latest revision");
        Assert.Contains("Revision 2", rejection.Detail);
    }

    [Fact]
    public void it_may_be_the_same_day_as_the_latest_revision_and_then_supersedes_it()
    {
        Given(Revised(2, FirstOf(July), target: 75));
        Revise(FirstOf(July));
        Then(new CommitmentRevised(CommitmentId, 3, FirstOf(July), null, 70, null, null, "Stretch goal", Now));
        Assert.Equal(3, Commitment().TermsOn(FirstOf(July)).Version);
        Assert.Equal(6 * 20_000m + 6 * 30_000m, Figures().PromisedValue);
    }

    [Fact]
    public void it_defaults_to_today()
    {
        Revise(null, now: At(Day(September, 14)));
        Assert.Equal(Day(September, 14), Assert.IsType<CommitmentRevised>(Assert.Single(Decision.Events)).EffectiveFrom);
    }

    [Fact]
    public void terms_left_out_carry_over_from_the_latest_version_not_the_first()
    {
        Given(Revised(2, FirstOf(April), target: 75));
        When(account => CommitmentDecisions.Revise(account, CommitmentId,
            new ReviseCommitment(FirstOf(July), null, null, 1200, null, "Energy price rose"), Now));
        Assert.Equal(new[] { (80m, 1000m), (75m, 1000m), (75m, 1200m) }, Commitment().Terms.Select(t => (t.Target, t.UnitValue)));
    }

    [Fact]
    public void revisions_are_numbered_in_order()
    {
        Given(Revised(2, FirstOf(April), target: 75), Revised(3, FirstOf(July), target: 72));
        Revise(FirstOf(October));
        Assert.Equal(4, Assert.IsType<CommitmentRevised>(Assert.Single(Decision.Events)).Revision);
        Assert.Equal([80m, 75m, 72m, 70m], Commitment().Terms.Select(t => t.Target));
    }
}

public class a_revision_must_keep_the_target_an_improvement : Spec
{
    public a_revision_must_keep_the_target_an_improvement() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026());

    [Fact]
    public void a_new_target_worse_than_the_baseline_is_refused()
    {
        When(account => CommitmentDecisions.Revise(account, CommitmentId, new ReviseCommitment(FirstOf(July), null, 105, null, null, "Relax"), Now));
        ThenRejected(RejectionKind.Unprocessable, "Target is not an improvement");
    }

    [Fact]
    public void a_new_target_equal_to_the_baseline_is_refused()
    {
        When(account => CommitmentDecisions.Revise(account, CommitmentId, new ReviseCommitment(FirstOf(July), null, 100, null, null, "Relax"), Now));
        ThenRejected(RejectionKind.Unprocessable, "Target is not an improvement");
    }

    [Fact]
    public void a_new_baseline_beyond_the_current_target_is_refused()
    {
        When(account => CommitmentDecisions.Revise(account, CommitmentId,
            new ReviseCommitment(FirstOf(July), new Baseline(75, EndOf(June), "Audit"), null, null, null, "Audited baseline"), Now));
        ThenRejected(RejectionKind.Unprocessable, "Target is not an improvement");
    }

    [Fact]
    public void a_new_baseline_with_a_new_target_is_judged_together()
    {
        When(account => CommitmentDecisions.Revise(account, CommitmentId,
            new ReviseCommitment(FirstOf(July), new Baseline(75, EndOf(June), "Audit"), 60, null, null, "Audited baseline"), Now));
        Assert.True(Decision.IsAccepted);
        Assert.Equal(15m, Figures().PromisedImprovement);
    }

    [Fact]
    public void for_higher_is_better_the_target_must_stay_above_the_baseline()
    {
        var account = Account.From([AnAccountOpened(), AMonthlyCommitmentOver2026(direction: Direction.HigherIsBetter, target: 120)]);
        var decision = CommitmentDecisions.Revise(account, CommitmentId, new ReviseCommitment(FirstOf(July), null, 95, null, null, "Relax"), Now);
        Assert.Equal("Target is not an improvement", decision.Rejection?.Title);
        Assert.Contains("above the baseline", decision.Rejection?.Detail);
    }
}

public class a_revision_needs_a_live_commitment : Spec
{
    public a_revision_needs_a_live_commitment() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026());

    [Fact]
    public void an_unknown_commitment_is_not_found()
    {
        When(account => CommitmentDecisions.Revise(account, UnknownId, new ReviseCommitment(FirstOf(July), null, 70, null, null, "Stretch"), Now));
        ThenRejected(RejectionKind.NotFound, "Commitment not found");
    }

    [Fact]
    public void a_withdrawn_commitment_is_not_revised()
    {
        Given(Withdrawn());
        When(account => CommitmentDecisions.Revise(account, CommitmentId, new ReviseCommitment(FirstOf(September), null, 70, null, null, "Stretch"), Now));
        ThenRejected(RejectionKind.Unprocessable, "Commitment withdrawn");
    }
}

public class when_a_revision_would_end_before_it_takes_effect : Spec
{
    public when_a_revision_would_end_before_it_takes_effect()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026());
        When(account => CommitmentDecisions.Revise(account, CommitmentId,
            new ReviseCommitment(FirstOf(July), null, 70, null, new DateOnly(2026, 6, 30), "Shorter and harder"), Now));
    }

    [Fact]
    public void it_is_refused_because_the_new_terms_would_govern_no_period() =>
        ThenRejected(RejectionKind.Unprocessable, "New end before the revision takes effect");
}

public class when_a_change_comes_without_a_reason : Spec
{
    public when_a_change_comes_without_a_reason() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90));

    [Fact]
    public void a_revision_is_refused()
    {
        When(account => CommitmentDecisions.Revise(account, CommitmentId, new ReviseCommitment(FirstOf(July), null, 70, null, null, "  "), Now));
        ThenRejected(RejectionKind.Unprocessable, "Reason required");
    }

    [Fact]
    public void a_withdrawal_is_refused()
    {
        When(account => CommitmentDecisions.Withdraw(account, CommitmentId, new WithdrawCommitment(""), Now));
        ThenRejected(RejectionKind.Unprocessable, "Reason required");
    }

    [Fact]
    public void a_correction_is_refused()
    {
        When(account => MeasurementDecisions.Correct(account, CommitmentId, MeasurementId(January), new CorrectMeasurement(85, " ", null), "csm", Now));
        ThenRejected(RejectionKind.Unprocessable, "Reason required");
    }

    [Fact]
    public void a_dispute_is_refused()
    {
        When(account => MeasurementDecisions.Dispute(account, CommitmentId, MeasurementId(January), new DisputeMeasurement(new Signer("s", "i", "Jane", null), ""), Now));
        ThenRejected(RejectionKind.Unprocessable, "Reason required");
    }
}
