namespace ValueLedger.Domain.Tests;

// Verification: the customer confirms or disputes a measurement; what was confirmed, by whom, when, which revision.

public class when_a_measurement_is_confirmed : Spec
{
    public when_a_measurement_is_confirmed()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90));
        When(account => MeasurementDecisions.Confirm(account, CommitmentId, MeasurementId(January),
            new ConfirmMeasurement(BuyerSigner, "Matches our meter"), Now));
    }

    [Fact]
    public void it_records_who_confirmed_which_revision_and_when() =>
        Then(new MeasurementConfirmed(CommitmentId, MeasurementId(January), 1, Buyer, "Matches our meter", Now, BuyerSigner));

    [Fact]
    public void the_measurement_is_confirmed()
    {
        Assert.Equal(VerificationState.Confirmed, Measurement(January).VerificationState);
        Assert.Equal(new Verification(VerificationState.Confirmed, 1, Buyer, "Matches our meter", Now, BuyerSigner), Measurement(January).CurrentVerification);
    }

    [Fact]
    public void it_cannot_be_confirmed_twice()
    {
        Given(Decision.Events.ToArray());
        When(account => MeasurementDecisions.Confirm(account, CommitmentId, MeasurementId(January), new ConfirmMeasurement(BuyerSigner, null), Now));
        var rejection = ThenRejected(RejectionKind.Unprocessable, "Already confirmed");
        Assert.Contains(Buyer, rejection.Detail);
        Assert.Contains("Revision 1", rejection.Detail);
    }

    [Fact]
    public void the_customer_may_still_dispute_it_later()
    {
        Given(Decision.Events.ToArray());
        When(account => MeasurementDecisions.Dispute(account, CommitmentId, MeasurementId(January),
            new DisputeMeasurement(BuyerSigner, "Our controller found an error"), Now));
        Assert.True(Decision.IsAccepted);
        Assert.Equal(VerificationState.Disputed, Measurement(January).VerificationState);
        Assert.Equal([VerificationState.Confirmed, VerificationState.Disputed], Measurement(January).Verifications.Select(v => v.State));
    }
}

public class when_a_measurement_is_disputed : Spec
{
    public when_a_measurement_is_disputed()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90));
        When(account => MeasurementDecisions.Dispute(account, CommitmentId, MeasurementId(January),
            new DisputeMeasurement(BuyerSigner, " Line 3 was idle that month "), Now));
    }

    [Fact]
    public void it_records_who_disputed_which_revision_and_why() =>
        Then(new MeasurementDisputed(CommitmentId, MeasurementId(January), 1, Buyer, "Line 3 was idle that month", Now, BuyerSigner));

    [Fact]
    public void the_measurement_is_disputed() => Assert.Equal(VerificationState.Disputed, Measurement(January).VerificationState);

    [Fact]
    public void the_reason_is_shown_in_the_audit_trail() => Assert.Equal("Line 3 was idle that month", ((IHasReason)Decision.Events[0]).Reason);

    [Fact]
    public void it_cannot_be_disputed_twice()
    {
        Given(Decision.Events.ToArray());
        When(account => MeasurementDecisions.Dispute(account, CommitmentId, MeasurementId(January), new DisputeMeasurement(BuyerSigner, "Still wrong"), Now));
        var rejection = ThenRejected(RejectionKind.Unprocessable, "Already disputed");
        Assert.Contains("correct it", rejection.Detail);
    }

    [Fact]
    public void the_figures_still_count_it_but_name_the_dispute()
    {
        Assert.Equal(10_000m, Figures().RealizedValue);
        Assert.Contains(Figures().Gaps, g => g.Code == GapCode.Disputed);
    }
}

public class verifying_a_corrected_measurement : Spec
{
    // January was disputed, then corrected: the correction is revision 2 and is asked about afresh.
    public verifying_a_corrected_measurement() =>
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90), Disputed(January), Corrected(January, 93));

    [Fact]
    public void the_correction_is_unconfirmed() => Assert.Equal(VerificationState.Unconfirmed, Measurement(January).VerificationState);

    [Fact]
    public void the_revision_confirmed_is_recorded()
    {
        When(account => MeasurementDecisions.Confirm(account, CommitmentId, MeasurementId(January), new ConfirmMeasurement(BuyerSigner, "Now right"), Now));
        Then(new MeasurementConfirmed(CommitmentId, MeasurementId(January), 2, Buyer, "Now right", Now, BuyerSigner));
        Assert.Equal(
            [(VerificationState.Disputed, 1), (VerificationState.Confirmed, 2)],
            Measurement(January).Verifications.Select(v => (v.State, v.Revision)));
    }

    [Fact]
    public void the_correction_may_be_disputed_in_its_turn()
    {
        When(account => MeasurementDecisions.Dispute(account, CommitmentId, MeasurementId(January), new DisputeMeasurement(BuyerSigner, "Still too high"), Now));
        Then(new MeasurementDisputed(CommitmentId, MeasurementId(January), 2, Buyer, "Still too high", Now, BuyerSigner));
    }

    [Fact]
    public void a_confirmation_of_an_earlier_revision_does_not_confirm_the_current_one()
    {
        Given(Confirmed(January, revision: 1));
        Assert.Equal(VerificationState.Unconfirmed, Measurement(January).VerificationState);
    }
}

