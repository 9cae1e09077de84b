namespace ValueLedger.Domain.Audit;

/// <summary>
/// What an auditor keeps outside the system: the head of every stream at a moment and the Merkle root over them.
/// The root alone is enough to keep; the heads let the ledger be checked against it later.
/// </summary>
public sealed record LedgerDigest(string Scheme, DateTimeOffset AsOf, int Streams, long Events, string RootHash, IReadOnlyList<StreamHead> Heads)
{
    public const string CurrentScheme = "valueledger-seal-v1";

    public static LedgerDigest Of(DateTimeOffset asOf, IEnumerable<StreamHead> heads)
    {
        var ordered = MerkleTree.Ordered(heads);
        return new LedgerDigest(CurrentScheme, asOf, ordered.Count, ordered.Sum(h => h.Version), MerkleTree.Root(ordered), ordered);
    }

    /// <summary>Why the digest does not hold together by itself (edited after it was issued), or null when it does.</summary>
    public string? Inconsistency()
    {
        if (Heads.Select(h => h.StreamId).Distinct().Count() != Heads.Count) return "A stream appears more than once among the heads.";
        if (MerkleTree.Root(Heads) != RootHash) return "The root hash is not the Merkle root of the heads.";
        if (Streams != Heads.Count) return $"The digest counts {Streams} streams but lists {Heads.Count} heads.";
        if (Events != Heads.Sum(h => h.Version)) return $"The digest counts {Events} events but its heads cover {Heads.Sum(h => h.Version)}.";
        return null;
    }
}
