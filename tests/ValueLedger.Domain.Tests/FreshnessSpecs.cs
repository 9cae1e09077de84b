namespace ValueLedger.Domain.Tests;

// Freshness: a commitment goes stale when no measurement covers it for more than two cadence periods. A monthly
// commitment last measured for January is due a newer measurement by the end of March, and is stale from April 1st.

public class when_a_measurement_falls_due : Spec
{
    [Fact]
    public void with_nothing_measured_two_months_after_the_start()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026());
        Assert.Equal(EndOf(February), Freshness.DueBy(Commitment()));
    }

    [Fact]
    public void two_months_after_the_last_measured_month()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90));
        Assert.Equal(EndOf(March), Freshness.DueBy(Commitment()));
    }

    [Fact]
    public void from_the_latest_period_measured_not_the_latest_recorded()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(May, 90), Measured(February, 90));
        Assert.Equal(EndOf(July), Freshness.DueBy(Commitment()));
    }

    [Fact]
    public void two_quarters_after_the_last_measured_quarter()
    {
        Given(AnAccountOpened(), ACommitment(cadence: Cadence.Quarterly));
        Assert.Equal(EndOf(June), Freshness.DueBy(Commitment()));
        Given(MeasuredOver(FirstOf(January), EndOf(March), 90));
        Assert.Equal(EndOf(September), Freshness.DueBy(Commitment()));
    }

    [Fact]
    public void two_years_after_the_last_measured_year()
    {
        Given(AnAccountOpened(), ACommitment(cadence: Cadence.Yearly, end: EndOf(December, 2028)));
        Assert.Equal(EndOf(December, 2027), Freshness.DueBy(Commitment()));
        Given(MeasuredOver(FirstOf(January), EndOf(December), 90));
        Assert.Equal(EndOf(December, 2028), Freshness.DueBy(Commitment()));
    }

    [Fact]
    public void counting_a_measurement_about_to_be_recorded()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90));
        Assert.Equal(EndOf(May), Freshness.DueBy(Commitment(), measuredUntilAtLeast: EndOf(March)));
        Assert.Equal(EndOf(March), Freshness.DueBy(Commitment(), measuredUntilAtLeast: Day(January, 15)));
    }

    [Fact]
    public void the_next_check_is_the_first_moment_after_the_due_day()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90));
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), Freshness.NextCheckAt(Commitment()));
        Assert.Equal(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero), Freshness.NextCheckAt(Commitment(), EndOf(March)));
    }

    [Theory]
    [InlineData(Cadence.Monthly, null, "2026-02-28")]
    [InlineData(Cadence.Monthly, "2026-01-31", "2026-03-31")]
    [InlineData(Cadence.Monthly, "2026-11-30", "2027-01-31")]
    [InlineData(Cadence.Quarterly, "2026-06-30", "2026-12-31")]
    [InlineData(Cadence.Yearly, null, "2027-12-31")]
    public void is_two_cadence_periods_after_what_was_measured(Cadence cadence, string? measuredUntil, string dueBy) =>
        Assert.Equal(DateOnly.Parse(dueBy),
            Freshness.DueBy(cadence, FirstOf(January), measuredUntil is null ? null : DateOnly.Parse(measuredUntil)));

    [Fact]
    public void a_check_is_scheduled_at_midnight_utc_after_the_due_day() =>
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), Freshness.CheckAt(EndOf(February)));

    [Fact]
    public void nothing_is_due_once_the_last_period_is_measured()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(November, 82));
        Assert.True(Freshness.IsDue(Commitment()));
        Given(Measured(December, 81));
        Assert.False(Freshness.IsDue(Commitment()));
    }
}

