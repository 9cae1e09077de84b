namespace ValueLedger.Domain.Tests;

/// <summary>
/// Given/When/Then on events. <see cref="Given"/> lays down the history of an account, <see cref="When"/> runs a pure
/// decision against the account folded from that history, and the Then helpers assert the exact events or the
/// rejection. <see cref="State"/> is the account after the history and whatever events the decision produced.
/// The fixture builders describe the typical account of domain.md: an account opened, a monthly commitment over
/// 2026 "baseline 100, target 80, lowerIsBetter, unit value 1,000", and measurements per month.
/// </summary>
public abstract class Spec
{
    private readonly List<object> history = [];

    protected Decision Decision { get; private set; } = Decision.Accept();

    // ---- Given / When / Then -------------------------------------------------------------------------------------

    /// <summary>The account has this history (call again to add more: "and then").</summary>
    protected Account Given(params object[] events)
    {
        history.AddRange(events);
        return Account.From(history);
    }

    protected Decision When(Func<Account, Decision> decide) => Decision = decide(Account.From(history));

    /// <summary>The decision was accepted and produced exactly these events.</summary>
    protected void Then(params object[] expected)
    {
        Assert.Null(Decision.Rejection);
        Assert.Equal(expected, Decision.Events);
    }

    /// <summary>The decision was accepted and produced no event at all.</summary>
    protected void ThenNothingHappens()
    {
        Assert.True(Decision.IsAccepted, Decision.Rejection?.Title);
        Assert.Empty(Decision.Events);
    }

    /// <summary>The decision was refused with this kind and title, and produced no event.</summary>
    protected Rejection ThenRejected(RejectionKind kind, string title)
    {
        var rejection = Assert.IsType<Rejection>(Decision.Rejection);
        Assert.Equal(kind, rejection.Kind);
        Assert.Equal(title, rejection.Title);
        Assert.False(Decision.IsAccepted);
        Assert.Empty(Decision.Events);
        return rejection;
    }

    /// <summary>The account folded from the history and the events of the last decision.</summary>
    protected Account State => Account.From(history.Concat(Decision.Events));

    protected Commitment Commitment(Guid? commitmentId = null) => State.FindCommitment(commitmentId ?? CommitmentId)!;

    protected Measurement Measurement(int month, Guid? commitmentId = null) => Commitment(commitmentId).Measurement(MeasurementId(month));

    protected CommitmentFigures Figures(Guid? commitmentId = null) => CommitmentValuation.Evaluate(Commitment(commitmentId));

    protected AccountFigures AccountFigures => AccountValuation.Evaluate(State);

    // ---- Identities, dates and the clock -------------------------------------------------------------------------

    protected static readonly Guid AccountId = Guid.Parse("a0000000-0000-0000-0000-000000000001");
    protected static readonly Guid CommitmentId = Guid.Parse("c0000000-0000-0000-0000-000000000001");
    protected static readonly Guid OtherCommitmentId = Guid.Parse("c0000000-0000-0000-0000-000000000002");
    protected static readonly Guid UnknownId = Guid.Parse("f0000000-0000-0000-0000-00000000000f");

    /// <summary>The measurement of a month of 2026 (other numbers name other measurements).</summary>
    protected static Guid MeasurementId(int month) => Guid.Parse($"d0000000-0000-0000-0000-{month:D12}");

    protected const int January = 1, February = 2, March = 3, April = 4, May = 5, June = 6,
        July = 7, August = 8, September = 9, October = 10, November = 11, December = 12;

    protected static DateOnly Day(int month, int day, int year = 2026) => new(year, month, day);
    protected static DateOnly FirstOf(int month, int year = 2026) => new(year, month, 1);
    protected static DateOnly EndOf(int month, int year = 2026) => new(year, month, DateTime.DaysInMonth(year, month));

    protected static DateTimeOffset At(DateOnly day, int hour = 9) => new(day.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero);

    /// <summary>The clock of the decisions under test, unless a test moves it.</summary>
    protected static readonly DateTimeOffset Now = At(Day(July, 10));

    protected const string Evidence = "https://evidence.example/meter-readings.csv";
    protected const string Recorder = "csm@seller.example";
    protected const string Buyer = "buyer@customer.example";
    /// <summary>The approver contact who signs, as the token names them.</summary>
    protected static readonly Signer BuyerSigner = new("3f1c9a0e-0000-4000-8000-000000000001", "valueledger-contacts", Buyer, Buyer);

    // ---- Fixture builders for typical events ---------------------------------------------------------------------

    protected static AccountOpened AnAccountOpened(Approach approach = Approach.ProcessCentric) =>
        new(AccountId, "Nordic Paper Mill", "Pulp and paper", "Enterprise", "EUR", approach, "csm@seller.example",
            At(Day(December, 1, 2025)));

