namespace ValueLedger.Domain.Tests;

// Accounts: opening, prioritisation (the article's step 4), folding the stream, and account figures as sums of the
// commitments' money figures with rates as ratios of those sums.

public class when_an_account_is_opened : Spec
{
    private readonly AccountOpened opened = AccountDecisions.Open(AccountId,
        new OpenAccount("  Nordic Paper Mill ", " Pulp and paper ", " Enterprise ", "eur", Approach.OutcomeCentric, " csm@seller.example "),
        Now);

    [Fact]
    public void it_records_the_customer_with_trimmed_names_and_an_upper_case_currency() =>
        Assert.Equal(new AccountOpened(AccountId, "Nordic Paper Mill", "Pulp and paper", "Enterprise", "EUR",
            Approach.OutcomeCentric, "csm@seller.example", Now), opened);

    [Fact]
    public void the_account_starts_from_that_event()
    {
        var account = Given(opened);
        Assert.Equal(AccountId, account.Id);
        Assert.Equal("EUR", account.Currency);
        Assert.Equal(Approach.OutcomeCentric, account.Approach);
        Assert.Equal(Now, account.OpenedAt);
        Assert.Empty(account.Commitments);
    }

    [Fact]
    public void it_is_not_yet_prioritised() => Assert.Equal(PriorityTier.Unassessed, Given(opened).PriorityTier);
}

public class folding_an_accounts_stream : Spec
{
    [Fact]
    public void nothing_can_happen_before_the_account_is_opened() =>
        Assert.Throws<InvalidOperationException>(() => Account.From([AMonthlyCommitmentOver2026()]));

    [Fact]
    public void an_event_about_an_unknown_commitment_is_refused() =>
        Assert.Throws<InvalidOperationException>(() => Account.From([AnAccountOpened(), Measured(January, 90)]));

    [Fact]
    public void an_event_about_an_unknown_measurement_is_refused() =>
        Assert.Throws<InvalidOperationException>(() => Account.From([AnAccountOpened(), AMonthlyCommitmentOver2026(), Confirmed(January)]));

    [Fact]
    public void each_commitment_keeps_its_own_measurements()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), AMonthlyCommitmentOver2026(commitmentId: OtherCommitmentId),
            Measured(January, 90), Measured(January, 95, commitmentId: OtherCommitmentId, measurementId: MeasurementId(101)));
        Assert.Equal(90m, Assert.Single(Commitment().Measurements).Value);
        Assert.Equal(95m, Assert.Single(Commitment(OtherCommitmentId).Measurements).Value);
    }
}

public class when_an_account_is_prioritised : Spec
{
    public when_an_account_is_prioritised()
    {
        Given(AnAccountOpened());
        When(account => Decision.Accept(AccountDecisions.Prioritise(account,
            new PrioritiseAccount(Level.High, Level.Medium, "Strong buying centre; still price-driven"), Now)));
    }

    [Fact]
    public void it_records_ability_willingness_and_the_tier_they_give() =>
        Then(new AccountPrioritised(AccountId, Level.High, Level.Medium, PriorityTier.ValueProspect,
            "Strong buying centre; still price-driven", Now));

    [Fact]
    public void the_account_carries_the_tier() => Assert.Equal(PriorityTier.ValueProspect, State.PriorityTier);

    [Fact]
    public void the_note_is_the_reason_shown_in_the_audit_trail() =>
        Assert.Equal("Strong buying centre; still price-driven", ((IHasReason)Decision.Events[0]).Reason);

    [Fact]
    public void a_later_assessment_replaces_the_earlier_one()
    {
        Given(Decision.Events.ToArray());
        When(account => Decision.Accept(AccountDecisions.Prioritise(account, new PrioritiseAccount(Level.High, Level.High, null), Now)));
        Assert.Equal(PriorityTier.ValuePartner, State.PriorityTier);
        Assert.Equal(new Prioritisation(Level.High, Level.High, PriorityTier.ValuePartner, null, Now), State.Prioritisation);
    }
}

public class the_priority_tier : Spec
{
    [Theory]
    [InlineData(Level.High, Level.High, PriorityTier.ValuePartner)]
    [InlineData(Level.High, Level.Medium, PriorityTier.ValueProspect)]
    [InlineData(Level.Medium, Level.High, PriorityTier.ValueProspect)]
    [InlineData(Level.Medium, Level.Medium, PriorityTier.Selective)]
    [InlineData(Level.High, Level.Low, PriorityTier.Selective)]
    [InlineData(Level.Low, Level.High, PriorityTier.Selective)]
    [InlineData(Level.Medium, Level.Low, PriorityTier.PriceBuyer)]
    [InlineData(Level.Low, Level.Medium, PriorityTier.PriceBuyer)]
    [InlineData(Level.Low, Level.Low, PriorityTier.PriceBuyer)]
    public void follows_from_ability_and_willingness_to_pay(Level ability, Level willingness, PriorityTier tier) =>
        Assert.Equal(tier, AccountDecisions.TierFor(ability, willingness));
}

