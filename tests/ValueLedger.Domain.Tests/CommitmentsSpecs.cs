namespace ValueLedger.Domain.Tests;

// Value commitments: making the promise, and withdrawing it.

public class when_value_is_committed : Spec
{
    private static CommitValue Promise(Direction direction = Direction.LowerIsBetter, decimal target = 80, Approach? approach = null,
        DateOnly? start = null, DateOnly? end = null) =>
        new(ValueDriver.Cost, "  Energy per tonne ", " kWh/t ", direction, new Baseline(100, Day(December, 31, 2025), "Metering report 2025"),
            target, 1000, start ?? FirstOf(January), end ?? EndOf(December), Cadence.Monthly, CommitmentOwner.Joint, Level.Medium, approach);

    public when_value_is_committed() => Given(AnAccountOpened(Approach.ProcessCentric));

    [Fact]
    public void it_records_the_promise_with_its_terms()
    {
        When(account => CommitmentDecisions.Commit(account, CommitmentId, Promise(), 0.10m, At(Day(December, 15, 2025))));
        Then(AMonthlyCommitmentOver2026());
    }

    [Fact]
    public void the_commitment_takes_the_accounts_approach_unless_it_names_its_own()
    {
        When(account => CommitmentDecisions.Commit(account, CommitmentId, Promise(approach: Approach.OutcomeCentric), 0.10m, Now));
        Assert.Equal(Approach.OutcomeCentric, Assert.IsType<ValueCommitted>(Assert.Single(Decision.Events)).Approach);
    }

    [Fact]
    public void its_first_version_of_terms_is_in_force_from_the_start()
    {
        When(account => CommitmentDecisions.Commit(account, CommitmentId, Promise(), 0.10m, At(Day(December, 15, 2025))));
        var terms = Assert.Single(Commitment().Terms);
        Assert.Equal(new CommitmentTerms(1, FirstOf(January), new Baseline(100, Day(December, 31, 2025), "Metering report 2025"),
            80, 1000, EndOf(December), null, At(Day(December, 15, 2025))), terms);
    }

    [Fact]
    public void a_period_ending_before_it_starts_is_refused()
    {
        When(account => CommitmentDecisions.Commit(account, CommitmentId, Promise(start: FirstOf(June), end: EndOf(May)), 0.10m, Now));
        ThenRejected(RejectionKind.Unprocessable, "Period ends before it starts");
    }

    [Fact]
    public void a_one_day_period_is_accepted()
    {
        When(account => CommitmentDecisions.Commit(account, CommitmentId, Promise(start: FirstOf(June), end: FirstOf(June)), 0.10m, Now));
        Assert.True(Decision.IsAccepted);
    }

    [Theory]
    [InlineData(Direction.LowerIsBetter, 120)]
    [InlineData(Direction.LowerIsBetter, 100)]
    [InlineData(Direction.HigherIsBetter, 80)]
    [InlineData(Direction.HigherIsBetter, 100)]
    public void a_target_that_is_not_an_improvement_on_the_baseline_is_refused(Direction direction, int target)
    {
        When(account => CommitmentDecisions.Commit(account, CommitmentId, Promise(direction, target), 0.10m, Now));
        var rejection = ThenRejected(RejectionKind.Unprocessable, "Target is not an improvement");
        Assert.Contains(direction == Direction.HigherIsBetter ? "above the baseline" : "below the baseline", rejection.Detail);
    }

    [Fact]
    public void a_higher_is_better_target_above_the_baseline_is_accepted()
    {
        When(account => CommitmentDecisions.Commit(account, CommitmentId, Promise(Direction.HigherIsBetter, 120), 0.10m, Now));
        Assert.True(Decision.IsAccepted);
        Assert.Equal(20m, Commitment().CurrentTerms.PromisedImprovement(Direction.HigherIsBetter));
    }
}

