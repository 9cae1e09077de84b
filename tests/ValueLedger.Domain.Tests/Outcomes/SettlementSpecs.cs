namespace ValueLedger.Domain.Tests.Outcomes;

// Settling a quarter of the typical commitment under NEC-style bands (0% below 97.5%, 50% to 102.5%, 100% above),
// fee base 100,000, floor -30,000, cap 30,000. P of a quarter = 20 points × 1,000 × 3 months = 60,000 EUR.

public class settling_a_quarter_below_target : OutcomeSpec
{
    private static readonly DateTimeOffset AfterTheQuarter = At(Day(4, 10));

    // Realized: 10,000 + 15,000 + 20,000 = 45,000; p = 0.75; only the 50% band between 0.975 and 1 takes pain.
    public settling_a_quarter_below_target() => Given([AnOutcomeAccount(), ACommitment(), Agreed(), .. ConfirmedQuarter(90, 85, 80)]);

    private SettlementBreakdown Settle() =>
        When(a => SettlementDecisions.Calculate(a, CommitmentId, SettlementId, new CalculateSettlement(FirstOf(1), EndOf(3), [], null), Csm, AfterTheQuarter))
            .Events.OfType<SettlementCalculated>().Single().Breakdown;

    [Fact]
    public void records_every_step_in_one_event()
    {
        var breakdown = Settle();
        var calculated = ThenOne<SettlementCalculated>();
        Assert.Equal((SettlementId, 1, Csm, AfterTheQuarter), (calculated.SettlementId, calculated.Version, calculated.CalculatedBy, calculated.CalculatedAt));
        Assert.Equal(60_000m, breakdown.PromisedValue);
        Assert.Equal(45_000m, breakdown.RealizedValue);
        Assert.Equal(0.75m, breakdown.PerformanceRatio);
        Assert.Equal([0m, -750m, 0m], breakdown.Bands.Select(b => b.Amount));
        Assert.Equal(-750m, breakdown.UnboundedVariableAmount);
        Assert.Null(breakdown.BoundBy);
        Assert.Equal(-750m, breakdown.VariableAmount);
        Assert.Equal(99_250m, breakdown.Fee);
        Assert.Equal((1, "EUR", "EUR"), (breakdown.ContractVersion, breakdown.Currency, breakdown.AccountCurrency));
        Assert.Empty(breakdown.ExchangeRates);
        Assert.False(breakdown.Provisional);
        Assert.Equal([10_000m, 15_000m, 20_000m], breakdown.Measurements.Select(m => m.RealizedValue));
        Assert.Contains(breakdown.Explanation, line => line.StartsWith("p = R / P = 45000 / 60000 = 0.75"));
        Assert.Contains(breakdown.Explanation, line => line.StartsWith("Fee = fee base 100000 + V -750 = 99250"));
    }

    [Fact]
    public void is_calculated_until_the_customer_certifies_it()
    {
        Settle();
        var settlement = Commitment().Contract!.Settlements.Single();
        Assert.Equal(SettlementStatus.Calculated, settlement.Status);
        Assert.Equal((FirstOf(1), EndOf(3)), (settlement.PeriodStart, settlement.PeriodEnd));
    }

    [Fact]
    public void names_the_missed_customer_responsibilities_that_excuse_the_result()
    {
        Given(CustomerSuppliesDataMonthly(), MissedFor(2));
        var breakdown = Settle();
        var excuse = Assert.Single(breakdown.ExcusedBy);
        Assert.Equal((ResponsibilityId, Party.Customer, FirstOf(2)), (excuse.ResponsibilityId, excuse.Party, excuse.PeriodStart));
        Assert.Contains(breakdown.Explanation, line => line.Contains("Supply monthly usage data"));
    }

    [Fact]
    public void a_missed_seller_responsibility_excuses_nothing()
    {
        Given(CustomerSuppliesDataMonthly(party: Party.Seller), MissedFor(2));
        Assert.Empty(Settle().ExcusedBy);
    }
}

public class settling_a_quarter_above_target : OutcomeSpec
{
    // Realized: 22,000 + 24,000 + 26,000 = 72,000; p = 1.2: 50% of 0.025 and 100% of 0.175 of P.
    public settling_a_quarter_above_target() => Given([AnOutcomeAccount(), ACommitment(), Agreed(), .. ConfirmedQuarter(78, 76, 74)]);

