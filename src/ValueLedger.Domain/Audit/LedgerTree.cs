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
    public static byte[] Root(IReadOnlyList<byte[]> leafHashes) => Root(leafHashes, 0, leafHashes.Count);

    private static byte[] Root(IReadOnlyList<byte[]> leaves, int start, int count)
    {
        if (count == 0) return EmptyRoot();
        if (count == 1) return leaves[start];
        var k = LargestPowerOfTwoBelow(count);
        return NodeHash(Root(leaves, start, k), Root(leaves, start + k, count - k));
    }

    /// <summary>PATH(m, D[n]): the audit path of leaf <paramref name="index"/> in the tree of the first <paramref name="treeSize"/> leaves.</summary>
    public static IReadOnlyList<byte[]> InclusionProof(IReadOnlyList<byte[]> leafHashes, long index, long treeSize)
    {
        if (treeSize > leafHashes.Count || index < 0 || index >= treeSize) throw new ArgumentOutOfRangeException(nameof(index));
        var proof = new List<byte[]>();
        Path(leafHashes, (int)index, 0, (int)treeSize, proof);
        return proof;
    }

    private static void Path(IReadOnlyList<byte[]> leaves, int m, int start, int n, List<byte[]> proof)
    {
        if (n <= 1) return;
        var k = LargestPowerOfTwoBelow(n);
        if (m < k)
        {
            Path(leaves, m, start, k, proof);
            proof.Add(Root(leaves, start + k, n - k));
        }
        else
        {
            Path(leaves, m - k, start + k, n - k, proof);
            proof.Add(Root(leaves, start, k));
        }
    }

    /// <summary>PROOF(m, D[n]): that the tree of the first <paramref name="oldSize"/> leaves is a prefix of the tree of <paramref name="newSize"/>.</summary>
    public static IReadOnlyList<byte[]> ConsistencyProof(IReadOnlyList<byte[]> leafHashes, long oldSize, long newSize)
    {
        if (newSize > leafHashes.Count || oldSize < 0 || oldSize > newSize) throw new ArgumentOutOfRangeException(nameof(oldSize));
        var proof = new List<byte[]>();
        if (oldSize == 0 || oldSize == newSize) return proof;
        SubProof(leafHashes, (int)oldSize, 0, (int)newSize, true, proof);
        return proof;
    }

    private static void SubProof(IReadOnlyList<byte[]> leaves, int m, int start, int n, bool complete, List<byte[]> proof)
    {
        if (m == n)
        {
            if (!complete) proof.Add(Root(leaves, start, n));
            return;
        }
        var k = LargestPowerOfTwoBelow(n);
        if (m <= k)
        {
            SubProof(leaves, m, start, k, complete, proof);
            proof.Add(Root(leaves, start + k, n - k));
        }
        else
        {
            SubProof(leaves, m - k, start + k, n - k, false, proof);
            proof.Add(Root(leaves, start, k));
        }
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

    private static int LargestPowerOfTwoBelow(int n)
    {
        var k = 1;
        while (k << 1 < n) k <<= 1;
        return k;
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

    public void Append(byte[] leafHash)
    {
        var node = leafHash;
        // Each trailing one bit of the size is a subtree of the same height as the new node: merge them.
        for (var size = Size; (size & 1) == 1; size >>= 1)
        {
            node = LedgerTree.NodeHash(_subtrees[^1], node);
            _subtrees.RemoveAt(_subtrees.Count - 1);
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
