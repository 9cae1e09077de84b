namespace ValueLedger.Domain.Audit;

/// <summary>One event row as the ledger holds it now, with the seal written when it was appended.</summary>
public sealed record SealedEvent(
    long Sequence, long Version, string Type, DateTimeOffset Time, string? Author, string Data, string? Hash, string? PreviousHash,
    EventMetadata? Metadata = null)
{
    /// <summary>The seal this row would have if it were written at <paramref name="version"/> after <paramref name="previousHash"/>.</summary>
    public string Recompute(Guid streamId, string? previousHash, long version) =>
        EventSeal.Hash(previousHash ?? "", streamId, version, Type, Time, Author, Data, Metadata ?? EventMetadata.None);
}

/// <summary>How a stream was found to differ from what was sealed.</summary>
public enum Tampering
{
    /// <summary>An event's content (data, type, time, author, id, archive flag, correlation or its seal) is not what was sealed.</summary>
    Changed,
    /// <summary>An event that was sealed is no longer there.</summary>
    Missing,
    /// <summary>Events are there but not in the order they were sealed in.</summary>
    Reordered,
    /// <summary>An event is there that the chain does not account for.</summary>
    Inserted
}

/// <summary>The first place a stream stops matching its seals: which version, why, and the row if there is one.</summary>
public sealed record ChainBreak(long Version, Tampering Reason, long? Sequence, string Detail);

public sealed record ChainVerdict(Guid StreamId, long EventsChecked, ChainBreak? Break)
{
    public bool Verified => Break is null;
}

/// <summary>
/// Recomputes one stream's hash chain, event by event in version order, and names the first event that breaks it.
/// It holds only the last good event, a suspect and what it needs to explain the suspect, so a stream of any length
/// can be checked while it is read.
/// </summary>
/// <remarks>
/// Every row carries the seal written when it was appended: its own hash and the hash it chained to. A row is
/// <em>intact</em> when recomputing its hash from its content gives its seal, and <em>linked</em> when the hash it
/// chained to is the hash of the event before it. Where a row is not both, the seals still tell the story:
/// a gap in versions, or a row that is an intact event from a later version, means events are <b>missing</b>;
/// a row chaining to an event further on means <b>reordered</b>; a row the next event's seal skips over, or
/// two rows chaining to the same predecessor, means <b>inserted</b>; otherwise the content was <b>changed</b>.
/// A stream whose recorded version (Marten's mt_streams) is ahead of or behind its events lost or gained events at the end.
/// </remarks>
public sealed class ChainVerifier(Guid streamId)
{
    /// <summary>How far back a displaced event is searched for when telling "missing" from "changed".</summary>
    private const int MaxDisplacement = 1000;

    private long _eventsChecked;
    private long _expectedVersion = 1;
    private string _expectedPrevious = EventSeal.Genesis;
    private SealedEvent? _lastGood;
    private ChainBreak? _break;

    private SealedEvent? _suspect;
    private bool _suspectLinked;
    private SealedEvent? _afterSuspect;
    private bool _suspectChainsToALaterEvent;

    public Guid StreamId { get; } = streamId;

    /// <summary>The hash of the last event that checked out so far (the stream head while the chain holds).</summary>
    public string HeadHash => _expectedPrevious;

    public void Add(SealedEvent row)
    {
        _eventsChecked++;
        if (_break is not null) return;
        if (_suspect is not null)
        {
            _afterSuspect ??= row;
            if (row.Hash is not null && row.Hash == _suspect.PreviousHash) _suspectChainsToALaterEvent = true;
            return;
        }

        var intact = row.Hash is not null && row.Recompute(StreamId, row.PreviousHash, row.Version) == row.Hash;
        var linked = row.PreviousHash == _expectedPrevious;
        if (row.Version == _expectedVersion && intact && linked)
        {
            _lastGood = row;
            _expectedPrevious = row.Hash!;
            _expectedVersion++;
            return;
        }

        if (row.Version > _expectedVersion)
            _break = new ChainBreak(_expectedVersion, Tampering.Missing, null,
                $"Version {_expectedVersion} is not in the stream: the next event is version {row.Version}.");
        else if (row.Version < _expectedVersion)
            _break = new ChainBreak(row.Version, Tampering.Inserted, row.Sequence,
                $"A second event claims version {row.Version}.");
        else if (_lastGood is not null && row.PreviousHash is not null && row.PreviousHash == _lastGood.PreviousHash)
            _break = new ChainBreak(_lastGood.Version, Tampering.Inserted, _lastGood.Sequence,
                $"Version {_lastGood.Version} was not sealed in this place: the event after it chains to version {_lastGood.Version - 1}.");
        else if (intact && _lastGood is not null)
            _break = new ChainBreak(_lastGood.Version, Tampering.Changed, _lastGood.Sequence,
                $"Version {_lastGood.Version} was altered and sealed again: version {row.Version} still chains to the hash it had when it was written.");
        else
        {
            _suspect = row;
            _suspectLinked = linked;
        }
    }

    /// <param name="recordedVersion">The version the stream itself records (null when unknown).</param>
    public ChainVerdict Complete(long? recordedVersion)
    {
        if (_suspect is not null && _break is null) _break = Explain(_suspect);
        var lastVersion = _expectedVersion - 1;
        if (_break is null && recordedVersion is { } recorded && recorded != lastVersion)
        {
            _break = recorded > lastVersion
                ? new ChainBreak(lastVersion + 1, Tampering.Missing, null,
                    $"The stream records version {recorded} but its events end at version {lastVersion}.")
                : new ChainBreak(recorded + 1, Tampering.Inserted, null,
                    $"The stream records version {recorded} but has events up to version {lastVersion}.");
        }
        return new ChainVerdict(StreamId, _eventsChecked, _break);
    }

    private ChainBreak Explain(SealedEvent suspect)
    {
        var version = _expectedVersion;
        if (!_suspectLinked && _suspectChainsToALaterEvent)
            return new ChainBreak(version, Tampering.Reordered, suspect.Sequence,
                $"The event at version {version} was sealed after an event that now comes later in the stream.");
        if (_afterSuspect is not null && _afterSuspect.PreviousHash == _expectedPrevious)
            return new ChainBreak(version, Tampering.Inserted, suspect.Sequence,
                $"The event at version {version} is not part of the chain: the next event chains to version {version - 1}.");
        if (!_suspectLinked && DisplacedBy(suspect) is { } displacement)
            return new ChainBreak(version, Tampering.Missing, null,
                $"The event at version {version} was sealed as version {version + displacement}: {displacement} event(s) before it are gone.");
        return new ChainBreak(version, Tampering.Changed, suspect.Sequence, suspect.Hash is null
            ? $"The event at version {version} carries no seal: it was written or rewritten without the sealing trigger (it is reported, never resealed)."
            : $"The event at version {version} does not match its seal.");
    }

    private long? DisplacedBy(SealedEvent row)
    {
        if (row.Hash is null) return null;
        for (var d = 1; d <= MaxDisplacement; d++)
            if (row.Recompute(StreamId, row.PreviousHash, row.Version + d) == row.Hash) return d;
        return null;
    }
}