public class when_a_commitment_is_withdrawn : Spec
{
    public when_a_commitment_is_withdrawn()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90));
        When(account => CommitmentDecisions.Withdraw(account, CommitmentId, new WithdrawCommitment(" Customer closed the plant "), Now));
    }

    [Fact]
    public void it_records_the_withdrawal_with_its_reason() => Then(new CommitmentWithdrawn(CommitmentId, "Customer closed the plant", Now));

    [Fact]
    public void the_commitment_is_withdrawn_but_stays_visible()
    {
        Assert.True(Commitment().IsWithdrawn);
        Assert.Equal(new Withdrawal("Customer closed the plant", Now), Commitment().Withdrawal);
        Assert.Single(Commitment().Measurements);
        Assert.Equal(CommitmentId, Assert.Single(AccountFigures.Commitments).CommitmentId);
    }

    [Fact]
    public void its_status_is_withdrawn_with_the_reason()
    {
        Assert.Equal(CommitmentStatus.Withdrawn, Figures().Status);
        Assert.Equal("Withdrawn: Customer closed the plant", Figures().StatusReason);
    }

    [Fact]
    public void it_takes_no_further_measurements()
    {
        var account = State;
        var decision = MeasurementDecisions.Record(account, MeasurementId(February), Record(February, 85), Recorder, Now);
        Assert.Equal(RejectionKind.Unprocessable, decision.Rejection?.Kind);
        Assert.Equal("Commitment withdrawn", decision.Rejection?.Title);
        Assert.Contains("Customer closed the plant", decision.Rejection?.Detail);
    }

    [Fact]
    public void it_takes_no_further_revisions()
    {
        var decision = CommitmentDecisions.Revise(State, CommitmentId,
            new ReviseCommitment(FirstOf(September), null, 70, null, null, "Stretch goal"), Now);
        Assert.Equal("Commitment withdrawn", decision.Rejection?.Title);
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void it_cannot_be_withdrawn_twice()
    {
        Given(Decision.Events.ToArray());
        When(account => CommitmentDecisions.Withdraw(account, CommitmentId, new WithdrawCommitment("Again"), Now));
        ThenRejected(RejectionKind.Unprocessable, "Commitment withdrawn");
    }

    [Fact]
    public void it_is_no_longer_due_for_measurements() => Assert.False(Freshness.IsDue(Commitment()));
}

public class a_withdrawn_commitment_in_the_account_totals : Spec
{
    public a_withdrawn_commitment_in_the_account_totals() => Given(
        AnAccountOpened(),
        AMonthlyCommitmentOver2026(),
        AMonthlyCommitmentOver2026(unitValue: 100, commitmentId: OtherCommitmentId),
        Measured(January, 90),
        Measured(June, 99, commitmentId: OtherCommitmentId, measurementId: MeasurementId(106)),
        Withdrawn(commitmentId: OtherCommitmentId));

    [Fact] public void its_promise_is_not_counted() => Assert.Equal(240_000m, AccountFigures.PromisedValue);

    [Fact] public void its_measurements_are_not_counted() => Assert.Equal(10_000m, AccountFigures.RealizedValue);

    [Fact] public void the_rate_is_that_of_the_live_commitments() => Assert.Equal(0.5m, AccountFigures.RealizationRate);

    [Fact] public void its_value_is_not_at_risk() => Assert.Equal(0m, AccountFigures.AtRiskValue);

    [Fact]
    public void it_is_still_shown_among_the_commitments() =>
        Assert.Equal([CommitmentStatus.OnTrack, CommitmentStatus.Withdrawn], AccountFigures.Commitments.Select(c => c.Status));
}

public class withdrawing_an_unknown_commitment : Spec
{
    [Fact]
    public void is_not_found()
    {
        Given(AnAccountOpened());
        When(account => CommitmentDecisions.Withdraw(account, UnknownId, new WithdrawCommitment("Why"), Now));
        ThenRejected(RejectionKind.NotFound, "Commitment not found");
    }
}