    [Fact]
    public void shares_the_gain_band_by_band()
    {
        var breakdown = Settled(State, FirstOf(1), EndOf(3)).Breakdown;
        Assert.Equal(1.2m, breakdown.PerformanceRatio);
        Assert.Equal([0m, 750m, 10_500m], breakdown.Bands.Select(b => b.Amount));
        Assert.Equal(111_250m, breakdown.Fee);
    }

    [Fact]
    public void the_cap_binds_and_says_so()
    {
        Given(Agreed(Banded(cap: 5_000), version: 2, reason: "Lower cap"));
        var breakdown = Settled(State, FirstOf(1), EndOf(3)).Breakdown;
        Assert.Equal((11_250m, BoundBy.Cap, 5_000m, 105_000m), (breakdown.UnboundedVariableAmount, breakdown.BoundBy, breakdown.VariableAmount, breakdown.Fee));
        Assert.Contains(breakdown.Explanation, line => line.StartsWith("The cap binds"));
        Assert.Equal(2, breakdown.ContractVersion);
    }

    [Fact]
    public void excuses_nothing_above_target()
    {
        Given(CustomerSuppliesDataMonthly(), MissedFor(2));
        Assert.Empty(Settled(State, FirstOf(1), EndOf(3)).Breakdown.ExcusedBy);
    }
}

public class settling_a_quarter_far_below_target : OutcomeSpec
{
    // January worse than the baseline: a negative improvement is negative realized value, and p goes below zero.
    public settling_a_quarter_far_below_target() => Given([AnOutcomeAccount(), ACommitment(), .. ConfirmedQuarter(110, 100, 100)]);

    [Fact]
    public void the_floor_binds_a_penalty_beyond_it()
    {
        Given(Agreed(new ContractTerms("EUR", 100_000, Cadence.Quarterly, ShareModel.Banded, null, [new ShareBand(null, 1, 1)], -30_000, 30_000)));
        var breakdown = Settled(State, FirstOf(1), EndOf(3)).Breakdown;
        Assert.Equal(-10_000m, breakdown.RealizedValue);
        Assert.Equal(R(-1m / 6m), R(breakdown.PerformanceRatio));
        Assert.Equal(-70_000m, R(breakdown.UnboundedVariableAmount));
        Assert.Equal((BoundBy.Floor, -30_000m, 70_000m), (breakdown.BoundBy, breakdown.VariableAmount, breakdown.Fee));
        Assert.Contains(breakdown.Explanation, line => line.StartsWith("The floor binds"));
    }

    [Fact]
    public void shared_savings_pay_nothing_for_it()
    {
        Given(Agreed(SharedSavings()));
        var breakdown = Settled(State, FirstOf(1), EndOf(3)).Breakdown;
        Assert.Equal((0m, 10_000m), (breakdown.VariableAmount, breakdown.Fee));
    }
}

public class a_provisional_settlement : OutcomeSpec
{
    public a_provisional_settlement() => Given(AnOutcomeAccount(), ACommitment(), Agreed());

    [Fact]
    public void lists_the_unconfirmed_and_disputed_measurements()
    {
        Given(Measured(1, 90), Measured(2, 85), Disputed(2), Measured(3, 80), Confirmed(3));
        var breakdown = Settled(State, FirstOf(1), EndOf(3)).Breakdown;
        Assert.True(breakdown.Provisional);
        Assert.Equal([MeasurementId(1), MeasurementId(2)], breakdown.ProvisionalBecause);
    }

    [Fact]
    public void names_the_days_nothing_measures_instead_of_counting_them_as_zero()
    {
        Given(Measured(1, 90), Confirmed(1), Measured(2, 85), Confirmed(2));
        var breakdown = Settled(State, FirstOf(1), EndOf(3)).Breakdown;
        Assert.True(breakdown.Provisional);
        Assert.Empty(breakdown.ProvisionalBecause);
        Assert.Equal([new DateSpan(FirstOf(3), EndOf(3))], breakdown.UnmeasuredPeriods);
    }

    [Fact]
    public void a_correction_needs_confirming_again()
    {
        Given([.. ConfirmedQuarter(90, 85, 80), Corrected(2, 84)]);
        var breakdown = Settled(State, FirstOf(1), EndOf(3)).Breakdown;
        Assert.Equal([MeasurementId(2)], breakdown.ProvisionalBecause);
        Assert.Equal(46_000m, breakdown.RealizedValue);
    }
}

