using System.Runtime.CompilerServices;
using ValueLedger.Domain.Audit;

namespace ValueLedger.Api.Features.Audit;

/// <summary>One row of mt_events exactly as stored (the data as PostgreSQL renders the jsonb), with its stream's recorded version.</summary>
public sealed record StoredEventRow(
    Guid StreamId, long? RecordedVersion, long? Sequence, long? Version, string? Type, DateTimeOffset? Time, string? Author,
    string? Data, string? Hash, string? PreviousHash, Guid? EventId = null, bool? Archived = null, string? CorrelationId = null,
    string? CausationId = null)
{
    public SealedEvent? ToSealed() => Version is { } version
        ? new SealedEvent(Sequence ?? 0, version, Type ?? "", Time ?? default, Author, Data ?? "", Hash, PreviousHash,
            new EventMetadata(EventId ?? Guid.Empty, Archived ?? false, CorrelationId, CausationId))
        : null;
}

public sealed record StreamHeadRow(Guid StreamId, long Version, string? Hash)
{
    public StreamHead ToHead() => new(StreamId, Version, Hash ?? "");
}

/// <summary>One stream's verdict and the head its chain ends in.</summary>
public sealed record StreamCheck(ChainVerdict Verdict, string HeadHash);

/// <summary>
/// Reads the stored rows for verification with Marten's raw SQL streaming (nothing is held in memory beyond a row),
/// bypassing event deserialization: the seal covers the text PostgreSQL stores, so that text is what is checked.
/// </summary>
public static class LedgerReader
{
    private static string Columns(string recordedVersion) => $"""
        jsonb_build_object('streamId', s.id, 'recordedVersion', {recordedVersion}, 'sequence', e.seq_id, 'version', e.version,
          'type', e.type, 'time', e.timestamp, 'author', e.user_name, 'data', e.data::text,
          'hash', e.headers ->> '{EventSealTrigger.HashHeader}', 'previousHash', e.headers ->> '{EventSealTrigger.PreviousHashHeader}',
          'eventId', e.id, 'archived', e.is_archived, 'correlationId', e.correlation_id, 'causationId', e.causation_id)
        """;

    private static string Schema(IQuerySession session) => session.DocumentStore.Options.Events.DatabaseSchemaName;

    /// <summary>
    /// Every stream (or one), each event in version order, with the version the stream records. Marten's tombstone
    /// stream (version 0, placeholders for failed appends) is not part of the ledger.
    /// </summary>
    public static IAsyncEnumerable<StoredEventRow> ReadStreams(IQuerySession session, Guid? streamId, CancellationToken ct)
    {
        var schema = Schema(session);
        var filter = streamId is null ? "" : "and s.id = ?";
        var sql = $"""
            select {Columns("s.version")}
            from {schema}.mt_streams s left join {schema}.mt_events e on e.stream_id = s.id and e.type <> '{Tombstone.Name}'
            where s.version > 0 {filter}
            order by s.id, e.version, e.seq_id
            """;
        return streamId is { } id
            ? session.AdvancedSql.StreamAsync<StoredEventRow>(sql, ct, id)
            : session.AdvancedSql.StreamAsync<StoredEventRow>(sql, ct);
    }

    /// <summary>For each head of a digest, that stream's events up to the head's version.</summary>
    public static IAsyncEnumerable<StoredEventRow> ReadPrefixes(IQuerySession session, IReadOnlyList<StreamHead> heads, CancellationToken ct)
    {
        var schema = Schema(session);
        var sql = $"""
            with s(id, version) as (select * from unnest(?::uuid[], ?::bigint[]))
            select {Columns("s.version")}
            from s left join {schema}.mt_events e on e.stream_id = s.id and e.version <= s.version and e.type <> '{Tombstone.Name}'
            order by s.id, e.version, e.seq_id
            """;
        return session.AdvancedSql.StreamAsync<StoredEventRow>(sql, ct,
            heads.Select(h => h.StreamId).ToArray(), heads.Select(h => h.Version).ToArray());
    }

    /// <summary>The last event of every stream as it is stored now.</summary>
    public static IAsyncEnumerable<StreamHeadRow> ReadHeads(IQuerySession session, CancellationToken ct)
    {
        var schema = Schema(session);
        var sql = $"""
            select jsonb_build_object('streamId', s.id, 'version', e.version, 'hash', e.headers ->> '{EventSealTrigger.HashHeader}')
            from {schema}.mt_streams s
            join lateral (select version, headers from {schema}.mt_events
                          where stream_id = s.id and type <> '{Tombstone.Name}' order by version desc limit 1) e on true
            where s.version > 0
            """;
        return session.AdvancedSql.StreamAsync<StreamHeadRow>(sql, ct);
    }

    /// <summary>Feeds rows, grouped by stream, through a <see cref="ChainVerifier"/> each.</summary>
    public static async IAsyncEnumerable<StreamCheck> VerifyAsync(IAsyncEnumerable<StoredEventRow> rows, [EnumeratorCancellation] CancellationToken ct)
    {
        ChainVerifier? verifier = null;
        long? recorded = null;
        await foreach (var row in rows.WithCancellation(ct))
        {
            if (verifier is null || verifier.StreamId != row.StreamId)
            {
                if (verifier is not null) yield return new StreamCheck(verifier.Complete(recorded), verifier.HeadHash);
                verifier = new ChainVerifier(row.StreamId);
                recorded = row.RecordedVersion;
            }
            if (row.ToSealed() is { } sealedEvent) verifier.Add(sealedEvent);
        }
        if (verifier is not null) yield return new StreamCheck(verifier.Complete(recorded), verifier.HeadHash);
    }
}
