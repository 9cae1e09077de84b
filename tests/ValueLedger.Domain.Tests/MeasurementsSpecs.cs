namespace ValueLedger.Domain.Tests;

// Measurements: the metric's value for an effective period inside the commitment's period; a period is measured
// once (changes go through corrections); imports are all or nothing.

public class when_a_measurement_is_recorded : Spec
{
    private static readonly DateTimeOffset RecordedAt = At(Day(February, 5));

    public when_a_measurement_is_recorded()
    {
        Given(AnAccountOpened(), AMonthlyCommitmentOver2026());
        When(account => MeasurementDecisions.Record(account, MeasurementId(January),
            new RecordMeasurement(CommitmentId, FirstOf(January), EndOf(January), 90, MeasurementSource.Manual, Evidence, "From the SCADA export"),
            Recorder, RecordedAt));
    }

    [Fact]
    public void it_records_the_value_for_its_effective_period_with_who_and_when() =>
        Then(new MeasurementRecorded(CommitmentId, MeasurementId(January), FirstOf(January), EndOf(January), 90,
            MeasurementSource.Manual, Evidence, "From the SCADA export", Recorder, RecordedAt));

    [Fact]
    public void it_is_the_first_revision_of_the_measurement()
    {
        var measurement = Measurement(January);
        Assert.Equal(1, measurement.Revision);
        Assert.Equal(90m, measurement.Value);
        Assert.Equal(Evidence, measurement.EvidenceUrl);
        Assert.Equal(RecordedAt, measurement.RecordedAt);
    }

    [Fact]
    public void it_awaits_the_customers_confirmation() => Assert.Equal(VerificationState.Unconfirmed, Measurement(January).VerificationState);

    [Fact]
    public void the_next_period_can_be_recorded()
    {
        Given(Decision.Events.ToArray());
        When(account => MeasurementDecisions.Record(account, MeasurementId(February), Record(February, 88), Recorder, Now));
        Assert.True(Decision.IsAccepted);
    }
}

public class a_measurement_outside_the_commitments_period : Spec
{
    public a_measurement_outside_the_commitments_period() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026());

    [Theory]
    [InlineData("2025-12-01", "2025-12-31")] // before the start
    [InlineData("2025-12-16", "2026-01-15")] // straddles the start
    [InlineData("2026-12-16", "2027-01-15")] // straddles the end
    [InlineData("2027-01-01", "2027-01-31")] // after the end
    public void is_unprocessable(string start, string end)
    {
        When(account => MeasurementDecisions.Record(account, MeasurementId(1), Record(DateOnly.Parse(start), DateOnly.Parse(end), 90), Recorder, Now));
        ThenRejected(RejectionKind.Unprocessable, "Measurement outside the commitment's period");
    }

    [Fact]
    public void the_whole_period_at_once_is_inside()
    {
        When(account => MeasurementDecisions.Record(account, MeasurementId(1), Record(FirstOf(January), EndOf(December), 90), Recorder,
            At(Day(January, 5, 2027))));
        Assert.True(Decision.IsAccepted);
    }

    [Fact]
    public void a_period_ending_before_it_starts_is_unprocessable()
    {
        When(account => MeasurementDecisions.Record(account, MeasurementId(1), Record(EndOf(March), FirstOf(March), 90), Recorder, Now));
        ThenRejected(RejectionKind.Unprocessable, "Period ends before it starts");
    }

    [Fact]
    public void an_unknown_commitment_is_not_found()
    {
        When(account => MeasurementDecisions.Record(account, MeasurementId(1), Record(FirstOf(March), EndOf(March), 90, UnknownId), Recorder, Now));
        ThenRejected(RejectionKind.NotFound, "Commitment not found");
    }
}

public class a_measurement_overlapping_one_already_recorded : Spec
{
    public a_measurement_overlapping_one_already_recorded() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(March, 90));

    private void RecordOver(DateOnly start, DateOnly end) =>
        When(account => MeasurementDecisions.Record(account, MeasurementId(99), Record(start, end, 85), Recorder, Now));

    [Fact]
    public void is_a_conflict()
    {
        RecordOver(FirstOf(March), EndOf(March));
        var rejection = ThenRejected(RejectionKind.Conflict, "Period already measured");
        Assert.Contains("post a correction", rejection.Detail);
    }

    [Fact]
    public void names_the_route_to_correct_the_existing_measurement()
    {
        RecordOver(FirstOf(March), EndOf(March));
        var extensions = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(Decision.Rejection!.Extensions);
        Assert.Equal(MeasurementId(March), extensions["existingMeasurementId"]);
        Assert.Equal($"/api/accounts/{AccountId}/commitments/{CommitmentId}/measurements/{MeasurementId(March)}/corrections",
            extensions["correctionRoute"]);
    }

    [Theory]
    [InlineData("2026-03-31", "2026-03-31")] // its last day
    [InlineData("2026-02-15", "2026-03-01")] // its first day
    [InlineData("2026-03-10", "2026-03-20")] // inside it
    [InlineData("2026-02-01", "2026-04-30")] // around it
    public void overlaps_by_as_little_as_a_day(string start, string end)
    {
        RecordOver(DateOnly.Parse(start), DateOnly.Parse(end));
        ThenRejected(RejectionKind.Conflict, "Period already measured");
    }

    [Fact]
    public void adjacent_periods_do_not_overlap()
    {
        RecordOver(FirstOf(February), EndOf(February));
        Assert.True(Decision.IsAccepted);
        RecordOver(FirstOf(April), EndOf(April));
        Assert.True(Decision.IsAccepted);
    }
}

