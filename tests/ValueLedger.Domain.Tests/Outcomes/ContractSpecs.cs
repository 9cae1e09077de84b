namespace ValueLedger.Domain.Tests.Outcomes;

// Contract terms per outcome-centric commitment, versioned: a change needs a reason, takes effect between settlement
// periods, never inside a settled one, and earlier terms keep governing their periods.

public class agreeing_contract_terms : OutcomeSpec
{
    private static readonly DateTimeOffset Now = At(Day(2, 10));

    public agreeing_contract_terms() => Given(AnOutcomeAccount(), ACommitment());

    [Fact]
    public void the_first_terms_govern_from_the_start_of_the_commitment()
    {
        When(a => ContractDecisions.Agree(a, CommitmentId, new AgreeContract(Banded(), null, null), Csm, Now));
        var agreed = ThenOne<ContractTermsAgreed>();
        Assert.Equal((CommitmentId, 1, FirstOf(1), null, Csm, Now), (agreed.CommitmentId, agreed.Version, agreed.EffectiveFrom, agreed.Reason, agreed.AgreedBy, agreed.AgreedAt));
        Assert.True(agreed.Terms.SameAs(Banded()));
        Assert.Equal(1, Commitment().Contract!.Current.Version);
    }

    [Fact]
    public void the_currency_is_kept_in_capitals()
    {
        When(a => ContractDecisions.Agree(a, CommitmentId, new AgreeContract(Banded(currency: "usd"), null, null), Csm, Now));
        Assert.Equal("USD", ThenOne<ContractTermsAgreed>().Terms.Currency);
    }

    [Fact]
    public void only_an_outcome_centric_commitment_takes_a_contract()
    {
        Given(ACommitment(OtherCommitmentId, approach: Approach.ProcessCentric));
        When(a => ContractDecisions.Agree(a, OtherCommitmentId, new AgreeContract(Banded(), null, null), Csm, Now));
        ThenRejected(RejectionKind.Unprocessable, "Not an outcome-centric commitment");
    }

    [Fact]
    public void an_unknown_commitment_is_not_found()
    {
        When(a => ContractDecisions.Agree(a, UnknownId, new AgreeContract(Banded(), null, null), Csm, Now));
        ThenRejected(RejectionKind.NotFound, "Commitment not found");
    }

    [Fact]
    public void a_withdrawn_commitment_takes_no_contract()
    {
        Given(new CommitmentWithdrawn(CommitmentId, "Plant closed", At(Day(2, 1))));
        When(a => ContractDecisions.Agree(a, CommitmentId, new AgreeContract(Banded(), null, null), Csm, Now));
        ThenRejected(RejectionKind.Unprocessable, "Commitment withdrawn");
    }

    [Fact]
    public void unusable_terms_are_refused()
    {
        When(a => ContractDecisions.Agree(a, CommitmentId, new AgreeContract(Banded(floor: 10, cap: 5), null, null), Csm, Now));
        Assert.Contains("floor", ThenRejected(RejectionKind.Unprocessable, "Unusable contract terms").Detail);
        When(a => ContractDecisions.Agree(a, CommitmentId, new AgreeContract(Banded() with
            { Bands = [new ShareBand(0.9m, 1.1m, 0.5m), new ShareBand(1.0m, null, 1)] }, null, null), Csm, Now));
        Assert.Contains("overlaps", ThenRejected(RejectionKind.Unprocessable, "Unusable contract terms").Detail);
        When(a => ContractDecisions.Agree(a, CommitmentId, new AgreeContract(SharedSavings() with { Rate = null }, null, null), Csm, Now));
        ThenRejected(RejectionKind.Unprocessable, "Unusable contract terms");
    }

    [Fact]
    public void the_first_terms_may_start_later_but_only_with_a_settlement_period()
    {
        When(a => ContractDecisions.Agree(a, CommitmentId, new AgreeContract(Banded(), FirstOf(4), null), Csm, Now));
        Assert.Equal(FirstOf(4), ThenOne<ContractTermsAgreed>().EffectiveFrom);
        When(a => ContractDecisions.Agree(a, CommitmentId, new AgreeContract(Banded(), FirstOf(5), null), Csm, Now));
        ThenRejected(RejectionKind.Unprocessable, "Not the start of a settlement period");
        When(a => ContractDecisions.Agree(a, CommitmentId, new AgreeContract(Banded(), FirstOf(1, 2027), null), Csm, Now));
        ThenRejected(RejectionKind.Unprocessable, "Terms outside the commitment's period");
    }
}