public class account_figures_are_sums_of_its_commitments : Spec
{
    // Commitment 1: the worked example, January at 90: realized 10,000 of 20,000 promised to date (rate 0.5),
    //               promised 240,000.
    // Commitment 2: 100 per unit, January at 80 (the target): realized 2,000 of 2,000 (rate 1), promised 24,000.
    public account_figures_are_sums_of_its_commitments() => Given(
        AnAccountOpened(),
        AMonthlyCommitmentOver2026(),
        AMonthlyCommitmentOver2026(unitValue: 100, commitmentId: OtherCommitmentId),
        Measured(January, 90),
        Measured(January, 80, commitmentId: OtherCommitmentId, measurementId: MeasurementId(101)));

    [Fact] public void promised_value_is_the_sum() => Assert.Equal(240_000m + 24_000m, AccountFigures.PromisedValue);

    [Fact] public void promised_to_date_is_the_sum() => Assert.Equal(20_000m + 2_000m, AccountFigures.PromisedToDate);

    [Fact] public void realized_value_is_the_sum() => Assert.Equal(10_000m + 2_000m, AccountFigures.RealizedValue);

    [Fact]
    public void the_realization_rate_is_the_ratio_of_the_sums_not_the_average_of_the_rates()
    {
        Assert.Equal([0.5m, 1m], AccountFigures.Commitments.Select(c => c.RealizationRate));
        Assert.Equal(R(12_000m / 22_000m), R(AccountFigures.RealizationRate));
        Assert.NotEqual(R((0.5m + 1m) / 2), R(AccountFigures.RealizationRate));
    }

    [Fact]
    public void every_commitment_is_listed_with_its_own_figures() =>
        Assert.Equal([CommitmentId, OtherCommitmentId], AccountFigures.Commitments.Select(c => c.CommitmentId));

    [Fact]
    public void the_confidence_is_that_of_the_weakest_commitment()
    {
        Given(Confirmed(January, commitmentId: OtherCommitmentId) with { MeasurementId = MeasurementId(101) });
        Assert.Equal(Level.Medium, Figures().Confidence);
        Assert.Equal(Level.High, Figures(OtherCommitmentId).Confidence);
        Assert.Equal(Level.Medium, AccountFigures.Confidence);
    }

    [Fact]
    public void the_gaps_are_named_once_per_kind_with_how_many_commitments_have_them()
    {
        var gap = Assert.Single(AccountFigures.Gaps);
        Assert.Equal(GapCode.Unconfirmed, gap.Code);
        Assert.StartsWith("2 commitment(s):", gap.Detail);
    }
}

public class account_figures_without_any_measurement : Spec
{
    public account_figures_without_any_measurement() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026());

    [Fact] public void the_realization_rate_is_missing_not_zero() => Assert.Null(AccountFigures.RealizationRate);

    [Fact] public void the_promise_is_still_shown() => Assert.Equal(240_000m, AccountFigures.PromisedValue);

    [Fact] public void the_status_is_not_started() => Assert.Equal(CommitmentStatus.NotStarted, AccountFigures.Status);

    [Fact]
    public void an_account_without_commitments_has_no_confidence_at_all()
    {
        var figures = AccountValuation.Evaluate(Account.From([AnAccountOpened()]));
        Assert.Null(figures.Confidence);
        Assert.Null(figures.RealizationRate);
        Assert.Equal(0m, figures.PromisedValue);
    }
}

public class the_status_of_an_account : Spec
{
    public the_status_of_an_account() => Given(
        AnAccountOpened(), AMonthlyCommitmentOver2026(), AMonthlyCommitmentOver2026(commitmentId: OtherCommitmentId));

    private static MeasurementRecorded OtherMeasured(int month, decimal value) =>
        Measured(month, value, commitmentId: OtherCommitmentId, measurementId: MeasurementId(100 + month));

    [Fact]
    public void it_is_at_risk_when_any_commitment_is()
    {
        Given(Measured(January, 80), OtherMeasured(June, 98)); // achieved; far behind the path
        Assert.Equal(CommitmentStatus.AtRisk, AccountFigures.Status);
    }

    [Fact]
    public void it_is_achieved_when_every_commitment_is()
    {
        Given(Measured(January, 80), OtherMeasured(February, 79));
        Assert.Equal(CommitmentStatus.Achieved, AccountFigures.Status);
    }

    [Fact]
    public void it_is_missed_when_a_commitment_missed_and_none_is_at_risk()
    {
        Given(Measured(December, 85), OtherMeasured(January, 90));
        Assert.Equal(CommitmentStatus.Missed, AccountFigures.Status);
    }

    [Fact]
    public void it_is_on_track_once_something_is_on_track_or_achieved()
    {
        Given(Measured(January, 80));
        Assert.Equal(CommitmentStatus.OnTrack, AccountFigures.Status);
    }

    [Fact]
    public void it_is_not_started_while_nothing_is_measured() => Assert.Equal(CommitmentStatus.NotStarted, AccountFigures.Status);

