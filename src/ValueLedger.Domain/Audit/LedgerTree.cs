using System.Security.Cryptography;

namespace ValueLedger.Domain.Audit;

/// <summary>
/// The Merkle tree of RFC 9162 (Certificate Transparency 2.0, section 2.1) over the whole ledger: one leaf per sealed
/// event in global order (Marten's sequence), the leaf's data being the event's 32-byte seal. Leaf hash
/// <c>SHA-256(0x00 || seal)</c>, node hash <c>SHA-256(0x01 || left || right)</c>, the tree of n leaves split at the
/// largest power of two below n, the empty tree's root <c>SHA-256("")</c>. Inclusion and consistency proofs, and
/// their verification, follow sections 2.1.3 and 2.1.4 to the letter, so any RFC 9162 client can check them.
/// Pure functions: the API, the checkpoint job and the offline verifier share them.
/// </summary>
public static class LedgerTree
{
    public static byte[] EmptyRoot() => SHA256.HashData([]);

    public static byte[] LeafHash(ReadOnlySpan<byte> leafData)
    {
        Span<byte> input = stackalloc byte[leafData.Length + 1];
        input[0] = 0x00;
        leafData.CopyTo(input[1..]);
        return SHA256.HashData(input);
    }

    /// <summary>The leaf of an event: its seal (64 hex digits) as 32 bytes; an event without a well-formed seal has no bytes.</summary>
    public static byte[] LeafOfSeal(string? seal) => LeafHash(EventSeal.IsHash(seal) ? Convert.FromHexString(seal!) : []);

    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> input = stackalloc byte[65];
        input[0] = 0x01;
        left.CopyTo(input[1..]);
        right.CopyTo(input[33..]);
        return SHA256.HashData(input);
    }

    /// <summary>MTH(D[n]) over leaf hashes.</summary>
    public static byte[] Root(IReadOnlyList<byte[]> leafHashes) => new PreparedLedgerTree(leafHashes).Root(leafHashes.Count);

    /// <summary>PATH(m, D[n]): the audit path of leaf <paramref name="index"/> in the tree of the first <paramref name="treeSize"/> leaves.</summary>
    public static IReadOnlyList<byte[]> InclusionProof(IReadOnlyList<byte[]> leafHashes, long index, long treeSize) =>
        new PreparedLedgerTree(leafHashes).InclusionProof(index, treeSize);

    /// <summary>PROOF(m, D[n]): that the tree of the first <paramref name="oldSize"/> leaves is a prefix of the tree of <paramref name="newSize"/>.</summary>
    public static IReadOnlyList<byte[]> ConsistencyProof(IReadOnlyList<byte[]> leafHashes, long oldSize, long newSize) =>
        new PreparedLedgerTree(leafHashes).ConsistencyProof(oldSize, newSize);

    internal static long LargestPowerOfTwoBelow(long n)
    {
        var k = 1L;
        while (k << 1 < n) k <<= 1;
        return k;
    }

    /// <summary>RFC 9162 section 2.1.3.2: does <paramref name="proof"/> put <paramref name="leafHash"/> at <paramref name="index"/> under <paramref name="root"/>?</summary>
    public static bool VerifyInclusion(long index, long treeSize, byte[] leafHash, IReadOnlyList<byte[]> proof, byte[] root)
    {
        if (index < 0 || index >= treeSize) return false;
        long fn = index, sn = treeSize - 1;
        var r = leafHash;
        foreach (var p in proof)
        {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                if ((fn & 1) == 0)
                    while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
            }
            else r = NodeHash(r, p);
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    /// <summary>RFC 9162 section 2.1.4.2: is the tree of <paramref name="oldSize"/> with <paramref name="oldRoot"/> a prefix of the tree of <paramref name="newSize"/> with <paramref name="newRoot"/>?</summary>
    public static bool VerifyConsistency(long oldSize, long newSize, byte[] oldRoot, byte[] newRoot, IReadOnlyList<byte[]> proof)
    {
        if (oldSize < 0 || oldSize > newSize) return false;
        if (oldSize == newSize) return proof.Count == 0 && oldRoot.AsSpan().SequenceEqual(newRoot);
        if (oldSize == 0) return proof.Count == 0;
        if (proof.Count == 0) return false;
        var path = new List<byte[]>(proof);
        if (IsPowerOfTwo(oldSize)) path.Insert(0, oldRoot);
        long fn = oldSize - 1, sn = newSize - 1;
        while ((fn & 1) == 1) { fn >>= 1; sn >>= 1; }
        byte[] fr = path[0], sr = path[0];
        for (var i = 1; i < path.Count; i++)
        {
            var c = path[i];
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = NodeHash(c, fr);
                sr = NodeHash(c, sr);
                if ((fn & 1) == 0)
                    while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
            }
            else sr = NodeHash(sr, c);
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && fr.AsSpan().SequenceEqual(oldRoot) && sr.AsSpan().SequenceEqual(newRoot);
    }

    private static bool IsPowerOfTwo(long n) => n > 0 && (n & (n - 1)) == 0;
}

