namespace ValueLedger.Domain.Tests;

// Confidence of a realized claim: high only with a clear baseline, a recent measurement from a stable source and
// customer confirmation. Each gap is named, not hidden; missing data is shown as missing, never as zero.

public class a_claim_with_no_gap : Spec
{
    // Sourced baseline; January and February imported with evidence and confirmed; nothing overdue.
    public a_claim_with_no_gap() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026(),
        Measured(January, 90), Confirmed(January), Measured(February, 88), Confirmed(February));

    [Fact] public void has_high_confidence() => Assert.Equal(Level.High, Figures().Confidence);

    [Fact] public void names_no_gap() => Assert.Empty(Figures().Gaps);

    [Fact] public void makes_the_account_confident_too() => Assert.Equal(Level.High, AccountFigures.Confidence);

    [Fact]
    public void measurements_from_a_system_feed_need_no_evidence_link()
    {
        Given(Measured(March, 87, source: MeasurementSource.System, evidence: null), Confirmed(March));
        Assert.Equal(Level.High, Figures().Confidence);
    }

    [Fact]
    public void a_hand_entered_measurement_with_evidence_is_not_self_reported()
    {
        Given(Measured(March, 87, source: MeasurementSource.Manual, evidence: Evidence), Confirmed(March));
        Assert.Equal(Level.High, Figures().Confidence);
    }
}

public class a_baseline_without_a_source : Spec
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void is_named_and_the_confidence_is_low(string? source)
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(baselineSource: source), Measured(January, 90), Confirmed(January));
        Assert.Equal([GapCode.NoBaselineSource], Figures().Gaps.Select(g => g.Code));
        Assert.Equal(Level.Low, Figures().Confidence);
    }

    [Fact]
    public void a_revision_with_a_sourced_baseline_closes_the_gap()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(baselineSource: null), Measured(January, 90), Confirmed(January),
            Revised(2, FirstOf(February), baseline: new Baseline(100, Day(December, 31, 2025), "Energy audit 2025")));
        Assert.Empty(Figures().Gaps);
        Assert.Equal(Level.High, Figures().Confidence);
    }
}

public class a_claim_with_nothing_measured : Spec
{
    public a_claim_with_nothing_measured() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026());

    [Fact]
    public void names_the_missing_measurement_and_has_low_confidence()
    {
        var gap = Assert.Single(Figures().Gaps);
        Assert.Equal(GapCode.NoMeasurement, gap.Code);
        Assert.Contains("unknown, not zero", gap.Detail);
        Assert.Equal(Level.Low, Figures().Confidence);
    }

    [Fact] public void shows_progress_as_missing_not_zero() => Assert.Null(Figures().Progress);

    [Fact] public void shows_the_realization_rate_as_missing_not_zero() => Assert.Null(Figures().RealizationRate);

    [Fact] public void shows_the_latest_improvement_as_missing() => Assert.Null(Figures().LatestImprovement);

    [Fact]
    public void shows_no_last_measurement()
    {
        Assert.Null(Figures().LastMeasuredAt);
        Assert.Null(Figures().LastMeasuredPeriodEnd);
        Assert.Empty(Figures().Measurements);
    }

    [Fact] public void still_shows_what_was_promised() => Assert.Equal(240_000m, Figures().PromisedValue);

    [Fact]
    public void names_an_overdue_measurement_as_well()
    {
        Given(WentStale(null, EndOf(February)));
        Assert.Equal([GapCode.NoMeasurement, GapCode.Stale], Figures().Gaps.Select(g => g.Code));
        Assert.Contains("the start", Figures().Gaps[1].Detail);
    }
}

public class a_stale_claim : Spec
{
    public a_stale_claim() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026(),
        Measured(January, 90), Confirmed(January), WentStale(EndOf(January), EndOf(March)));

    [Fact]
    public void names_the_stale_data_and_what_was_due()
    {
        var gap = Assert.Single(Figures().Gaps);
        Assert.Equal(GapCode.Stale, gap.Code);
        Assert.Equal("No measurement newer than 2026-01-31; one was due by 2026-03-31.", gap.Detail);
    }

    [Fact] public void has_medium_confidence() => Assert.Equal(Level.Medium, Figures().Confidence);
}

public class a_self_reported_claim : Spec
{
    public a_self_reported_claim() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026(),
        Measured(January, 90), Confirmed(January),
        Measured(February, 88, source: MeasurementSource.Manual, evidence: null), Confirmed(February));

    [Fact]
    public void names_the_measurements_entered_by_hand_without_evidence()
    {
        var gap = Assert.Single(Figures().Gaps);
        Assert.Equal(GapCode.SelfReportedWithoutEvidence, gap.Code);
        Assert.Equal("1 of 2 measurements were entered by hand without evidence.", gap.Detail);
    }

    [Fact] public void has_medium_confidence() => Assert.Equal(Level.Medium, Figures().Confidence);

    [Fact]
    public void a_correction_bringing_evidence_closes_the_gap()
    {
        Given(Corrected(February, 88, evidence: "https://evidence.example/feb.pdf"), Confirmed(February, revision: 2));
        Assert.Empty(Figures().Gaps);
    }
}

public class an_unconfirmed_claim : Spec
{
    public an_unconfirmed_claim() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026(),
        Measured(January, 90), Confirmed(January), Measured(February, 88));

    [Fact]
    public void names_the_measurements_the_customer_has_not_confirmed()
    {
        var gap = Assert.Single(Figures().Gaps);
        Assert.Equal(GapCode.Unconfirmed, gap.Code);
        Assert.Equal("1 of 2 measurements are not confirmed by the customer.", gap.Detail);
    }

    [Fact] public void has_medium_confidence() => Assert.Equal(Level.Medium, Figures().Confidence);

    [Fact]
    public void a_correction_of_a_confirmed_measurement_is_unconfirmed_again()
    {
        Given(Confirmed(February), Corrected(January, 89));
        Assert.Equal([GapCode.Unconfirmed], Figures().Gaps.Select(g => g.Code));
    }
}

public class a_disputed_claim : Spec
{
    public a_disputed_claim() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026(),
        Measured(January, 90), Disputed(January), Measured(February, 88), Confirmed(February));

    [Fact]
    public void names_the_disputed_measurements()
    {
        var gap = Assert.Single(Figures().Gaps);
        Assert.Equal(GapCode.Disputed, gap.Code);
        Assert.Equal("1 of 2 measurements are disputed by the customer.", gap.Detail);
    }

    [Fact] public void has_low_confidence_even_when_the_latest_is_confirmed() => Assert.Equal(Level.Low, Figures().Confidence);
}

public class a_claim_with_several_gaps : Spec
{
    [Fact]
    public void names_each_of_them_and_three_make_the_confidence_low()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(),
            Measured(January, 90, source: MeasurementSource.Manual, evidence: null), WentStale(EndOf(January), EndOf(March)));
        Assert.Equal([GapCode.Stale, GapCode.SelfReportedWithoutEvidence, GapCode.Unconfirmed], Figures().Gaps.Select(g => g.Code));
        Assert.Equal(Level.Low, Figures().Confidence);
    }

    [Fact]
    public void two_minor_gaps_are_medium()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90, source: MeasurementSource.Manual, evidence: null));
        Assert.Equal([GapCode.SelfReportedWithoutEvidence, GapCode.Unconfirmed], Figures().Gaps.Select(g => g.Code));
        Assert.Equal(Level.Medium, Figures().Confidence);
    }
}