public class changing_contract_terms : OutcomeSpec
{
    private static readonly DateTimeOffset Now = At(Day(2, 10));
    private static readonly ContractTerms Richer = Banded(cap: 50_000);

    public changing_contract_terms() => Given(AnOutcomeAccount(), ACommitment(), Agreed());

    [Fact]
    public void a_change_needs_a_reason()
    {
        When(a => ContractDecisions.Agree(a, CommitmentId, new AgreeContract(Richer, null, "  "), Csm, Now));
        ThenRejected(RejectionKind.Unprocessable, "A change needs a reason");
    }

    [Fact]
    public void by_default_a_change_governs_from_the_next_settlement_period()
    {
        When(a => ContractDecisions.Agree(a, CommitmentId, new AgreeContract(Richer, null, "Cap raised at the QBR"), Csm, Now));
        var changed = ThenOne<ContractTermsAgreed>();
        Assert.Equal((2, FirstOf(4), "Cap raised at the QBR"), (changed.Version, changed.EffectiveFrom, changed.Reason));
    }

    [Fact]
    public void earlier_terms_keep_governing_their_periods()
    {
        When(a => ContractDecisions.Agree(a, CommitmentId, new AgreeContract(Richer with { SettlementPeriod = Cadence.Monthly }, null, "Monthly from Q2"), Csm, Now));
        var contract = Commitment().Contract!;
        Assert.Equal(1, contract.VersionOn(EndOf(3))!.Version);
        Assert.Equal(2, contract.VersionOn(FirstOf(4))!.Version);
        var periods = contract.Periods(Commitment()).ToList();
        Assert.Equal(new SettlementPeriod(FirstOf(1), EndOf(3), 1), periods[0]);
        Assert.Equal(new SettlementPeriod(FirstOf(4), EndOf(4), 2), periods[1]);
        Assert.Equal(new SettlementPeriod(FirstOf(12), EndOf(12), 2), periods[^1]);
        Assert.Equal(1 + 9, periods.Count);
        Assert.Equal(2, contract.Versions.Count);
    }

    [Fact]
    public void sending_the_same_terms_again_changes_nothing()
    {
        When(a => ContractDecisions.Agree(a, CommitmentId, new AgreeContract(Banded(), null, null), Csm, Now));
        ThenNothingHappens();
    }

    [Fact]
    public void a_change_takes_effect_only_between_settlement_periods_of_the_old_and_the_new_terms()
    {
        When(a => ContractDecisions.Agree(a, CommitmentId, new AgreeContract(Richer with { SettlementPeriod = Cadence.Monthly }, FirstOf(3), "x"), Csm, Now));
        ThenRejected(RejectionKind.Unprocessable, "Not the start of a settlement period");
    }

    [Fact]
    public void a_change_cannot_reach_into_a_settled_period()
    {
        Given(ConfirmedQuarter(90, 90, 90));
        Given(Settled(State, FirstOf(1), EndOf(3)));
        When(a => ContractDecisions.Agree(a, CommitmentId, new AgreeContract(Richer, FirstOf(1), "Retroactive"), Csm, At(Day(4, 20))));
        ThenRejected(RejectionKind.Unprocessable, "Period already settled");
        When(a => ContractDecisions.Agree(a, CommitmentId, new AgreeContract(Richer, FirstOf(4), "From Q2"), Csm, At(Day(4, 20))));
        Assert.Equal(FirstOf(4), ThenOne<ContractTermsAgreed>().EffectiveFrom);
    }

    [Fact]
    public void no_change_is_possible_once_no_settlement_period_is_left()
    {
        When(a => ContractDecisions.Agree(a, CommitmentId, new AgreeContract(Richer, null, "Too late"), Csm, At(Day(11, 20))));
        ThenRejected(RejectionKind.Unprocessable, "No settlement period left to change");
    }

    [Fact]
    public void an_unsettled_period_may_be_changed_retroactively_and_a_tie_is_won_by_the_later_version()
    {
        When(a => ContractDecisions.Agree(a, CommitmentId, new AgreeContract(Richer, FirstOf(1), "Signed version differs"), Csm, Now));
        Assert.Equal(FirstOf(1), ThenOne<ContractTermsAgreed>().EffectiveFrom);
        Assert.Equal(2, Commitment().Contract!.VersionOn(FirstOf(1))!.Version);
        Assert.All(Commitment().Contract!.Periods(Commitment()), p => Assert.Equal(2, p.ContractVersion));
    }
}
