using ValueLedger.Domain.Audit;

namespace ValueLedger.Api.Features.Audit.Checkpoints;

/// <summary>
/// One leaf of the ledger tree: the seal of the event at global position <see cref="Index"/> (0-based, in Marten's
/// sequence order, tombstones left out), kept as it was when a checkpoint first covered it. Id is the event's sequence.
/// </summary>
public sealed class LedgerLeaf
{
    public long Id { get; set; }
    public long Index { get; set; }
    public Guid StreamId { get; set; }
    public long Version { get; set; }
    public string? Seal { get; set; }
}

/// <summary>
/// The hash of one perfect, aligned subtree of the ledger tree above the leaves (height from 1; see
/// <see cref="LedgerTreeProofs"/>), recorded when a checkpoint's leaves complete it, so that a proof reads O(log² n)
/// of these instead of every leaf. Id: <c>height/index</c>.
/// </summary>
public sealed class LedgerNode
{
    public string Id { get; set; } = "";
    public string Hash { get; set; } = "";

    public static string IdOf(int height, long index) => $"{height}/{index}";
}

/// <summary>An event row as the tree sees it: its place, its stream and version, and its seal as stored now.</summary>
public sealed record LeafRow(long Sequence, Guid StreamId, long Version, string? Seal);

/// <summary>Reads what the tree is built from, straight from mt_events (the seals PostgreSQL wrote), in global order.</summary>
public static class LedgerLeaves
{
    private static string Schema(IQuerySession session) => session.DocumentStore.Options.Events.DatabaseSchemaName;

    /// <summary>Sealed events after <paramref name="afterSequence"/> up to <paramref name="upToSequence"/>, in sequence order.</summary>
    public static IAsyncEnumerable<LeafRow> ReadEvents(IQuerySession session, long afterSequence, long upToSequence, CancellationToken ct) =>
        session.AdvancedSql.StreamAsync<LeafRow>($"""
            select jsonb_build_object('sequence', seq_id, 'streamId', stream_id, 'version', version, 'seal', headers ->> 'hash')
            from {Schema(session)}.mt_events
            where type <> '{Tombstone.Name}' and seq_id > ? and seq_id <= ?
            order by seq_id
            """, ct, afterSequence, upToSequence);

    /// <summary>
    /// The highest sequence below which every event is committed: Marten's high water mark (what the async daemon has
    /// seen complete, gaps of failed appends skipped), extended over any unbroken run of sequences above it. A
    /// checkpoint never covers a position a slower transaction may still fill, so later checkpoints stay consistent.
    /// </summary>
    public static async Task<long> SafeSequenceAsync(IQuerySession session, CancellationToken ct)
    {
        var s = Schema(session);
        var rows = await session.AdvancedSql.QueryAsync<long>($"""
            with hwm as (select coalesce((select last_seq_id from {s}.mt_event_progression where name = 'HighWaterMark'), 0) as v)
            select coalesce(case
              when not exists (select 1 from {s}.mt_events e, hwm where e.seq_id = hwm.v + 1) then (select v from hwm)
              else (select min(e.seq_id) from {s}.mt_events e, hwm where e.seq_id > hwm.v
                      and not exists (select 1 from {s}.mt_events n where n.seq_id = e.seq_id + 1))
            end, 0)
            """, ct);
        return rows.SingleOrDefault();
    }

    /// <summary>
    /// Proof computations over the recorded nodes: every node <paramref name="computation"/> needs is fetched in two
    /// queries (leaves by index, nodes by id). Null when a node is missing (a tree recorded before nodes were kept):
    /// the caller then hashes the leaves instead.
    /// </summary>
    public static async Task<LedgerTreeProofs?> RecordedTreeAsync(IQuerySession session, Action<LedgerTreeProofs> computation, CancellationToken ct)
    {
        var needed = LedgerTreeProofs.NodesNeeded(computation);
        var leafIndexes = needed.Where(n => n.Height == 0).Select(n => n.Index).ToArray();
        var nodeIds = needed.Where(n => n.Height > 0).Select(n => LedgerNode.IdOf(n.Height, n.Index)).ToArray();
        var leaves = leafIndexes.Length == 0 ? [] : await session.Query<LedgerLeaf>().Where(l => leafIndexes.Contains(l.Index)).ToListAsync(ct);
        var nodes = nodeIds.Length == 0 ? [] : await session.LoadManyAsync<LedgerNode>(ct, nodeIds);
        if (leaves.Count != leafIndexes.Length || nodes.Count != nodeIds.Length) return null;
        var hashes = leaves.ToDictionary(l => LedgerNode.IdOf(0, l.Index), l => LedgerTree.LeafOfSeal(l.Seal));
        foreach (var n in nodes) hashes[n.Id] = Convert.FromHexString(n.Hash);
        return new LedgerTreeProofs((height, index) => hashes[LedgerNode.IdOf(height, index)]);
    }

    /// <summary>The leaf hashes of the first <paramref name="treeSize"/> leaves as the checkpoints recorded them.</summary>
    public static async Task<List<byte[]>> LeafHashesAsync(IQuerySession session, long treeSize, CancellationToken ct)
    {
        var seals = await session.Query<LedgerLeaf>().Where(l => l.Index < treeSize).OrderBy(l => l.Index)
            .Select(l => l.Seal).ToListAsync(ct);
        return seals.Select(LedgerTree.LeafOfSeal).ToList();
    }
}
