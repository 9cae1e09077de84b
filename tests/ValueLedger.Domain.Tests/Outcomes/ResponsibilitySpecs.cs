namespace ValueLedger.Domain.Tests.Outcomes;

// Responsibilities of either party: when they fall due, when they are missed (by the scheduled check), what a late
// fulfilment changes, and how a missed one shows on the commitment.

public class when_a_recurring_responsibility_falls_due : OutcomeSpec
{
    public when_a_recurring_responsibility_falls_due() => Given(AnOutcomeAccount(), ACommitment());

    private List<Occurrence> Occurrences(ResponsibilityAssigned assigned) =>
        ResponsibilitySchedule.Occurrences(Responsibility.From(assigned), Commitment()).ToList();

    [Fact]
    public void each_month_of_the_commitment_is_due_by_the_end_of_its_due_day()
    {
        var occurrences = Occurrences(CustomerSuppliesDataMonthly(dueDay: 5));
        Assert.Equal(12, occurrences.Count);
        Assert.Equal(new Occurrence(FirstOf(1), EndOf(1), Midnight(Day(1, 6))), occurrences[0]);
        Assert.Equal(new Occurrence(FirstOf(12), EndOf(12), Midnight(Day(12, 6))), occurrences[^1]);
    }

    [Fact]
    public void a_due_day_beyond_a_short_month_falls_on_its_last_day()
    {
        var february = Occurrences(CustomerSuppliesDataMonthly(dueDay: 31))[1];
        Assert.Equal(Midnight(Day(3, 1)), february.DueAt);
    }

    [Fact]
    public void nothing_is_due_before_it_was_assigned()
    {
        var occurrences = Occurrences(CustomerSuppliesDataMonthly(assignedAt: At(Day(3, 10))));
        Assert.Equal(FirstOf(4), occurrences[0].PeriodStart);
    }

    [Fact]
    public void a_responsibility_of_the_whole_account_runs_on_from_its_assignment()
    {
        var assigned = CustomerSuppliesDataMonthly(assignedAt: At(Day(2, 3))) with { CommitmentId = null };
        var occurrences = ResponsibilitySchedule.Occurrences(Responsibility.From(assigned), null).Take(24).ToList();
        Assert.Equal(new Occurrence(FirstOf(2), EndOf(2), Midnight(Day(2, 6))), occurrences[0]);
        Assert.Equal(FirstOf(1, 2028), occurrences[^1].PeriodStart);
    }

    [Fact]
    public void a_one_off_is_due_once_at_its_time()
    {
        var assigned = new ResponsibilityAssigned(ResponsibilityId, Party.Customer, "Grant access to the line sensors", CommitmentId, null, null,
            At(Day(2, 15), 12), Csm, At(Day(2, 1)));
        Assert.Equal([new Occurrence(Day(2, 1), Day(2, 15), At(Day(2, 15), 12))], Occurrences(assigned));
    }

    [Fact]
    public void nothing_falls_due_after_the_commitment_is_withdrawn()
    {
        Given(new CommitmentWithdrawn(CommitmentId, "Plant closed", At(Day(3, 20))));
        Assert.Equal(EndOf(3), Occurrences(CustomerSuppliesDataMonthly()).Last().PeriodEnd);
    }
}

public class assigning_a_responsibility : OutcomeSpec
{
    private static readonly DateTimeOffset Now = At(Day(2, 10));

    public assigning_a_responsibility() => Given(AnOutcomeAccount(), ACommitment());

    private Decision Assign(AssignResponsibility command, DateTimeOffset? now = null) =>
        When(a => ResponsibilityDecisions.Assign(a, ResponsibilityId, command, Csm, now ?? Now));

    [Fact]
    public void records_who_does_what_and_when()
    {
        Assign(new AssignResponsibility(Party.Customer, " Supply monthly usage data ", CommitmentId, Cadence.Monthly, 5, null));
        Then(new ResponsibilityAssigned(ResponsibilityId, Party.Customer, "Supply monthly usage data", CommitmentId, Cadence.Monthly, 5, null, Csm, Now));
        Assert.Equal("Supply monthly usage data", State.FindResponsibility(ResponsibilityId)!.Description);
    }

    [Fact]
    public void a_one_off_must_be_due_in_the_future()
    {
        Assign(new AssignResponsibility(Party.Seller, "Install sensors", null, null, null, Now.AddMinutes(-1)));
        ThenRejected(RejectionKind.Unprocessable, "Due in the past");
    }

    [Fact]
    public void it_is_recurring_or_once_not_both()
    {
        Assign(new AssignResponsibility(Party.Seller, "Install sensors", null, Cadence.Monthly, 5, Now.AddDays(3)));
        ThenRejected(RejectionKind.Unprocessable, "Recurring or once");
    }

    [Fact]
    public void it_serves_a_commitment_that_exists_and_has_time_left()
    {
        Assign(new AssignResponsibility(Party.Customer, "Data", UnknownId, Cadence.Monthly, 5, null));
        ThenRejected(RejectionKind.NotFound, "Commitment not found");
        Assign(new AssignResponsibility(Party.Customer, "Data", CommitmentId, Cadence.Monthly, 5, null), At(Day(12, 7)));
        ThenRejected(RejectionKind.Unprocessable, "Nothing left to be due");
    }
}