public class when_measurements_are_imported : Spec
{
    private (IReadOnlyList<object> Events, IReadOnlyList<(int Row, Rejection Rejection)> Rejections) result;

    public when_measurements_are_imported() => Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(March, 90));

    private void Import(params (Guid, RecordMeasurement)[] rows) =>
        result = MeasurementDecisions.RecordAll(State, rows, Recorder, Now);

    [Fact]
    public void every_row_is_recorded_in_order_when_all_are_valid()
    {
        Import((MeasurementId(January), Record(January, 92)), (MeasurementId(February), Record(February, 91)), (MeasurementId(April), Record(April, 89)));
        Assert.Empty(result.Rejections);
        Assert.Equal(
            [
                new MeasurementRecorded(CommitmentId, MeasurementId(January), FirstOf(January), EndOf(January), 92, MeasurementSource.Import, Evidence, null, Recorder, Now),
                new MeasurementRecorded(CommitmentId, MeasurementId(February), FirstOf(February), EndOf(February), 91, MeasurementSource.Import, Evidence, null, Recorder, Now),
                new MeasurementRecorded(CommitmentId, MeasurementId(April), FirstOf(April), EndOf(April), 89, MeasurementSource.Import, Evidence, null, Recorder, Now)
            ],
            result.Events);
    }

    [Fact]
    public void rows_overlapping_each_other_are_rejected_with_their_row_index()
    {
        Import((MeasurementId(January), Record(January, 92)), (MeasurementId(41), Record(Day(January, 15), Day(February, 14), 91)));
        var (row, rejection) = Assert.Single(result.Rejections);
        Assert.Equal(1, row);
        Assert.Equal(RejectionKind.Conflict, rejection.Kind);
        Assert.Equal("Period measured twice in one import", rejection.Title);
        Assert.Contains($"{FirstOf(January):O}..{EndOf(January):O}", rejection.Detail);
    }

    [Fact]
    public void rows_of_different_commitments_may_cover_the_same_period()
    {
        Given(AMonthlyCommitmentOver2026(commitmentId: OtherCommitmentId));
        Import((MeasurementId(January), Record(January, 92)),
            (MeasurementId(101), Record(FirstOf(January), EndOf(January), 95, OtherCommitmentId)));
        Assert.Empty(result.Rejections);
        Assert.Equal(2, result.Events.Count);
    }

    [Fact]
    public void a_row_overlapping_a_stored_measurement_is_rejected_with_its_row_index()
    {
        Import((MeasurementId(February), Record(February, 91)), (MeasurementId(33), Record(March, 88)));
        var (row, rejection) = Assert.Single(result.Rejections);
        Assert.Equal(1, row);
        Assert.Equal("Period already measured", rejection.Title);
    }

    [Fact]
    public void every_rejected_row_is_reported_at_once()
    {
        Import(
            (MeasurementId(January), Record(January, 92)),
            (MeasurementId(31), Record(March, 88)),
            (MeasurementId(71), Record(FirstOf(January, 2027), EndOf(January, 2027), 80)),
            (MeasurementId(February), Record(February, 91)),
            (MeasurementId(12), Record(Day(February, 20), Day(February, 28), 91)));
        Assert.Equal([1, 2, 4], result.Rejections.Select(r => r.Row));
        Assert.Equal([RejectionKind.Conflict, RejectionKind.Unprocessable, RejectionKind.Conflict], result.Rejections.Select(r => r.Rejection.Kind));
    }

    [Fact]
    public void a_single_bad_row_refuses_the_import_with_its_index_and_reason()
    {
        // all or nothing: the caller records the import only when no row was rejected
        Import((MeasurementId(January), Record(January, 92)), (MeasurementId(31), Record(March, 88)), (MeasurementId(April), Record(April, 89)));
        var (row, rejection) = Assert.Single(result.Rejections);
        Assert.Equal(1, row);
        Assert.Contains("post a correction", rejection.Detail);
        Assert.Equal(MeasurementId(March), rejection.Extensions!["existingMeasurementId"]);
    }

    [Fact]
    public void an_empty_import_records_nothing()
    {
        Import();
        Assert.Empty(result.Events);
        Assert.Empty(result.Rejections);
    }
}

public class when_measurements_are_looked_up_by_id : Spec
{
    [Fact]
    public void a_measurement_recorded_after_a_lookup_is_found_and_an_unknown_id_is_not()
    {
        var account = Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90));
        var commitment = account.FindCommitment(CommitmentId)!;
        Assert.NotNull(commitment.FindMeasurement(MeasurementId(January)));

        account = Account.Evolve(account, Measured(February, 88));
        Assert.Equal(88m, commitment.FindMeasurement(MeasurementId(February))!.Value);
        Assert.Null(commitment.FindMeasurement(UnknownId));
    }

    [Fact]
    public void a_commitment_read_back_from_its_snapshot_finds_every_measurement()
    {
        var account = Given(AnAccountOpened(), AMonthlyCommitmentOver2026(), Measured(January, 90), Measured(February, 88));
        account.FindCommitment(CommitmentId)!.FindMeasurement(MeasurementId(January)); // an index built before the round trip
        var json = System.Text.Json.JsonSerializer.Serialize(account);
        var read = System.Text.Json.JsonSerializer.Deserialize<Account>(json)!;
        read = Account.Evolve(read, Measured(March, 86));

        var commitment = read.FindCommitment(CommitmentId)!;
        Assert.Equal([90m, 88m, 86m], new[] { January, February, March }.Select(m => commitment.Measurement(MeasurementId(m)).Value));
    }
}