public class a_measurement_across_the_end_of_a_settlement_period : OutcomeSpec
{
    [Fact]
    public void counts_for_the_days_inside_the_period()
    {
        var marchAndApril = Guid.Parse("d0000000-0000-0000-0000-000000000034");
        Given(AnOutcomeAccount(), ACommitment(), Agreed(), Measured(1, 90), Confirmed(1), Measured(2, 90), Confirmed(2),
            MeasuredOver(FirstOf(3), EndOf(4), 80, marchAndApril),
            new MeasurementConfirmed(CommitmentId, marchAndApril, 1, Buyer, null, At(Day(5, 5))));
        var breakdown = Settled(State, FirstOf(1), EndOf(3)).Breakdown;
        var counted = breakdown.Measurements.Single(m => m.MeasurementId == marchAndApril);
        Assert.Equal((FirstOf(3), EndOf(3), 1m, 20_000m), (counted.PeriodStart, counted.PeriodEnd, counted.Weight, counted.RealizedValue));
        Assert.Equal(40_000m, breakdown.RealizedValue);
        Assert.Empty(breakdown.UnmeasuredPeriods);
    }
}

public class a_contract_in_another_currency : OutcomeSpec
{
    private static readonly ExchangeRate EurToUsd = new("eur", "usd", 1.1m, "ECB reference rate", Day(3, 31));

    public a_contract_in_another_currency() =>
        Given([AnOutcomeAccount(), ACommitment(), Agreed(Banded(currency: "USD")), .. ConfirmedQuarter(90, 85, 80)]);

    [Fact]
    public void converts_P_and_R_first_and_records_the_rate_and_its_source()
    {
        When(a => SettlementDecisions.Calculate(a, CommitmentId, SettlementId,
            new CalculateSettlement(FirstOf(1), EndOf(3), [new ExchangeRate("GBP", "USD", 1.3m, "unused", null), EurToUsd], null), Csm, At(Day(4, 10))));
        var breakdown = ThenOne<SettlementCalculated>().Breakdown;
        Assert.Equal((60_000m, 45_000m), (breakdown.PromisedValueInAccountCurrency, breakdown.RealizedValueInAccountCurrency));
        Assert.Equal((66_000m, 49_500m), (breakdown.PromisedValue, breakdown.RealizedValue));
        Assert.Equal(0.75m, breakdown.PerformanceRatio);
        Assert.Equal(-825m, breakdown.VariableAmount);
        Assert.Equal("USD", breakdown.Currency);
        Assert.Equal([new ExchangeRate("EUR", "USD", 1.1m, "ECB reference rate", Day(3, 31))], breakdown.ExchangeRates);
        Assert.Contains(breakdown.Explanation, line => line == "Converted at 1 EUR = 1.1 USD (ECB reference rate, 2026-03-31).");
    }

    [Fact]
    public void without_the_rate_it_says_which_one_it_needs()
    {
        When(a => SettlementDecisions.Calculate(a, CommitmentId, SettlementId,
            new CalculateSettlement(FirstOf(1), EndOf(3), [new ExchangeRate("USD", "EUR", 0.9m, "wrong way round", null)], null), Csm, At(Day(4, 10))));
        Assert.Contains("\"from\": \"EUR\", \"to\": \"USD\"", ThenRejected(RejectionKind.Unprocessable, "Exchange rate needed").Detail);
    }
}

public class settling_again : OutcomeSpec
{
    public settling_again() => Given([AnOutcomeAccount(), ACommitment(), Agreed(), .. ConfirmedQuarter(90, 85, 80)]);

    [Fact]
    public void a_correction_after_a_settlement_leads_to_version_two_beside_version_one()
    {
        Given(Settled(State, FirstOf(1), EndOf(3)));
        Given(Corrected(3, 78));
        Assert.True(SettlementMath.IsOutdated(Commitment(), Commitment().Contract!.Settlements.Single().Latest));

        When(a => SettlementDecisions.Recalculate(a, CommitmentId, SettlementId, "Measurement corrected", "system:settlement", At(Day(5, 12))));
        var second = ThenOne<SettlementCalculated>();
        Assert.Equal((SettlementId, 2, "Measurement corrected"), (second.SettlementId, second.Version, second.Reason));
        Assert.Equal(47_000m, second.Breakdown.RealizedValue);
        var settlement = Commitment().Contract!.Settlements.Single();
        Assert.Equal([45_000m, 47_000m], settlement.Versions.Select(v => v.Breakdown.RealizedValue));
        Assert.Equal(SettlementStatus.Calculated, settlement.StatusOf(1));
        Assert.Equal(SettlementStatus.Provisional, settlement.StatusOf(2));
        Assert.False(SettlementMath.IsOutdated(Commitment(), settlement.Latest));
    }