public class when_freshness_is_checked : Spec
{
    // January measured; a newer measurement is due by March 31st.
    public when_freshness_is_checked() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90));

    private Decision CheckAt(DateTimeOffset now) => When(account => Freshness.Check(account, CommitmentId, now));

    [Fact]
    public void on_the_due_day_nothing_happens()
    {
        CheckAt(new DateTimeOffset(2026, 3, 31, 23, 59, 59, TimeSpan.Zero));
        ThenNothingHappens();
    }

    [Fact]
    public void after_the_due_day_the_measurements_went_stale()
    {
        var now = new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);
        CheckAt(now);
        Then(new MeasurementsWentStale(CommitmentId, EndOf(January), EndOf(March), now));
        Assert.True(Commitment().IsStale);
        Assert.Equal(new Staleness(EndOf(January), EndOf(March), now), Commitment().Staleness);
    }

    [Fact]
    public void the_day_is_taken_in_utc()
    {
        CheckAt(new DateTimeOffset(2026, 4, 1, 1, 0, 0, TimeSpan.FromHours(2))); // still March 31st in UTC
        ThenNothingHappens();
    }

    [Fact]
    public void it_is_not_reported_twice()
    {
        Given(WentStale(EndOf(January), EndOf(March)));
        CheckAt(At(Day(May, 15)));
        ThenNothingHappens();
    }

    [Fact]
    public void a_newer_measurement_clears_the_staleness()
    {
        Given(WentStale(EndOf(January), EndOf(March)), Measured(April, 86));
        Assert.False(Commitment().IsStale);
        Assert.Equal(CommitmentStatus.OnTrack, Figures().Status);
        Assert.DoesNotContain(Figures().Gaps, g => g.Code == GapCode.Stale);
    }

    [Fact]
    public void after_being_cleared_it_can_go_stale_again()
    {
        Given(WentStale(EndOf(January), EndOf(March)), Measured(April, 86));
        var now = At(Day(July, 1), 0);
        CheckAt(now);
        Then(new MeasurementsWentStale(CommitmentId, EndOf(April), EndOf(June), now));
    }

    [Fact]
    public void nothing_happens_when_the_last_period_is_measured()
    {
        Given(Measured(December, 81));
        CheckAt(At(Day(June, 1, 2027)));
        ThenNothingHappens();
    }

    [Fact]
    public void nothing_happens_for_a_withdrawn_commitment()
    {
        Given(Withdrawn());
        CheckAt(At(Day(June, 1)));
        ThenNothingHappens();
    }

    [Fact]
    public void an_unknown_commitment_is_not_found()
    {
        When(account => Freshness.Check(account, UnknownId, Now));
        ThenRejected(RejectionKind.NotFound, "Commitment not found");
    }
}

public class when_freshness_is_checked_before_anything_was_measured : Spec
{
    [Fact]
    public void it_went_stale_two_months_after_the_start()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026());
        var now = At(Day(March, 1), 0);
        When(account => Freshness.Check(account, CommitmentId, now));
        Then(new MeasurementsWentStale(CommitmentId, null, EndOf(February), now));
        Assert.True(Commitment().IsStale);
    }

    [Fact]
    public void a_first_measurement_clears_it()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), WentStale(null, EndOf(February)), Measured(January, 90));
        Assert.False(Commitment().IsStale);
    }

    [Fact]
    public void a_commitment_that_has_not_started_is_not_stale()
    {
        Given(AnAccountOpened(), ACommitment(start: FirstOf(July), end: EndOf(June, 2027)));
        When(account => Freshness.Check(account, CommitmentId, At(Day(March, 1))));
        ThenNothingHappens();
        Assert.Equal(EndOf(August), Freshness.DueBy(Commitment()));
    }
}

public class a_backfilled_measurement_of_an_earlier_period : Spec
{
    // March was measured, then nothing by the end of May; February is filled in afterwards.
    public a_backfilled_measurement_of_an_earlier_period() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026(),
        Measured(March, 88), WentStale(EndOf(March), EndOf(May)), Measured(February, 86));

    [Fact] public void does_not_clear_the_staleness() => Assert.True(Commitment().IsStale);

    [Fact] public void leaves_the_commitment_at_risk() => Assert.Equal(CommitmentStatus.AtRisk, Figures().Status);

    [Fact] public void does_not_move_the_due_date() => Assert.Equal(EndOf(May), Freshness.DueBy(Commitment()));
}

public class one_freshness_check_is_outstanding_per_commitment : Spec
{
    private static readonly DateTimeOffset April1st = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void a_check_that_finds_it_fresh_looks_again_when_the_next_measurement_falls_due()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90), Measured(February, 88));
        var check = When(account => Freshness.Check(account, CommitmentId, April1st));
        ThenNothingHappens();
        Assert.Equal(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero), Freshness.WatchAgainAt(Commitment(), check));
    }

    [Fact]
    public void a_check_that_finds_it_stale_stops_watching()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90));
        var before = Commitment();
        var check = When(account => Freshness.Check(account, CommitmentId, April1st));
        Assert.Null(Freshness.WatchAgainAt(before, check));
    }

    [Fact]
    public void nothing_more_is_watched_once_the_last_period_is_measured_or_withdrawn()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(December, 81));
        Assert.Null(Freshness.WatchAgainAt(Commitment(), When(account => Freshness.Check(account, CommitmentId, April1st))));
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Withdrawn());
        Assert.Null(Freshness.WatchAgainAt(Commitment(), When(account => Freshness.Check(account, CommitmentId, April1st))));
    }

    [Fact]
    public void a_measurement_of_a_fresh_commitment_schedules_nothing_more()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90));
        Assert.Null(Freshness.ResumeWatchAt(Commitment(), EndOf(February)));
    }

    [Fact]
    public void a_measurement_that_clears_a_staleness_resumes_the_watch()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90), WentStale(EndOf(January), EndOf(March)));
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero), Freshness.ResumeWatchAt(Commitment(), EndOf(April)));
    }

    [Fact]
    public void a_backfilled_measurement_leaves_it_stale_and_unwatched()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(March, 88), WentStale(EndOf(March), EndOf(May)));
        Assert.Null(Freshness.ResumeWatchAt(Commitment(), EndOf(February)));
    }
}