    /// <summary>Baseline 100, target 80, lower is better, 1,000 per unit, monthly over 2026, tolerance 10%.</summary>
    protected static ValueCommitted AMonthlyCommitmentOver2026(
        Direction direction = Direction.LowerIsBetter, decimal baseline = 100, decimal target = 80, decimal unitValue = 1000,
        string? baselineSource = "Metering report 2025", decimal riskTolerance = 0.10m, Guid? commitmentId = null) =>
        ACommitment(direction, baseline, target, unitValue, Cadence.Monthly, FirstOf(January), EndOf(December),
            baselineSource, riskTolerance, commitmentId);

    protected static ValueCommitted ACommitment(
        Direction direction = Direction.LowerIsBetter, decimal baseline = 100, decimal target = 80, decimal unitValue = 1000,
        Cadence cadence = Cadence.Monthly, DateOnly? start = null, DateOnly? end = null,
        string? baselineSource = "Metering report 2025", decimal riskTolerance = 0.10m, Guid? commitmentId = null) =>
        new(AccountId, commitmentId ?? CommitmentId, ValueDriver.Cost, "Energy per tonne", "kWh/t", direction,
            new Baseline(baseline, Day(December, 31, 2025), baselineSource), target, unitValue,
            start ?? FirstOf(January), end ?? EndOf(December), cadence, CommitmentOwner.Joint, Approach.ProcessCentric,
            Level.Medium, riskTolerance, At(Day(December, 15, 2025)));

    /// <summary>A whole month of 2026 measured; by import with evidence unless told otherwise.</summary>
    protected static MeasurementRecorded Measured(
        int month, decimal value, MeasurementSource source = MeasurementSource.Import, string? evidence = Evidence,
        Guid? commitmentId = null, Guid? measurementId = null) =>
        MeasuredOver(FirstOf(month), EndOf(month), value, source, evidence, commitmentId, measurementId ?? MeasurementId(month));

    protected static MeasurementRecorded MeasuredOver(
        DateOnly start, DateOnly end, decimal value, MeasurementSource source = MeasurementSource.Import,
        string? evidence = Evidence, Guid? commitmentId = null, Guid? measurementId = null) =>
        new(commitmentId ?? CommitmentId, measurementId ?? MeasurementId(start.Month), start, end, value, source, evidence,
            null, Recorder, At(end.AddDays(5)));

    protected static MeasurementCorrected Corrected(int month, decimal value, int revision = 2, string? evidence = null,
        Guid? commitmentId = null) =>
        new(commitmentId ?? CommitmentId, MeasurementId(month), revision, value, "Meter was misread", evidence, Recorder,
            At(EndOf(month).AddDays(20)));

    protected static MeasurementConfirmed Confirmed(int month, int revision = 1, Guid? commitmentId = null) =>
        new(commitmentId ?? CommitmentId, MeasurementId(month), revision, Buyer, "Matches our meter", At(EndOf(month).AddDays(10)));

    protected static MeasurementDisputed Disputed(int month, int revision = 1, Guid? commitmentId = null) =>
        new(commitmentId ?? CommitmentId, MeasurementId(month), revision, Buyer, "Line 3 was idle that month",
            At(EndOf(month).AddDays(10)));

    protected static CommitmentRevised Revised(
        int revision, DateOnly effectiveFrom, Baseline? baseline = null, decimal? target = null, decimal? unitValue = null,
        DateOnly? periodEnd = null, string reason = "Agreed at the quarterly business review", Guid? commitmentId = null) =>
        new(commitmentId ?? CommitmentId, revision, effectiveFrom, baseline, target, unitValue, periodEnd, reason,
            At(effectiveFrom.AddDays(-3)));

    protected static CommitmentWithdrawn Withdrawn(string reason = "Customer closed the plant", Guid? commitmentId = null) =>
        new(commitmentId ?? CommitmentId, reason, At(Day(August, 1)));

    protected static MeasurementsWentStale WentStale(DateOnly? latestMeasuredPeriodEnd, DateOnly dueBy, Guid? commitmentId = null) =>
        new(commitmentId ?? CommitmentId, latestMeasuredPeriodEnd, dueBy, At(dueBy.AddDays(1), 0));

    // ---- Commands ------------------------------------------------------------------------------------------------

    protected static RecordMeasurement Record(DateOnly start, DateOnly end, decimal value, Guid? commitmentId = null,
        MeasurementSource source = MeasurementSource.Import) =>
        new(commitmentId ?? CommitmentId, start, end, value, source, Evidence, null);

    protected static RecordMeasurement Record(int month, decimal value) => Record(FirstOf(month), EndOf(month), value);

    /// <summary>Decimals from divisions are compared at ten places.</summary>
    protected static decimal R(decimal value) => Math.Round(value, 10);

    protected static decimal? R(decimal? value) => value is { } v ? Math.Round(v, 10) : null;
}