public class the_scheduled_check_of_a_responsibility : OutcomeSpec
{
    public the_scheduled_check_of_a_responsibility() => Given(AnOutcomeAccount(), ACommitment(), CustomerSuppliesDataMonthly());

    private Decision Check(DateTimeOffset now) => When(a => ResponsibilityDecisions.Check(a, ResponsibilityId, now));

    [Fact]
    public void does_nothing_before_the_due_time()
    {
        Check(At(Day(1, 5), 23));
        ThenNothingHappens();
    }

    [Fact]
    public void records_a_miss_once_the_due_time_has_passed_unfulfilled()
    {
        Check(Midnight(Day(1, 6)));
        Then(new ResponsibilityMissed(ResponsibilityId, FirstOf(1), EndOf(1), Midnight(Day(1, 6)), Midnight(Day(1, 6))));
    }

    [Fact]
    public void catches_up_on_every_occurrence_it_finds_overdue_and_records_each_once()
    {
        Given(FulfilledFor(2, At(Day(2, 3))));
        Check(At(Day(3, 20)));
        Assert.Equal([FirstOf(1), FirstOf(3)], Decision.Events.Cast<ResponsibilityMissed>().Select(m => m.PeriodStart));
        Given(Decision.Events.ToArray());
        Check(At(Day(3, 21)));
        ThenNothingHappens();
    }

    [Fact]
    public void a_fulfilment_after_the_due_time_does_not_prevent_the_miss()
    {
        Given(FulfilledFor(1, At(Day(1, 7))));
        Check(At(Day(1, 8)));
        Assert.Equal(FirstOf(1), ThenOne<ResponsibilityMissed>().PeriodStart);
    }

    [Fact]
    public void an_unknown_responsibility_is_not_found()
    {
        When(a => ResponsibilityDecisions.Check(a, UnknownId, At(Day(3, 1))));
        ThenRejected(RejectionKind.NotFound, "Responsibility not found");
    }
}

public class a_missed_responsibility_on_the_commitment : OutcomeSpec
{
    public a_missed_responsibility_on_the_commitment() => Given(AnOutcomeAccount(), ACommitment(), Measured(1, 90));

    [Fact]
    public void a_missed_customer_responsibility_blocks_the_commitment()
    {
        Given(CustomerSuppliesDataMonthly(), MissedFor(2));
        Assert.Equal(CommitmentStatus.AtRisk, Figures().Status);
        Assert.StartsWith("Blocked by a missed customer responsibility: 'Supply monthly usage data' for 2026-02-01..2026-02-28", Figures().StatusReason);
        Assert.True(Figures().AtRiskValue > 0);
    }

    [Fact]
    public void a_late_fulfilment_lifts_the_block_and_keeps_the_miss_on_record()
    {
        Given(CustomerSuppliesDataMonthly(), MissedFor(2), FulfilledFor(2, At(Day(2, 12))));
        Assert.Equal(CommitmentStatus.OnTrack, Figures().Status);
        var miss = Assert.Single(Commitment().Accountability.Misses);
        Assert.Equal(At(Day(2, 12)), miss.FulfilledLateAt);
        Assert.Equal(At(Day(2, 12)), Assert.Single(State.FindResponsibility(ResponsibilityId)!.Misses).FulfilledLateAt);
    }

    [Fact]
    public void a_missed_seller_responsibility_puts_it_at_risk_too()
    {
        Given(CustomerSuppliesDataMonthly(party: Party.Seller), MissedFor(2));
        Assert.Equal(CommitmentStatus.AtRisk, Figures().Status);
        Assert.StartsWith("A seller responsibility was missed", Figures().StatusReason);
    }

    [Fact]
    public void a_responsibility_of_the_whole_account_concerns_every_live_commitment()
    {
        Given(ACommitment(OtherCommitmentId), ACommitment(Guid.Parse("c0000000-0000-0000-0000-0000000000ee"), start: FirstOf(6)),
            CustomerSuppliesDataMonthly() with { CommitmentId = null }, MissedFor(2));
        Assert.Single(Commitment().Accountability.Misses);
        Assert.Single(Commitment(OtherCommitmentId).Accountability.Misses);
        Assert.Empty(Commitment(Guid.Parse("c0000000-0000-0000-0000-0000000000ee")).Accountability.Misses);
    }
}

public class fulfilling_a_responsibility : OutcomeSpec
{
    private static readonly DateTimeOffset Now = At(Day(2, 3));

    public fulfilling_a_responsibility() => Given(AnOutcomeAccount(), ACommitment(), CustomerSuppliesDataMonthly());

    private Decision Fulfil(DateOnly? start, DateOnly? end, Guid? id = null) =>
        When(a => ResponsibilityDecisions.Fulfil(a, id ?? ResponsibilityId, ResponsibilityId, new FulfilResponsibility(start, end, " Sent "), Buyer, Now));

