namespace ValueLedger.Domain.Tests;

/// <summary>
/// Honest coverage (domain.md, More rules): only ended periods are measured, a provisional figure counts in no total
/// until the final one replaces it, and the elapsed periods no measurement covers are named, with coverage beside
/// every realization rate and a confidence that is not high while coverage is below 1. The commitment is monthly over
/// 2026, baseline 100, target 80, lower is better, 1,000 per unit (20,000 promised per month).
/// </summary>
public sealed class only_ended_periods_are_measured : Spec
{
    public only_ended_periods_are_measured() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026());

    [Fact]
    public void a_figure_for_a_period_that_has_not_ended_is_unprocessable()
    {
        // 10 July: July has not ended.
        When(account => MeasurementDecisions.Record(account, MeasurementId(7), Record(July, 90), Recorder, Now));
        var rejection = ThenRejected(RejectionKind.Unprocessable, "Period not ended");
        Assert.Contains("provisional", rejection.Detail);
    }

    [Fact]
    public void the_last_day_of_a_period_is_not_yet_its_end()
    {
        When(account => MeasurementDecisions.Record(account, MeasurementId(7), Record(July, 90), Recorder, At(EndOf(July), hour: 23)));
        ThenRejected(RejectionKind.Unprocessable, "Period not ended");
        When(account => MeasurementDecisions.Record(account, MeasurementId(7), Record(July, 90), Recorder, At(FirstOf(August), hour: 0)));
        Assert.True(Decision.IsAccepted);
    }

    [Fact]
    public void a_provisional_figure_is_recorded_and_counts_in_no_total()
    {
        Given(Measured(June, 90));
        When(account => MeasurementDecisions.Record(account, MeasurementId(7), Record(July, 85) with { Provisional = true }, Recorder, Now));
        var recorded = Assert.IsType<MeasurementRecorded>(Assert.Single(Decision.Events));
        Assert.True(recorded.Provisional);
        Assert.True(Measurement(July).Provisional);

        var figures = Figures();
        Assert.Equal(10_000m, figures.RealizedValue); // June only: improvement 10 × 1,000
        Assert.Equal(20_000m, figures.PromisedToDate);
        Assert.Equal(0.5m, figures.Progress);          // July's 85 would be 0.75
        Assert.Equal(EndOf(June), Commitment().Latest!.PeriodEnd); // freshness ignores it too
    }

    [Fact]
    public void provisional_is_refused_for_a_period_that_has_ended()
    {
        When(account => MeasurementDecisions.Record(account, MeasurementId(6), Record(June, 90) with { Provisional = true }, Recorder, Now));
        ThenRejected(RejectionKind.Unprocessable, "Period already ended");
    }

    [Fact]
    public void a_correction_after_the_period_ended_is_the_final_figure_and_makes_it_count()
    {
        Given(MeasuredOver(FirstOf(July), EndOf(July), 85, measurementId: MeasurementId(7)) with { Provisional = true });
        // Before the end a correction keeps it provisional.
        Given(new MeasurementCorrected(CommitmentId, MeasurementId(7), 2, 86, "Mid-month reading", null, Recorder, Now));
        Assert.True(Measurement(July).Provisional);
        Assert.Equal(0m, Figures().RealizedValue);

        // The same value again after the end is accepted: it finalises the figure.
        When(account => MeasurementDecisions.Correct(account, CommitmentId, MeasurementId(7), new CorrectMeasurement(86, "Final July reading", null),
            Recorder, At(Day(August, 3))));
        Assert.True(Decision.IsAccepted);
        Assert.False(Measurement(July).Provisional);
        Assert.Equal(14_000m, Figures().RealizedValue);
    }
}

