namespace ValueLedger.Domain.Tests.Outcomes;

/// <summary>
/// Given/When/Then on events for outcome-based contracts. The typical history: an outcome-centric account in EUR, a
/// monthly commitment over 2026 (scrap rate from 100 to 80, lower is better, 1,000 EUR per point), so the promised
/// value of a month is 20,000 EUR and of a quarter 60,000 EUR.
/// </summary>
public abstract class OutcomeSpec
{
    private readonly List<object> history = [];

    protected Decision Decision { get; private set; } = Decision.Accept();

    protected Account Given(params object[] events)
    {
        history.AddRange(events);
        return Account.From(history);
    }

    protected Decision When(Func<Account, Decision> decide) => Decision = decide(Account.From(history));

    protected void Then(params object[] expected)
    {
        Assert.Null(Decision.Rejection);
        Assert.Equal(expected, Decision.Events);
    }

    protected T ThenOne<T>()
    {
        Assert.Null(Decision.Rejection);
        return Assert.IsType<T>(Assert.Single(Decision.Events));
    }

    protected void ThenNothingHappens()
    {
        Assert.True(Decision.IsAccepted, Decision.Rejection?.Detail);
        Assert.Empty(Decision.Events);
    }

    protected Rejection ThenRejected(RejectionKind kind, string title)
    {
        var rejection = Assert.IsType<Rejection>(Decision.Rejection);
        Assert.Equal(title, rejection.Title);
        Assert.Equal(kind, rejection.Kind);
        Assert.Empty(Decision.Events);
        return rejection;
    }

    protected Account State => Account.From(history.Concat(Decision.Events));

    protected Commitment Commitment(Guid? id = null) => State.FindCommitment(id ?? CommitmentId)!;

    protected CommitmentFigures Figures(Guid? id = null) => CommitmentValuation.Evaluate(Commitment(id));

    // ---- Identities, days and the clock ----

    protected static readonly Guid AccountId = Guid.Parse("a0000000-0000-0000-0000-0000000000aa");
    protected static readonly Guid CommitmentId = Guid.Parse("c0000000-0000-0000-0000-0000000000cc");
    protected static readonly Guid OtherCommitmentId = Guid.Parse("c0000000-0000-0000-0000-0000000000dd");
    protected static readonly Guid SettlementId = Guid.Parse("50000000-0000-0000-0000-000000000001");
    protected static readonly Guid ResponsibilityId = Guid.Parse("70000000-0000-0000-0000-000000000001");
    protected static readonly Guid UnknownId = Guid.Parse("f0000000-0000-0000-0000-00000000000f");

    protected static Guid MeasurementId(int month) => Guid.Parse($"d0000000-0000-0000-0000-{month:D12}");

    protected static DateOnly Day(int month, int day, int year = 2026) => new(year, month, day);
    protected static DateOnly FirstOf(int month, int year = 2026) => new(year, month, 1);
    protected static DateOnly EndOf(int month, int year = 2026) => new(year, month, DateTime.DaysInMonth(year, month));
    protected static DateTimeOffset At(DateOnly day, int hour = 9) => new(day.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero);
    protected static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    protected const string Csm = "casey.csm";
    protected const string Buyer = "jane@buyer.example";
    protected static readonly Signer BuyerSigner = new("3f1c9a0e-0000-4000-8000-000000000002", "valueledger-contacts", Buyer, Buyer);

    // ---- Events ----

    protected static AccountOpened AnOutcomeAccount(string currency = "EUR", Approach approach = Approach.OutcomeCentric) =>
        new(AccountId, "Nordic Paper Mill", "Pulp and paper", "Enterprise", currency, approach, "maria", At(Day(12, 1, 2025)));

    protected static ValueCommitted ACommitment(Guid? id = null, DateOnly? start = null, DateOnly? end = null, Approach approach = Approach.OutcomeCentric,
        Cadence cadence = Cadence.Monthly) =>
        new(AccountId, id ?? CommitmentId, ValueDriver.Cost, "Scrap rate", "%", Direction.LowerIsBetter,
            new Baseline(100, Day(12, 31, 2025), "ERP report 2025-12"), 80, 1000, start ?? FirstOf(1), end ?? EndOf(12), cadence,
            CommitmentOwner.Seller, approach, Level.Medium, 0.10m, At(Day(12, 15, 2025)));