    [Fact]
    public void a_withdrawn_commitment_does_not_count()
    {
        Given(Measured(January, 80), OtherMeasured(June, 98), Withdrawn(commitmentId: OtherCommitmentId));
        Assert.Equal(CommitmentStatus.Achieved, AccountFigures.Status);
    }
}

public class when_a_system_of_record_sends_an_account : Spec
{
    private static OpenAccount AsTheCrmHasIt(string name = "Nordic Paper Mill", string currency = "EUR",
        Approach approach = Approach.ProcessCentric, string owner = "csm@seller.example") =>
        new(name, "Pulp and paper", "Enterprise", currency, approach, owner);

    [Fact]
    public void a_new_account_is_opened_and_linked_to_the_systems_id()
    {
        var decision = AccountDecisions.OpenFromSystemOfRecord(AccountId, AsTheCrmHasIt(), "salesforce", "001ABC", Now);
        Assert.Equal([new AccountOpened(AccountId, "Nordic Paper Mill", "Pulp and paper", "Enterprise", "EUR", Approach.ProcessCentric,
            "csm@seller.example", Now), new AccountExternalIdLinked(AccountId, "salesforce", "001ABC", Now)], decision.Events);
        Assert.Equal("001ABC", Given([.. decision.Events]).ExternalIds["salesforce"]);
    }

    [Fact]
    public void sending_it_again_unchanged_appends_nothing()
    {
        Given([.. AccountDecisions.OpenFromSystemOfRecord(AccountId, AsTheCrmHasIt(), "salesforce", "001ABC", Now).Events]);
        When(account => AccountDecisions.UpdateFromSystemOfRecord(account, AsTheCrmHasIt(name: " Nordic Paper Mill "), "salesforce", "001ABC", Now));
        ThenNothingHappens();
    }

    [Fact]
    public void only_the_details_that_changed_are_recorded_and_the_account_takes_them()
    {
        Given([.. AccountDecisions.OpenFromSystemOfRecord(AccountId, AsTheCrmHasIt(), "salesforce", "001ABC", Now).Events]);
        When(account => AccountDecisions.UpdateFromSystemOfRecord(account,
            AsTheCrmHasIt(name: "Nordic Paper Mill Oy", owner: "li@seller.example"), "salesforce", "001ABC", Now));
        Then(new AccountDetailsChanged(AccountId, "Nordic Paper Mill Oy", null, null, "li@seller.example", Now));
        var account = Given([.. Decision.Events]);
        Assert.Equal(("Nordic Paper Mill Oy", "Pulp and paper", "li@seller.example"), (account.Name, account.Industry, account.Owner));
    }

    [Fact]
    public void a_second_system_links_its_own_id_beside_the_first()
    {
        Given([.. AccountDecisions.OpenFromSystemOfRecord(AccountId, AsTheCrmHasIt(), "salesforce", "001ABC", Now).Events]);
        When(account => AccountDecisions.UpdateFromSystemOfRecord(account, AsTheCrmHasIt(), "hubspot", "98765", Now));
        Then(new AccountExternalIdLinked(AccountId, "hubspot", "98765", Now));
        Assert.Equal(new Dictionary<string, string> { ["salesforce"] = "001ABC", ["hubspot"] = "98765" },
            Given([.. Decision.Events]).ExternalIds);
    }

    [Fact]
    public void its_currency_cannot_change() =>
        RefusedWith(AsTheCrmHasIt(currency: "usd"), "Currency cannot change");

    [Fact]
    public void its_approach_cannot_change() =>
        RefusedWith(AsTheCrmHasIt(approach: Approach.OutcomeCentric), "Approach cannot change");

    private void RefusedWith(OpenAccount sent, string title)
    {
        Given([.. AccountDecisions.OpenFromSystemOfRecord(AccountId, AsTheCrmHasIt(), "salesforce", "001ABC", Now).Events]);
        When(account => AccountDecisions.UpdateFromSystemOfRecord(account, sent, "salesforce", "001ABC", Now));
        ThenRejected(RejectionKind.Unprocessable, title);
    }
}

public class when_an_accounts_details_change : Spec
{
    [Fact]
    public void only_the_fields_sent_and_different_are_recorded()
    {
        Given(AnAccountOpened());
        When(account => AccountDecisions.ChangeDetails(account, new ChangeAccountDetails(" Nordic Paper Mill ", null, "Strategic", "li@seller.example"), Now));
        Then(new AccountDetailsChanged(AccountId, null, null, "Strategic", "li@seller.example", Now));
        Assert.Equal(("Nordic Paper Mill", "Pulp and paper", "Strategic"), (State.Name, State.Industry, State.Segment));
    }

    [Fact]
    public void the_same_details_again_change_nothing()
    {
        Given(AnAccountOpened());
        When(account => AccountDecisions.ChangeDetails(account, new ChangeAccountDetails("Nordic Paper Mill", "Pulp and paper", null, null), Now));
        ThenNothingHappens();
    }
}