public sealed class coverage_of_the_elapsed_periods : Spec
{
    public coverage_of_the_elapsed_periods() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026());

    [Fact]
    public void a_skipped_month_is_named_and_coverage_is_measured_weight_over_elapsed_weight()
    {
        Given(Measured(January, 95), Measured(February, 92), Measured(April, 88), Measured(May, 86), Measured(June, 85));
        var figures = CommitmentValuation.Evaluate(Commitment(), Day(July, 10));

        var coverage = figures.Coverage!;
        Assert.Equal(EndOf(June), coverage.ElapsedUntil);    // July has not ended
        Assert.Equal(6m, coverage.ElapsedWeight);
        Assert.Equal(5m, coverage.MeasuredWeight);
        Assert.Equal(R(5m / 6m), R(coverage.Ratio!.Value));
        Assert.Equal([new DateSpan(FirstOf(March), EndOf(March))], coverage.Unmeasured);
        Assert.Equal(6 * 20_000m, coverage.PromisedElapsed);
        var gap = Assert.Single(figures.Gaps, g => g.Code == GapCode.Unmeasured);
        Assert.Contains("2026-03-01..2026-03-31", gap.Detail);
        // The rate keeps its formula (missing is not zero): promised to date counts the five measured months only.
        Assert.Equal(100_000m, figures.PromisedToDate);
    }

    [Fact]
    public void confidence_is_not_high_while_coverage_is_below_one()
    {
        var confirmed = new[] { January, February, April }.SelectMany(month => new object[]
        {
            Measured(month, 90),
            new MeasurementConfirmed(CommitmentId, MeasurementId(month), 1, Buyer, null, At(FirstOf(month).AddMonths(1)), BuyerSigner)
        }).ToArray();
        Given(confirmed);
        Assert.Equal(Level.High, CommitmentValuation.Evaluate(Commitment(), Day(March, 15)).Confidence); // Jan, Feb elapsed, both measured
        var later = CommitmentValuation.Evaluate(Commitment(), Day(May, 2));                          // March unmeasured
        Assert.Equal(Level.Medium, later.Confidence);
        Assert.Equal(R(3m / 4m), R(later.Coverage!.Ratio!.Value));
    }

    [Fact]
    public void nothing_elapsed_before_the_first_period_ends_and_never_past_the_commitments_end()
    {
        Assert.Null(CommitmentValuation.Evaluate(Commitment(), Day(January, 20)).Coverage!.Ratio);
        var afterwards = CommitmentValuation.Evaluate(Commitment(), Day(March, 1, 2027)).Coverage!;
        Assert.Equal(EndOf(December), afterwards.ElapsedUntil);
        Assert.Equal(12m, afterwards.ElapsedWeight);
        Assert.Equal(12, afterwards.UnmeasuredCount);
    }

    [Fact]
    public void a_provisional_figure_does_not_cover_its_period()
    {
        Given(Measured(January, 90), MeasuredOver(FirstOf(February), EndOf(February), 88, measurementId: MeasurementId(2)) with { Provisional = true });
        var coverage = CommitmentValuation.Evaluate(Commitment(), Day(March, 5)).Coverage!;
        Assert.Equal(0.5m, coverage.Ratio);
        Assert.Equal([new DateSpan(FirstOf(February), EndOf(February))], coverage.Unmeasured);
    }

    [Fact]
    public void account_coverage_is_weighted_by_money_and_a_stored_summary_gives_the_same_on_a_later_day()
    {
        // A second commitment worth twice as much per month, measured every month; the first skips March.
        Given(AMonthlyCommitmentOver2026(unitValue: 2000, commitmentId: OtherCommitmentId),
            Measured(January, 90), Measured(February, 90), Measured(April, 90),
            Measured(January, 90, commitmentId: OtherCommitmentId, measurementId: MeasurementId(101)),
            Measured(February, 90, commitmentId: OtherCommitmentId, measurementId: MeasurementId(102)),
            Measured(March, 90, commitmentId: OtherCommitmentId, measurementId: MeasurementId(103)),
            Measured(April, 90, commitmentId: OtherCommitmentId, measurementId: MeasurementId(104)));
        var today = Day(May, 20);
        // Promised to date 3 × 20,000 + 4 × 40,000 over the elapsed promise 4 × 20,000 + 4 × 40,000.
        var expected = R((3 * 20_000m + 4 * 40_000m) / (4 * 20_000m + 4 * 40_000m));
        Assert.Equal(expected, R(AccountValuation.Evaluate(State, today).Coverage!.Value));

        var lines = AccountSummary.Of(State).Commitments;
        var elapsed = lines.Sum(l => l.CoverageOn(today)!.Value.PromisedElapsed);
        Assert.Equal(4 * 20_000m + 4 * 40_000m, elapsed);
        Assert.Equal(expected, R(lines.Sum(l => l.PromisedToDate) / elapsed));
        Assert.Equal(0.75m, lines.Single(l => l.Id == CommitmentId).CoverageOn(today)!.Value.Ratio);
    }

    [Fact]
    public void a_revision_reprices_the_elapsed_promise_from_its_effective_date()
    {
        Given(new CommitmentRevised(CommitmentId, 2, FirstOf(April), null, 70, null, null, "Stretch target", At(Day(March, 20))));
        var summary = AccountSummary.Of(State).Commitments.Single();
        // January to March at 20,000 a month, April and May at 30,000: the promise of the elapsed months either way.
        Assert.Equal(3 * 20_000m + 2 * 30_000m, summary.CoverageOn(Day(June, 2))!.Value.PromisedElapsed);
        Assert.Equal(3 * 20_000m + 2 * 30_000m, CommitmentValuation.Evaluate(Commitment(), Day(June, 2)).Coverage!.PromisedElapsed);
    }
}
