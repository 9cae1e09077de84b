using System.Security.Cryptography;
using ValueLedger.Domain.Audit;

namespace ValueLedger.Domain.Tests.Audit;

public sealed class when_the_ledger_tree_is_computed
{
    /// <summary>The eight leaves of the Certificate Transparency reference tests (RFC 6962/9162 implementations share them).</summary>
    private static readonly byte[][] ReferenceLeaves =
    [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
        [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
        [0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f]
    ];

    private static List<byte[]> Leaves(int n) => Enumerable.Range(0, n).Select(i => LedgerTree.LeafHash(BitConverter.GetBytes(i))).ToList();

    [Fact]
    public void it_matches_the_certificate_transparency_reference_roots()
    {
        var leaves = ReferenceLeaves.Select(l => LedgerTree.LeafHash(l)).ToList();
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(LedgerTree.Root([])));
        Assert.Equal("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", Convert.ToHexStringLower(LedgerTree.Root(leaves[..1])));
        Assert.Equal("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328", Convert.ToHexStringLower(LedgerTree.Root(leaves)));
    }

    [Fact]
    public void the_incremental_tree_has_the_same_root_at_every_size()
    {
        var leaves = Leaves(70);
        var builder = new LedgerTreeBuilder();
        Assert.Equal(LedgerTree.EmptyRoot(), builder.Root());
        for (var n = 1; n <= leaves.Count; n++)
        {
            builder.Append(leaves[n - 1]);
            Assert.Equal(LedgerTree.Root(leaves[..n]), builder.Root());
            var resumed = new LedgerTreeBuilder(builder.Size, builder.Subtrees);
            Assert.Equal(builder.Root(), resumed.Root());
        }
    }

    [Fact]
    public void the_nodes_the_builder_completes_give_the_same_proofs_as_hashing_every_leaf()
    {
        var leaves = Leaves(45);
        var recorded = new Dictionary<(int, long), byte[]>();
        var builder = new LedgerTreeBuilder();
        foreach (var leaf in leaves) builder.Append(leaf, (height, index, hash) => recorded.Add((height, index), hash));
        for (var i = 0; i < leaves.Count; i++) recorded[(0, i)] = leaves[i];
        var prepared = new PreparedLedgerTree(leaves);
        Assert.All(recorded.Where(r => r.Key.Item1 > 0), r => Assert.Equal(prepared.Node(r.Key.Item1, r.Key.Item2), r.Value));

        var fromNodes = new LedgerTreeProofs((height, index) => recorded[(height, index)]);
        for (var n = 1; n <= leaves.Count; n++)
        {
            Assert.Equal(prepared.Root(n), fromNodes.Root(n));
            for (var m = 0; m < n; m++) Assert.Equal(prepared.InclusionProof(m, n), fromNodes.InclusionProof(m, n));
            for (var m = 0; m <= n; m++) Assert.Equal(prepared.ConsistencyProof(m, n), fromNodes.ConsistencyProof(m, n));
        }
    }

    [Fact]
    public void a_proof_looks_up_a_logarithmic_number_of_nodes()
    {
        const long size = 1_000_003;
        var inclusion = LedgerTreeProofs.NodesNeeded(t => t.InclusionProof(517_331, size));
        var consistency = LedgerTreeProofs.NodesNeeded(t => t.ConsistencyProof(700_001, size));
        // log2(10^6) is about 20: a proof needs one node per level, plus the few that make up incomplete right edges.
        Assert.InRange(inclusion.Count, 1, 80);
        Assert.InRange(consistency.Count, 1, 80);
        Assert.All(inclusion, n => Assert.True(((n.Index + 1) << n.Height) <= size, $"node {n} lies inside the tree"));
    }

    [Fact]
    public void every_inclusion_proof_verifies_and_only_for_its_own_leaf()
    {
        var leaves = Leaves(19);
        for (var n = 1; n <= leaves.Count; n++)
        {
            var root = LedgerTree.Root(leaves[..n]);
            for (var m = 0; m < n; m++)
            {
                var proof = LedgerTree.InclusionProof(leaves, m, n);
                Assert.True(LedgerTree.VerifyInclusion(m, n, leaves[m], proof, root), $"leaf {m} of {n}");
                Assert.False(LedgerTree.VerifyInclusion(m, n, leaves[(m + 1) % leaves.Count], proof, root));
                if (n > 1) Assert.False(LedgerTree.VerifyInclusion((m + 1) % n, n, leaves[m], proof, root));
                Assert.False(LedgerTree.VerifyInclusion(m, n, leaves[m], proof, SHA256.HashData(root)));
            }
        }
    }

    [Fact]
    public void every_consistency_proof_verifies_and_a_rewritten_prefix_does_not()
    {
        var leaves = Leaves(19);
        var forged = leaves.ToList();
        forged[2] = LedgerTree.LeafHash([0xff]);
        for (var n = 1; n <= leaves.Count; n++)
        for (var m = 1; m <= n; m++)
        {
            var proof = LedgerTree.ConsistencyProof(leaves, m, n);
            var oldRoot = LedgerTree.Root(leaves[..m]);
            var newRoot = LedgerTree.Root(leaves[..n]);
            Assert.True(LedgerTree.VerifyConsistency(m, n, oldRoot, newRoot, proof), $"{m} -> {n}");
            if (m > 2)
            {
                var forgedProof = LedgerTree.ConsistencyProof(forged, m, n);
                Assert.False(LedgerTree.VerifyConsistency(m, n, oldRoot, LedgerTree.Root(forged[..n]), forgedProof), $"forged {m} -> {n}");
            }
        }
    }

    [Fact]
    public void a_leaf_is_the_events_seal_as_bytes()
    {
        var seal = new string('a', 64);
        Assert.Equal(LedgerTree.LeafHash(Convert.FromHexString(seal)), LedgerTree.LeafOfSeal(seal));
        Assert.Equal(LedgerTree.LeafHash([]), LedgerTree.LeafOfSeal(null));
    }
}

public sealed class when_a_checkpoint_is_written_down
{
    [Fact]
    public void its_canonical_text_is_five_lines_in_a_fixed_order()
    {
        var checkpoint = new Checkpoint(42, new string('b', 64), new DateTimeOffset(2026, 3, 1, 10, 30, 0, TimeSpan.FromHours(1)).AddTicks(1234567), "k1");
        Assert.Equal($"valueledger-checkpoint-v1\n42\n{new string('b', 64)}\n2026-03-01T09:30:00.123456Z\nk1\n", checkpoint.CanonicalText());
    }
}