/// <summary>
/// Roots, inclusion proofs and consistency proofs (RFC 9162 sections 2.1.1 to 2.1.4) computed from the hashes of
/// perfect, aligned subtrees: <c>node(height, index)</c> is the root of leaves <c>[index · 2^height, (index + 1) · 2^height)</c>
/// (height 0: the leaf hash). Each result costs O(log² n) lookups, whatever the tree's size, so a store that keeps
/// those nodes answers a proof without reading the whole ledger. <see cref="NodesNeeded"/> names the lookups a
/// computation will make, so they can be fetched in one round trip first.
/// </summary>
public sealed class LedgerTreeProofs(Func<int, long, byte[]> node)
{
    private static readonly byte[] Placeholder = new byte[32];

    /// <summary>The (height, index) nodes that <paramref name="computation"/> looks up, without their hashes.</summary>
    public static IReadOnlySet<(int Height, long Index)> NodesNeeded(Action<LedgerTreeProofs> computation)
    {
        var needed = new HashSet<(int, long)>();
        computation(new LedgerTreeProofs((height, index) =>
        {
            needed.Add((height, index));
            return Placeholder;
        }));
        return needed;
    }

    public byte[] Root(long size)
    {
        if (size < 0) throw new ArgumentOutOfRangeException(nameof(size));
        return Subtree(0, size);
    }

    private byte[] Subtree(long start, long count)
    {
        if (count == 0) return LedgerTree.EmptyRoot();
        if ((count & (count - 1)) == 0 && start % count == 0)
        {
            var height = System.Numerics.BitOperations.Log2((ulong)count);
            return node(height, start >> height);
        }
        var k = LedgerTree.LargestPowerOfTwoBelow(count);
        return LedgerTree.NodeHash(Subtree(start, k), Subtree(start + k, count - k));
    }

    public IReadOnlyList<byte[]> InclusionProof(long index, long treeSize)
    {
        if (index < 0 || index >= treeSize) throw new ArgumentOutOfRangeException(nameof(index));
        var proof = new List<byte[]>();
        Path(index, 0, treeSize, proof);
        return proof;
    }

    private void Path(long m, long start, long n, List<byte[]> proof)
    {
        if (n <= 1) return;
        var k = LedgerTree.LargestPowerOfTwoBelow(n);
        if (m < k)
        {
            Path(m, start, k, proof);
            proof.Add(Subtree(start + k, n - k));
        }
        else
        {
            Path(m - k, start + k, n - k, proof);
            proof.Add(Subtree(start, k));
        }
    }

    public IReadOnlyList<byte[]> ConsistencyProof(long oldSize, long newSize)
    {
        if (oldSize < 0 || oldSize > newSize) throw new ArgumentOutOfRangeException(nameof(oldSize));
        var proof = new List<byte[]>();
        if (oldSize == 0 || oldSize == newSize) return proof;
        SubProof(oldSize, 0, newSize, true, proof);
        return proof;
    }

    private void SubProof(long m, long start, long n, bool complete, List<byte[]> proof)
    {
        if (m == n)
        {
            if (!complete) proof.Add(Subtree(start, n));
            return;
        }
        var k = LedgerTree.LargestPowerOfTwoBelow(n);
        if (m <= k)
        {
            SubProof(m, start, k, complete, proof);
            proof.Add(Subtree(start + k, n - k));
        }
        else
        {
            SubProof(m - k, start + k, n - k, false, proof);
            proof.Add(Subtree(start, k));
        }
    }
}