    [Fact]
    public void recalculating_a_period_by_hand_also_adds_a_version()
    {
        Given(Settled(State, FirstOf(1), EndOf(3)));
        Assert.Equal(2, Settled(State, FirstOf(1), EndOf(3), version: 2, id: Guid.NewGuid()).Version);
    }
}

public class what_cannot_be_settled : OutcomeSpec
{
    public what_cannot_be_settled() => Given(AnOutcomeAccount(), ACommitment());

    private Decision Settle(DateOnly start, DateOnly end, DateTimeOffset? now = null, Guid? commitmentId = null) =>
        When(a => SettlementDecisions.Calculate(a, commitmentId ?? CommitmentId, SettlementId, new CalculateSettlement(start, end, [], null), Csm,
            now ?? At(Day(4, 10))));

    [Fact]
    public void a_commitment_without_terms()
    {
        Settle(FirstOf(1), EndOf(3));
        ThenRejected(RejectionKind.Unprocessable, "No contract terms");
    }

    [Fact]
    public void a_commitment_that_is_not_outcome_centric()
    {
        Given(ACommitment(OtherCommitmentId, approach: Approach.ProductCentric));
        Settle(FirstOf(1), EndOf(3), commitmentId: OtherCommitmentId);
        ThenRejected(RejectionKind.Unprocessable, "Not an outcome-centric commitment");
    }

    [Fact]
    public void an_unknown_commitment()
    {
        Settle(FirstOf(1), EndOf(3), commitmentId: UnknownId);
        ThenRejected(RejectionKind.NotFound, "Commitment not found");
    }

    [Fact]
    public void a_span_that_is_not_a_settlement_period()
    {
        Given(Agreed());
        Settle(FirstOf(1), EndOf(1));
        Assert.Contains("2026-01-01..2026-03-31", ThenRejected(RejectionKind.Unprocessable, "Not a settlement period").Detail);
    }

    [Fact]
    public void a_period_that_has_not_ended()
    {
        Given(Agreed());
        Settle(FirstOf(1), EndOf(3), now: At(EndOf(3), 23));
        ThenRejected(RejectionKind.Unprocessable, "Period not over");
    }
}

public class verdicts_on_a_settlement : OutcomeSpec
{
    private static readonly DateTimeOffset Now = At(Day(4, 20));

    public verdicts_on_a_settlement() => Given([AnOutcomeAccount(), ACommitment(), Agreed(), .. ConfirmedQuarter(90, 85, 80)]);

    private Decision Certify(int? version = null, Guid? settlementId = null) =>
        When(a => SettlementDecisions.Certify(a, CommitmentId, settlementId ?? SettlementId, new CertifySettlement(BuyerSigner, "Agreed", version), Now));

    private Decision Dispute() =>
        When(a => SettlementDecisions.Dispute(a, CommitmentId, SettlementId, new DisputeSettlement(BuyerSigner, "Pilot line included", null), Now));

    [Fact]
    public void the_customer_certifies_a_calculated_settlement()
    {
        Given(Settled(State, FirstOf(1), EndOf(3)));
        Certify();
        Then(new SettlementCertified(CommitmentId, SettlementId, 1, Buyer, "Agreed", Now, BuyerSigner));
        Assert.Equal(SettlementStatus.Certified, Commitment().Contract!.Settlements.Single().Status);
    }

    [Fact]
    public void a_certified_settlement_is_final()
    {
        Given(Settled(State, FirstOf(1), EndOf(3)));
        Given(new SettlementCertified(CommitmentId, SettlementId, 1, "Jane Buyer", null, Now));
        Certify();
        ThenRejected(RejectionKind.Unprocessable, "Already certified");
        Dispute();
        ThenRejected(RejectionKind.Unprocessable, "Already certified");
    }

    [Fact]
    public void a_later_correction_makes_a_new_version_while_the_certified_one_stays_certified()
    {
        Given(Settled(State, FirstOf(1), EndOf(3)));
        Given(new SettlementCertified(CommitmentId, SettlementId, 1, "Jane Buyer", null, Now), Corrected(1, 88));
        When(a => SettlementDecisions.Recalculate(a, CommitmentId, SettlementId, "Correction", Csm, Now));
        var settlement = Commitment().Contract!.Settlements.Single();
        Assert.Equal((SettlementStatus.Certified, SettlementStatus.Provisional), (settlement.StatusOf(1), settlement.StatusOf(2)));
    }