public class a_disputed_measurement_confirmed_without_correction : Spec
{
    [Fact]
    public void is_confirmed_the_customer_withdrew_its_dispute()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90), Disputed(January));
        When(account => MeasurementDecisions.Confirm(account, CommitmentId, MeasurementId(January), new ConfirmMeasurement(BuyerSigner, "Checked again"), Now));
        Then(new MeasurementConfirmed(CommitmentId, MeasurementId(January), 1, Buyer, "Checked again", Now, BuyerSigner));
        Assert.Equal(VerificationState.Confirmed, Measurement(January).VerificationState);
    }
}

public class verifying_what_does_not_exist : Spec
{
    public verifying_what_does_not_exist() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90));

    [Fact]
    public void confirming_an_unknown_measurement_is_not_found()
    {
        When(account => MeasurementDecisions.Confirm(account, CommitmentId, UnknownId, new ConfirmMeasurement(BuyerSigner, null), Now));
        ThenRejected(RejectionKind.NotFound, "Measurement not found");
    }

    [Fact]
    public void disputing_in_an_unknown_commitment_is_not_found()
    {
        When(account => MeasurementDecisions.Dispute(account, UnknownId, MeasurementId(January), new DisputeMeasurement(BuyerSigner, "Why"), Now));
        ThenRejected(RejectionKind.NotFound, "Commitment not found");
    }
}

public class when_staff_record_a_confirmation_on_behalf_of_the_customer : Spec
{
    private const string Csm = "casey.csm";

    public when_staff_record_a_confirmation_on_behalf_of_the_customer()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90));
        When(account => VerificationDecisions.ConfirmOnBehalf(account, CommitmentId, MeasurementId(January),
            new ConfirmOnBehalf(" Erik Lund (CFO) ", " letter 2026-02-03 ", "Phoned in"), Csm, Now));
    }

    [Fact]
    public void it_is_a_different_event_naming_who_stated_it_and_who_recorded_it() =>
        Then(new MeasurementConfirmedOnBehalf(CommitmentId, MeasurementId(January), 1, "Erik Lund (CFO)", "letter 2026-02-03", "Phoned in", Csm, Now));

    [Fact]
    public void it_is_not_the_customers_own_confirmation()
    {
        Assert.Equal(VerificationState.ConfirmedOnBehalf, Measurement(January).VerificationState);
        Assert.Contains(Figures().Gaps, g => g.Code == GapCode.ConfirmedOnBehalf);
        Assert.DoesNotContain(Figures().Gaps, g => g.Code == GapCode.Unconfirmed);
        Assert.NotEqual(Level.High, Figures().Confidence);
    }

    [Fact]
    public void the_customer_may_still_confirm_it_themselves_which_closes_the_gap()
    {
        Given(Decision.Events.ToArray());
        When(account => MeasurementDecisions.Confirm(account, CommitmentId, MeasurementId(January), new ConfirmMeasurement(BuyerSigner, null), Now));
        Assert.True(Decision.IsAccepted);
        Assert.Equal(VerificationState.Confirmed, Measurement(January).VerificationState);
        Assert.DoesNotContain(Figures().Gaps, g => g.Code == GapCode.ConfirmedOnBehalf);
    }

    [Fact]
    public void it_is_refused_once_the_customer_confirmed()
    {
        Given(Confirmed(January));
        When(account => VerificationDecisions.ConfirmOnBehalf(account, CommitmentId, MeasurementId(January),
            new ConfirmOnBehalf("Erik", "call", null), Csm, Now));
        ThenRejected(RejectionKind.Unprocessable, "Already confirmed");
    }
}

public class a_dispute_thread : Spec
{
    private const string Csm = "casey.csm";

    [Fact]
    public void customer_success_answers_a_dispute_with_a_comment()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90), Disputed(January));
        When(account => VerificationDecisions.Answer(account, CommitmentId, MeasurementId(January), new AnswerDispute(" The pilot line is excluded, see p.3 "), Csm, Now));
        Then(new MeasurementDisputeAnswered(CommitmentId, MeasurementId(January), 1, "The pilot line is excluded, see p.3", Csm, Now));
        Assert.Equal([new ThreadComment(1, "The pilot line is excluded, see p.3", Csm, Now)], Measurement(January).Comments);
        Assert.Equal(VerificationState.Disputed, Measurement(January).VerificationState);
    }

    [Fact]
    public void there_is_no_thread_to_answer_without_a_dispute()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90));
        When(account => VerificationDecisions.Answer(account, CommitmentId, MeasurementId(January), new AnswerDispute("Hello"), Csm, Now));
        ThenRejected(RejectionKind.Unprocessable, "No dispute to answer");
    }
}