    protected static ContractTerms Banded(decimal? floor = -30_000, decimal? cap = 30_000, decimal feeBase = 100_000,
        Cadence settlementPeriod = Cadence.Quarterly, string currency = "EUR") =>
        new(currency, feeBase, settlementPeriod, ShareModel.Banded, null,
            [new ShareBand(null, 0.975m, 0), new ShareBand(0.975m, 1.025m, 0.5m), new ShareBand(1.025m, null, 1)], floor, cap);

    protected static ContractTerms SharedSavings(decimal rate = 0.3m, decimal? floor = null, decimal? cap = null, decimal feeBase = 10_000,
        Cadence settlementPeriod = Cadence.Quarterly, string currency = "EUR") =>
        new(currency, feeBase, settlementPeriod, ShareModel.SharedSavings, rate, [], floor, cap);

    protected static ContractTermsAgreed Agreed(ContractTerms? terms = null, int version = 1, DateOnly? effectiveFrom = null, string? reason = null) =>
        new(CommitmentId, version, effectiveFrom ?? FirstOf(1), terms ?? Banded(), reason, Csm, At(Day(12, 20, 2025)));

    protected static MeasurementRecorded Measured(int month, decimal value, Guid? commitmentId = null) =>
        MeasuredOver(FirstOf(month), EndOf(month), value, MeasurementId(month), commitmentId);

    protected static MeasurementRecorded MeasuredOver(DateOnly start, DateOnly end, decimal value, Guid id, Guid? commitmentId = null) =>
        new(commitmentId ?? CommitmentId, id, start, end, value, MeasurementSource.System, "https://erp.example/scrap", null, Csm, At(end.AddDays(3)));

    protected static MeasurementConfirmed Confirmed(int month, int revision = 1) =>
        new(CommitmentId, MeasurementId(month), revision, Buyer, null, At(EndOf(month).AddDays(6)));

    protected static MeasurementDisputed Disputed(int month, int revision = 1) =>
        new(CommitmentId, MeasurementId(month), revision, Buyer, "Includes the pilot line", At(EndOf(month).AddDays(6)));

    protected static MeasurementCorrected Corrected(int month, decimal value, int revision = 2) =>
        new(CommitmentId, MeasurementId(month), revision, value, "Meter misread", null, Csm, At(EndOf(month).AddDays(40)));

    /// <summary>A quarter measured month by month, each month confirmed by the customer.</summary>
    protected static object[] ConfirmedQuarter(decimal january, decimal february, decimal march) =>
    [
        Measured(1, january), Confirmed(1), Measured(2, february), Confirmed(2), Measured(3, march), Confirmed(3)
    ];

    protected static SettlementCalculated Settled(Account account, DateOnly start, DateOnly end, int version = 1, Guid? id = null)
    {
        var decision = SettlementDecisions.Calculate(account, CommitmentId, id ?? SettlementId,
            new CalculateSettlement(start, end, [], null), Csm, At(end.AddDays(10)));
        Assert.Null(decision.Rejection);
        var calculated = Assert.IsType<SettlementCalculated>(Assert.Single(decision.Events));
        Assert.Equal(version, calculated.Version);
        return calculated;
    }

    protected static ResponsibilityAssigned CustomerSuppliesDataMonthly(Guid? commitmentId = null, int dueDay = 5, Party party = Party.Customer,
        Guid? id = null, DateTimeOffset? assignedAt = null) =>
        new(id ?? ResponsibilityId, party, "Supply monthly usage data", commitmentId ?? CommitmentId, Cadence.Monthly, dueDay, null, Csm,
            assignedAt ?? At(Day(12, 20, 2025)));

    protected static ResponsibilityMissed MissedFor(int month, Guid? id = null, int dueDay = 5) =>
        new(id ?? ResponsibilityId, FirstOf(month), EndOf(month), Midnight(Day(month, dueDay).AddDays(1)), Midnight(Day(month, dueDay).AddDays(1)));

    protected static ResponsibilityFulfilled FulfilledFor(int month, DateTimeOffset at, Guid? id = null) =>
        new(id ?? ResponsibilityId, Guid.NewGuid(), FirstOf(month), EndOf(month), null, Buyer, at);

    protected static decimal R(decimal value) => Math.Round(value, 10);
    protected static decimal? R(decimal? value) => value is { } v ? Math.Round(v, 10) : null;
}