    [Fact]
    public void a_provisional_settlement_cannot_be_certified_and_says_why()
    {
        Given(Corrected(1, 88));
        Given(Settled(State, FirstOf(1), EndOf(3)));
        Certify();
        var rejection = ThenRejected(RejectionKind.Unprocessable, "Provisional settlement");
        Assert.Equal([MeasurementId(1)], (IEnumerable<Guid>)rejection.Extensions!["provisionalBecause"]!);
    }

    [Fact]
    public void a_disputed_settlement_is_neither_certified_nor_disputed_again()
    {
        Given(Settled(State, FirstOf(1), EndOf(3)));
        Dispute();
        Then(new SettlementDisputed(CommitmentId, SettlementId, 1, Buyer, "Pilot line included", Now, BuyerSigner));
        Given(Decision.Events.ToArray());
        Certify();
        ThenRejected(RejectionKind.Unprocessable, "Disputed");
        Dispute();
        ThenRejected(RejectionKind.Unprocessable, "Already disputed");
    }

    [Fact]
    public void a_superseded_version_is_a_conflict_and_an_unknown_one_not_found()
    {
        Given(Settled(State, FirstOf(1), EndOf(3)));
        Given(Settled(State, FirstOf(1), EndOf(3), version: 2));
        Certify(version: 1);
        ThenRejected(RejectionKind.Conflict, "Superseded settlement version");
        Certify(version: 3);
        ThenRejected(RejectionKind.NotFound, "Settlement version not found");
        Certify(version: 2);
        Assert.Equal(2, ThenOne<SettlementCertified>().Version);
    }

    [Fact]
    public void an_unknown_settlement_is_not_found()
    {
        Certify(settlementId: UnknownId);
        ThenRejected(RejectionKind.NotFound, "Settlement not found");
    }
}

public class asking_the_customer_to_certify_a_settlement : OutcomeSpec
{
    private static readonly DateTimeOffset Now = At(Day(4, 20));
    private static readonly string[] Approvers = ["ann@buyer.example", "bob@buyer.example"];

    public asking_the_customer_to_certify_a_settlement() => Given([AnOutcomeAccount(), ACommitment(), Agreed(), .. ConfirmedQuarter(90, 85, 80)]);

    private Decision Request(IReadOnlyList<string>? recipients = null, Guid? settlementId = null) =>
        When(a => SettlementDecisions.RequestCertification(a, CommitmentId, settlementId ?? SettlementId, recipients ?? Approvers, "  Q1 is ready  ", Csm, Now));

    [Fact]
    public void names_the_latest_version_the_approvers_and_who_asked()
    {
        Given(Settled(State, FirstOf(1), EndOf(3)));
        Given(Settled(State, FirstOf(1), EndOf(3), version: 2));
        Request();
        Then(new SettlementCertificationRequested(CommitmentId, SettlementId, 2, Approvers, "Q1 is ready", Csm, Now));
        Assert.Equal(SettlementStatus.Calculated, Commitment().Contract!.Settlements.Single().Status);
    }

    [Fact]
    public void is_refused_once_certified_while_disputed_or_provisional()
    {
        Given(Settled(State, FirstOf(1), EndOf(3)));
        Given(new SettlementCertified(CommitmentId, SettlementId, 1, "Jane Buyer", null, Now));
        Request();
        ThenRejected(RejectionKind.Unprocessable, "Already certified");

        Given(Corrected(1, 88));
        Given(Settled(State, FirstOf(1), EndOf(3), version: 2));
        Request();
        ThenRejected(RejectionKind.Unprocessable, "Provisional settlement");
    }

    [Fact]
    public void is_refused_for_a_disputed_version()
    {
        Given(Settled(State, FirstOf(1), EndOf(3)));
        Given(new SettlementDisputed(CommitmentId, SettlementId, 1, Buyer, "Pilot line included", Now, BuyerSigner));
        Request();
        ThenRejected(RejectionKind.Unprocessable, "Disputed");
    }

    [Fact]
    public void needs_an_approver_and_a_known_settlement()
    {
        Given(Settled(State, FirstOf(1), EndOf(3)));
        Request(recipients: []);
        ThenRejected(RejectionKind.Unprocessable, "No approver to ask");
        Request(settlementId: UnknownId);
        ThenRejected(RejectionKind.NotFound, "Settlement not found");
    }
}
