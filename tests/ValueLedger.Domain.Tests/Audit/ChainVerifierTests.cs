using ValueLedger.Domain.Audit;

namespace ValueLedger.Domain.Tests.Audit;

/// <summary>
/// A stream of five events sealed the way the ledger's trigger seals them, then tampered with the way someone with
/// write access to the table could: each test names the event verification must point at.
/// </summary>
public sealed class when_a_hash_chain_is_verified
{
    private static readonly Guid Stream = Guid.Parse("0195f2a4-0000-7000-8000-000000000001");
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);

    /// <summary>The table: rows in version order, as verification reads them.</summary>
    private readonly List<SealedEvent> _rows = [];
    private long _nextSequence = 100;

    public when_a_hash_chain_is_verified()
    {
        for (var version = 1; version <= 5; version++) Append($$"""{"value": {{version * 10}}}""");
    }

    /// <summary>What the trigger does: chain to the event at version - 1, whatever is there now.</summary>
    private SealedEvent Seal(long version, string data, string type = "measurement_recorded", string author = "casey.csm")
    {
        var previous = version == 1 ? EventSeal.Genesis : _rows.Single(r => r.Version == version - 1).Hash!;
        var time = Start.AddMinutes(version);
        return new SealedEvent(_nextSequence++, version, type, time, author, data, EventSeal.Hash(previous, Stream, version, type, time, author, data, EventMetadata.None), previous);
    }

    private void Append(string data) => _rows.Add(Seal(_rows.Count + 1, data));

    private ChainVerdict Verify(long? recordedVersion = 5)
    {
        var verifier = new ChainVerifier(Stream);
        foreach (var row in _rows.OrderBy(r => r.Version)) verifier.Add(row);
        return verifier.Complete(recordedVersion);
    }

    private SealedEvent At(long version) => _rows.Single(r => r.Version == version);
    private void Replace(long version, Func<SealedEvent, SealedEvent> change) => _rows[_rows.IndexOf(At(version))] = change(At(version));

    private static void AssertBroken(ChainVerdict verdict, long version, Tampering reason)
    {
        Assert.False(verdict.Verified);
        Assert.Equal((version, reason), (verdict.Break!.Version, verdict.Break.Reason));
    }

    [Fact]
    public void an_untouched_stream_verifies_and_counts_its_events()
    {
        var verdict = Verify();
        Assert.True(verdict.Verified);
        Assert.Equal(5, verdict.EventsChecked);
    }

    [Fact]
    public void changed_data_names_that_event()
    {
        Replace(3, r => r with { Data = """{"value": 31}""" });
        var verdict = Verify();
        AssertBroken(verdict, 3, Tampering.Changed);
        Assert.Equal(At(3).Sequence, verdict.Break!.Sequence);
    }

    [Theory]
    [InlineData("type")]
    [InlineData("time")]
    [InlineData("author")]
    [InlineData("hash")]
    public void any_changed_field_names_that_event(string field)
    {
        Replace(4, r => field switch
        {
            "type" => r with { Type = "measurement_corrected" },
            "time" => r with { Time = r.Time.AddDays(-1) },
            "author" => r with { Author = "mallory" },
            _ => r with { Hash = new string('f', 64) }
        });
        AssertBroken(Verify(), 4, Tampering.Changed);
    }

    [Fact]
    public void a_change_sealed_again_is_named_by_the_event_that_still_chains_to_the_original()
    {
        Replace(2, r =>
        {
            var forged = r with { Data = """{"value": 99}""" };
            return forged with { Hash = forged.Recompute(Stream, r.PreviousHash, r.Version) };
        });
        AssertBroken(Verify(), 2, Tampering.Changed);
    }

    [Fact]
    public void a_deleted_event_is_missing()
    {
        _rows.Remove(At(3));
        AssertBroken(Verify(), 3, Tampering.Missing);
    }

    [Fact]
    public void a_deleted_event_whose_successors_were_renumbered_is_missing()
    {
        _rows.Remove(At(3));
        foreach (var row in _rows.Where(r => r.Version > 3).ToList()) _rows[_rows.IndexOf(row)] = row with { Version = row.Version - 1 };
        AssertBroken(Verify(recordedVersion: 4), 3, Tampering.Missing);
    }

    [Fact]
    public void a_deleted_last_event_is_missing_against_the_recorded_stream_version()
    {
        _rows.Remove(At(5));
        AssertBroken(Verify(), 5, Tampering.Missing);
    }

    [Fact]
    public void a_stream_without_events_that_records_some_is_missing_the_first()
    {
        _rows.Clear();
        AssertBroken(Verify(), 1, Tampering.Missing);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 3)]
    [InlineData(4, 5)]
    [InlineData(2, 5)]
    public void swapped_events_are_reordered_from_the_first_one_out_of_place(long first, long second)
    {
        var (a, b) = (At(first), At(second));
        _rows[_rows.IndexOf(a)] = a with { Version = second };
        _rows[_rows.IndexOf(b)] = b with { Version = first };
        AssertBroken(Verify(), first, Tampering.Reordered);
    }

    [Fact]
    public void an_event_inserted_into_the_middle_and_sealed_by_the_trigger_is_inserted()
    {
        foreach (var row in _rows.Where(r => r.Version >= 3).ToList()) _rows[_rows.IndexOf(row)] = row with { Version = row.Version + 1 };
        var forged = Seal(3, """{"value": 25}""", author: "mallory");
        _rows.Add(forged);
        var verdict = Verify(recordedVersion: 6);
        AssertBroken(verdict, 3, Tampering.Inserted);
        Assert.Equal(forged.Sequence, verdict.Break!.Sequence);
    }

    [Fact]
    public void an_event_inserted_at_the_start_is_inserted()
    {
        foreach (var row in _rows.ToList()) _rows[_rows.IndexOf(row)] = row with { Version = row.Version + 1 };
        _rows.Add(new SealedEvent(1, 1, "account_opened", Start, "mallory", "{}", null, null));
        AssertBroken(Verify(recordedVersion: 6), 1, Tampering.Inserted);
    }

    [Fact]
    public void an_unsealed_event_inserted_into_the_middle_is_inserted()
    {
        foreach (var row in _rows.Where(r => r.Version >= 3).ToList()) _rows[_rows.IndexOf(row)] = row with { Version = row.Version + 1 };
        _rows.Add(new SealedEvent(_nextSequence++, 3, "measurement_recorded", Start, "mallory", """{"value": 25}""", null, null));
        AssertBroken(Verify(recordedVersion: 6), 3, Tampering.Inserted);
    }

    [Fact]
    public void an_event_appended_behind_the_streams_back_is_inserted()
    {
        Append("""{"value": 60}""");
        AssertBroken(Verify(recordedVersion: 5), 6, Tampering.Inserted);
        Assert.True(Verify(recordedVersion: 6).Verified);
    }

    [Fact]
    public void the_head_hash_is_the_hash_of_the_last_event()
    {
        var verifier = new ChainVerifier(Stream);
        foreach (var row in _rows) verifier.Add(row);
        Assert.Equal(At(5).Hash, verifier.HeadHash);
    }
}