    [Fact]
    public void records_the_periods_it_covers()
    {
        Fulfil(FirstOf(2), EndOf(3));
        Then(new ResponsibilityFulfilled(ResponsibilityId, ResponsibilityId, FirstOf(2), EndOf(3), "Sent", Buyer, Now));
    }

    [Fact]
    public void a_period_that_covers_no_whole_month_is_refused_with_an_example()
    {
        Fulfil(Day(2, 2), EndOf(2));
        Assert.Contains("2026-02-01..2026-02-28", ThenRejected(RejectionKind.Unprocessable, "Covers no period of the responsibility").Detail);
        Fulfil(null, null);
        ThenRejected(RejectionKind.Unprocessable, "Which period");
    }

    [Fact]
    public void a_period_already_fulfilled_is_a_conflict()
    {
        Given(FulfilledFor(2, Now));
        Fulfil(FirstOf(2), EndOf(2));
        ThenRejected(RejectionKind.Conflict, "Already fulfilled");
        Fulfil(FirstOf(2), EndOf(3));
        Assert.Single(Decision.Events);
    }

    [Fact]
    public void a_one_off_is_fulfilled_once()
    {
        var oneOff = Guid.Parse("70000000-0000-0000-0000-000000000002");
        Given(new ResponsibilityAssigned(oneOff, Party.Seller, "Install sensors", null, null, null, At(Day(3, 1)), Csm, At(Day(1, 10))));
        Fulfil(null, null, oneOff);
        Assert.Single(Decision.Events);
        Given(Decision.Events.ToArray());
        Fulfil(null, null, oneOff);
        ThenRejected(RejectionKind.Conflict, "Already fulfilled");
    }

    [Fact]
    public void an_unknown_responsibility_is_not_found()
    {
        Fulfil(FirstOf(2), EndOf(2), UnknownId);
        ThenRejected(RejectionKind.NotFound, "Responsibility not found");
    }
}

public class the_end_of_a_commitment_period : OutcomeSpec
{
    private static readonly DateTimeOffset AfterTheEnd = Midnight(FirstOf(1, 2027));

    public the_end_of_a_commitment_period() => Given(AnOutcomeAccount(), ACommitment(), Measured(1, 90), Measured(6, 85));

    private Decision Check(DateTimeOffset now) => When(a => TargetCheck.Check(a, CommitmentId, now));

    [Fact]
    public void is_checked_at_the_first_moment_after_it()
    {
        Assert.Equal(AfterTheEnd, TargetCheck.CheckAt(EndOf(12)));
        Check(At(EndOf(12), 23));
        ThenNothingHappens();
    }

    [Fact]
    public void without_the_target_records_the_miss_and_the_commitment_is_missed()
    {
        Check(AfterTheEnd);
        var miss = ThenOne<TargetMissedAtPeriodEnd>();
        Assert.Equal((CommitmentId, EndOf(12), 0.75m, EndOf(6), AfterTheEnd), (miss.CommitmentId, miss.PeriodEnd, miss.LatestProgress, miss.LatestMeasuredPeriodEnd, miss.DetectedAt));
        Assert.Empty(miss.ExcusingResponsibilities);
        Assert.Equal(CommitmentStatus.Missed, Figures().Status);
        Assert.StartsWith("The period ended on 2026-12-31 without the target reached", Figures().StatusReason);
        Given(Decision.Events.ToArray());
        Check(AfterTheEnd.AddDays(1));
        ThenNothingHappens();
    }

    [Fact]
    public void says_when_a_missed_customer_responsibility_excuses_the_miss()
    {
        Given(CustomerSuppliesDataMonthly(), MissedFor(4));
        Check(AfterTheEnd);
        Assert.Equal([ResponsibilityId], ThenOne<TargetMissedAtPeriodEnd>().ExcusingResponsibilities);
        Assert.Equal(CommitmentStatus.Missed, Figures().Status);
        Assert.Contains("while the customer missed its responsibilities: 'Supply monthly usage data' for 2026-04-01..2026-04-30", Figures().StatusReason);
    }

    [Fact]
    public void a_reached_target_or_a_withdrawal_records_nothing()
    {
        Given(Measured(12, 80));
        Check(AfterTheEnd);
        ThenNothingHappens();
        Assert.Equal(CommitmentStatus.Achieved, Figures().Status);
    }

    [Fact]
    public void a_withdrawn_commitment_records_nothing()
    {
        Given(new CommitmentWithdrawn(CommitmentId, "Plant closed", At(Day(8, 1))));
        Check(AfterTheEnd);
        ThenNothingHappens();
    }

    [Fact]
    public void a_later_measurement_that_reaches_the_target_wins_over_the_recorded_miss()
    {
        Given(new TargetMissedAtPeriodEnd(CommitmentId, EndOf(12), 0.75m, EndOf(6), [], AfterTheEnd), Measured(12, 79));
        Assert.Equal(CommitmentStatus.Achieved, Figures().Status);
    }
}