/// <summary>
/// The leaves of a tree with every perfect, aligned subtree hashed once, so that roots, inclusion proofs and
/// consistency proofs cost a few lookups each (an export with thousands of proofs hashes the tree once).
/// </summary>
public sealed class PreparedLedgerTree
{
    private readonly List<byte[][]> _levels = [];
    private readonly LedgerTreeProofs _proofs;

    public PreparedLedgerTree(IReadOnlyList<byte[]> leafHashes)
    {
        _levels.Add(leafHashes.ToArray());
        for (var level = _levels[0]; level.Length > 1;)
        {
            var next = new byte[level.Length / 2][];
            for (var i = 0; i < next.Length; i++) next[i] = LedgerTree.NodeHash(level[2 * i], level[2 * i + 1]);
            _levels.Add(next);
            level = next;
        }
        _proofs = new LedgerTreeProofs((height, index) => _levels[height][index]);
    }

    public int Count => _levels[0].Length;

    /// <summary>The root of the perfect subtree at (height, index), as <see cref="LedgerTreeProofs"/> looks it up.</summary>
    public byte[] Node(int height, long index) => _levels[height][index];

    public byte[] Root(long size)
    {
        if (size < 0 || size > Count) throw new ArgumentOutOfRangeException(nameof(size));
        return _proofs.Root(size);
    }

    public IReadOnlyList<byte[]> InclusionProof(long index, long treeSize)
    {
        if (treeSize > Count || index < 0 || index >= treeSize) throw new ArgumentOutOfRangeException(nameof(index));
        return _proofs.InclusionProof(index, treeSize);
    }

    public IReadOnlyList<byte[]> ConsistencyProof(long oldSize, long newSize)
    {
        if (newSize > Count || oldSize < 0 || oldSize > newSize) throw new ArgumentOutOfRangeException(nameof(oldSize));
        return _proofs.ConsistencyProof(oldSize, newSize);
    }
}

/// <summary>
/// The tree kept incrementally: the roots of its perfect subtrees, largest first (RFC 9162's "compact range" of the
/// whole tree). Appending a leaf merges equal-sized subtrees; the root folds them right to left. It is what a
/// checkpoint stores, so the next checkpoint hashes only the leaves that came since.
/// </summary>
public sealed class LedgerTreeBuilder
{
    private readonly List<byte[]> _subtrees;

    public LedgerTreeBuilder() : this(0, []) { }

    public LedgerTreeBuilder(long size, IEnumerable<byte[]> subtrees)
    {
        _subtrees = subtrees.ToList();
        Size = size;
        if (_subtrees.Count != long.PopCount(size)) throw new ArgumentException("A tree of this size has one subtree per set bit.", nameof(subtrees));
    }

    public long Size { get; private set; }

    public IReadOnlyList<byte[]> Subtrees => _subtrees;

    /// <summary>
    /// Adds the next leaf. <paramref name="completed"/> hears of every perfect subtree the leaf completes, as
    /// (height, index, hash) with height from 1 (see <see cref="LedgerTreeProofs"/>), so a store can keep them for proofs.
    /// </summary>
    public void Append(byte[] leafHash, Action<int, long, byte[]>? completed = null)
    {
        var node = leafHash;
        var height = 0;
        // Each trailing one bit of the size is a subtree of the same height as the new node: merge them.
        for (var size = Size; (size & 1) == 1; size >>= 1)
        {
            node = LedgerTree.NodeHash(_subtrees[^1], node);
            _subtrees.RemoveAt(_subtrees.Count - 1);
            height++;
            completed?.Invoke(height, ((Size + 1) >> height) - 1, node);
        }
        _subtrees.Add(node);
        Size++;
    }

    public byte[] Root()
    {
        if (_subtrees.Count == 0) return LedgerTree.EmptyRoot();
        var root = _subtrees[^1];
        for (var i = _subtrees.Count - 2; i >= 0; i--) root = LedgerTree.NodeHash(_subtrees[i], root);
        return root;
    }
}
