using ValueLedger.Domain.Audit;

namespace ValueLedger.Api.Features.Audit.Checkpoints;

/// <summary>A checkpoint as the API and the sinks give it: what <see cref="Checkpoint"/> states, and its Ed25519 signature (base64).</summary>
public sealed record SignedCheckpoint(string Scheme, long TreeSize, string RootHash, DateTimeOffset Timestamp, string KeyId, string Signature)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public Checkpoint Statement => new(TreeSize, RootHash, Timestamp, KeyId);
}

/// <summary>A checkpoint as the ledger keeps it: the signed statement and the tree's subtrees, so the next one resumes from it.</summary>
public sealed class StoredCheckpoint
{
    public Guid Id { get; set; }
    public long TreeSize { get; set; }
    public string RootHash { get; set; } = "";
    public DateTimeOffset Timestamp { get; set; }
    public string KeyId { get; set; } = "";
    public string Signature { get; set; } = "";
    /// <summary>The sequence of the last event the tree covers (0 for the empty tree).</summary>
    public long LastSequence { get; set; }
    public List<string> Subtrees { get; set; } = [];

    public SignedCheckpoint ToSigned() => new(Checkpoint.Scheme, TreeSize, RootHash, Timestamp, KeyId, Signature);
}

public sealed record InclusionProof(long Sequence, long LeafIndex, long TreeSize, string LeafHash, IReadOnlyList<string> AuditPath, string RootHash);

/// <summary>An event's place in a checkpointed tree: enough, with the event's seal and the checkpoint, to check it offline.</summary>
public sealed record LeafProof(long LeafIndex, long TreeSize, IReadOnlyList<string> AuditPath);

public sealed class AccountProofs(long treeSize, LedgerTreeProofs tree, IReadOnlyDictionary<long, long> leafIndexBySequence)
{
    public long TreeSize => treeSize;

    public LeafProof? For(long sequence) => leafIndexBySequence.TryGetValue(sequence, out var index)
        ? new LeafProof(index, treeSize, tree.InclusionProof(index, treeSize).Select(LedgerCheckpoints.Hex).ToList())
        : null;
}

public sealed record ConsistencyProof(long From, long To, string FromRoot, string ToRoot, IReadOnlyList<string> Proof);

/// <summary>
/// What other slices need of the checkpoints (a receipt of a sign-off carries the latest checkpoint and the inclusion
/// proof of the event it created).
/// </summary>
public interface ILedgerCheckpoints
{
    Task<SignedCheckpoint?> LatestAsync(CancellationToken ct);

    /// <summary>The proof that the event at <paramref name="sequence"/> is in the tree of <paramref name="treeSize"/> (default: the latest checkpoint's); null when no such tree covers it.</summary>
    Task<InclusionProof?> InclusionProofAsync(long sequence, long? treeSize, CancellationToken ct);
}

public sealed class LedgerCheckpoints(IDocumentStore store) : ILedgerCheckpoints
{
    public static async Task<StoredCheckpoint?> LatestStoredAsync(IQuerySession session, CancellationToken ct) =>
        await session.Query<StoredCheckpoint>().OrderByDescending(c => c.TreeSize).ThenByDescending(c => c.Timestamp).FirstOrDefaultAsync(ct);

    public async Task<SignedCheckpoint?> LatestAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return (await LatestStoredAsync(session, ct))?.ToSigned();
    }

    public async Task<InclusionProof?> InclusionProofAsync(long sequence, long? treeSize, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await InclusionProofAsync(session, sequence, treeSize, ct);
    }

    public static async Task<InclusionProof?> InclusionProofAsync(IQuerySession session, long sequence, long? treeSize, CancellationToken ct)
    {
        var size = treeSize ?? (await LatestStoredAsync(session, ct))?.TreeSize ?? 0;
        var leaf = await session.LoadAsync<LedgerLeaf>(sequence, ct);
        if (leaf is null || leaf.Index >= size) return null;
        var tree = await RecordedTreeAsync(session, size, t =>
        {
            t.InclusionProof(leaf.Index, size);
            t.Root(size);
        }, ct);
        if (tree is null) return null;
        return new InclusionProof(sequence, leaf.Index, size, Hex(LedgerTree.LeafOfSeal(leaf.Seal)), tree.InclusionProof(leaf.Index, size).Select(Hex).ToList(),
            Hex(tree.Root(size)));
    }

    public static async Task<ConsistencyProof?> ConsistencyProofAsync(IQuerySession session, long from, long to, CancellationToken ct)
    {
        var tree = await RecordedTreeAsync(session, to, t =>
        {
            t.ConsistencyProof(from, to);
            t.Root(from);
            t.Root(to);
        }, ct);
        if (tree is null) return null;
        return new ConsistencyProof(from, to, Hex(tree.Root(from)), Hex(tree.Root(to)), tree.ConsistencyProof(from, to).Select(Hex).ToList());
    }

    /// <summary>
    /// The tree of <paramref name="treeSize"/> leaves for <paramref name="computation"/>: from the recorded subtree
    /// nodes (a few reads), or, for a tree recorded before nodes were kept, from all its leaves. Null when no checkpoint
    /// has covered that many leaves.
    /// </summary>
    private static async Task<LedgerTreeProofs?> RecordedTreeAsync(IQuerySession session, long treeSize, Action<LedgerTreeProofs> computation, CancellationToken ct)
    {
        var lastIndex = treeSize - 1;
        if (treeSize > 0 && await session.Query<LedgerLeaf>().AnyAsync(l => l.Index == lastIndex, ct) is false) return null;
        if (await LedgerLeaves.RecordedTreeAsync(session, computation, ct) is { } recorded) return recorded;
        var leaves = await LedgerLeaves.LeafHashesAsync(session, treeSize, ct);
        if (leaves.Count < treeSize) return null;
        var prepared = new PreparedLedgerTree(leaves);
        return new LedgerTreeProofs((height, index) => prepared.Node(height, index));
    }

    /// <summary>
    /// Proofs for the events of one account in the tree of <paramref name="treeSize"/> (default: the latest checkpoint's),
    /// so that its export can be checked against a whole-ledger checkpoint. Null when no checkpoint covers anything yet.
    /// </summary>
    public static async Task<AccountProofs?> AccountProofsAsync(IQuerySession session, Guid accountId, long? treeSize, CancellationToken ct)
    {
        var size = treeSize ?? (await LatestStoredAsync(session, ct))?.TreeSize ?? 0;
        if (size == 0) return null;
        var indexes = await session.Query<LedgerLeaf>().Where(l => l.StreamId == accountId && l.Index < size)
            .Select(l => new { l.Id, l.Index }).ToListAsync(ct);
        var tree = await RecordedTreeAsync(session, size, t =>
        {
            foreach (var leaf in indexes) t.InclusionProof(leaf.Index, size);
        }, ct);
        return tree is null ? null : new AccountProofs(size, tree, indexes.ToDictionary(l => l.Id, l => l.Index));
    }

    public static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
