namespace ValueLedger.Domain.Tests;

// Corrections: a wrong number is corrected by a new event that supersedes it, never edited; the history stays.

public class when_a_measurement_is_corrected : Spec
{
    // January was recorded at 90 and confirmed by the customer; the meter was misread, it was 85.
    public when_a_measurement_is_corrected()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90), Confirmed(January));
        When(account => MeasurementDecisions.Correct(account, CommitmentId, MeasurementId(January),
            new CorrectMeasurement(85, " Meter was misread ", null), Recorder, Now));
    }

    [Fact]
    public void it_records_the_correction_as_the_next_revision() =>
        Then(new MeasurementCorrected(CommitmentId, MeasurementId(January), 2, 85, "Meter was misread", null, Recorder, Now));

    [Fact]
    public void it_supersedes_the_old_value()
    {
        Assert.Equal(85m, Measurement(January).Value);
        Assert.Equal(2, Measurement(January).Revision);
    }

    [Fact]
    public void it_keeps_the_old_value_in_history()
    {
        Assert.Equal(
            [
                new MeasuredValue(1, 90, Evidence, null, Recorder, At(EndOf(January).AddDays(5))),
                new MeasuredValue(2, 85, Evidence, "Meter was misread", Recorder, Now)
            ],
            Measurement(January).Values);
    }

    [Fact]
    public void it_needs_confirming_again()
    {
        Assert.Equal(VerificationState.Unconfirmed, Measurement(January).VerificationState);
        Assert.Null(Measurement(January).CurrentVerification);
    }

    [Fact]
    public void the_confirmation_of_the_old_value_stays_in_history()
    {
        var confirmation = Assert.Single(Measurement(January).Verifications);
        Assert.Equal(VerificationState.Confirmed, confirmation.State);
        Assert.Equal(1, confirmation.Revision);
    }

    [Fact]
    public void it_keeps_the_evidence_when_the_correction_brings_none() => Assert.Equal(Evidence, Measurement(January).EvidenceUrl);

    [Fact]
    public void the_figures_use_the_corrected_value()
    {
        Assert.Equal(85m, Figures().Measurements.Single().Value);
        Assert.Equal(15_000m, Figures().RealizedValue);
        Assert.Equal(0.75m, Figures().Progress);
        Assert.Equal(0.75m, Figures().RealizationRate);
    }

    [Fact]
    public void the_period_stays_measured()
    {
        var decision = MeasurementDecisions.Record(State, MeasurementId(99), Record(January, 85), Recorder, Now);
        Assert.Equal(RejectionKind.Conflict, decision.Rejection?.Kind);
    }

    [Fact]
    public void the_reason_is_shown_in_the_audit_trail() => Assert.Equal("Meter was misread", ((IHasReason)Decision.Events[0]).Reason);
}

public class when_a_measurement_is_corrected_again : Spec
{
    public when_a_measurement_is_corrected_again()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90), Corrected(January, 85));
        When(account => MeasurementDecisions.Correct(account, CommitmentId, MeasurementId(January),
            new CorrectMeasurement(86, "Late meter reading added", "https://evidence.example/meter-v3.csv"), Recorder, Now));
    }

    [Fact]
    public void it_is_the_third_revision() =>
        Then(new MeasurementCorrected(CommitmentId, MeasurementId(January), 3, 86, "Late meter reading added",
            "https://evidence.example/meter-v3.csv", Recorder, Now));

    [Fact]
    public void every_value_stays_in_history() => Assert.Equal([90m, 85m, 86m], Measurement(January).Values.Select(v => v.Value));

    [Fact]
    public void new_evidence_replaces_the_current_evidence() =>
        Assert.Equal("https://evidence.example/meter-v3.csv", Measurement(January).EvidenceUrl);

    [Fact]
    public void only_the_latest_correction_counts() => Assert.Equal(14_000m, Figures().RealizedValue);
}

public class a_correction_that_changes_nothing : Spec
{
    public a_correction_that_changes_nothing() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90));

    [Fact]
    public void the_same_value_without_new_evidence_is_refused()
    {
        When(account => MeasurementDecisions.Correct(account, CommitmentId, MeasurementId(January), new CorrectMeasurement(90, "Resend", null), Recorder, Now));
        ThenRejected(RejectionKind.Unprocessable, "Nothing to correct");
    }

    [Fact]
    public void the_same_value_with_new_evidence_is_accepted()
    {
        When(account => MeasurementDecisions.Correct(account, CommitmentId, MeasurementId(January),
            new CorrectMeasurement(90, "Signed meter report attached", "https://evidence.example/signed.pdf"), Recorder, Now));
        Then(new MeasurementCorrected(CommitmentId, MeasurementId(January), 2, 90, "Signed meter report attached",
            "https://evidence.example/signed.pdf", Recorder, Now));
        Assert.Equal("https://evidence.example/signed.pdf", Measurement(January).EvidenceUrl);
    }
}

public class a_correction_to_a_worse_value : Spec
{
    [Fact]
    public void turns_realized_value_negative()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90), Corrected(January, 104));
        Assert.Equal(-4_000m, Figures().RealizedValue);
        Assert.Equal(0m, Figures().Progress);
    }
}

public class correcting_what_does_not_exist : Spec
{
    public correcting_what_does_not_exist() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90));

    [Fact]
    public void an_unknown_measurement_is_not_found()
    {
        When(account => MeasurementDecisions.Correct(account, CommitmentId, UnknownId, new CorrectMeasurement(85, "Typo", null), Recorder, Now));
        ThenRejected(RejectionKind.NotFound, "Measurement not found");
    }

    [Fact]
    public void an_unknown_commitment_is_not_found()
    {
        When(account => MeasurementDecisions.Correct(account, UnknownId, MeasurementId(January), new CorrectMeasurement(85, "Typo", null), Recorder, Now));
        ThenRejected(RejectionKind.NotFound, "Commitment not found");
    }
}
