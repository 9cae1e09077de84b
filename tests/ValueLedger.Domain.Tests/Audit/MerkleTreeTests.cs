using System.Security.Cryptography;
using ValueLedger.Domain.Audit;

namespace ValueLedger.Domain.Tests.Audit;

public sealed class when_a_merkle_root_is_taken_over_stream_heads
{
    private static readonly StreamHead First = new(Guid.Parse("00000000-0000-0000-0000-000000000001"), 1, new string('a', 64));
    private static readonly StreamHead Second = new(Guid.Parse("00000000-0000-0000-0000-000000000002"), 2, new string('b', 64));
    private static readonly StreamHead Third = new(Guid.Parse("00000000-0000-0000-0000-000000000003"), 3, new string('c', 64));

    [Fact]
    public void the_root_of_no_streams_is_the_hash_of_nothing()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", MerkleTree.Root([]));
    }

    [Fact]
    public void the_root_of_one_stream_is_its_leaf()
    {
        // python3: hashlib.sha256(b'\x00' + b"<stream>\n1\n" + b"a"*64).hexdigest()
        Assert.Equal("3ae2d134f770b3181447c647359e7e618554b3e2f463861ab715f205fac02418", MerkleTree.Root([First]));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([0x00, .. System.Text.Encoding.UTF8.GetBytes(MerkleTree.LeafText(First))])),
            MerkleTree.Root([First]));
    }

    [Fact]
    public void an_odd_node_moves_up_unchanged()
    {
        // node(node(leaf1, leaf2), leaf3), computed independently with python3's hashlib
        Assert.Equal("12f498de988ccf89dad96e02671817830b24bc20472e948a80ad502b22dbfa80", MerkleTree.Root([First, Second, Third]));
    }

    [Fact]
    public void leaves_are_ordered_by_stream_id_so_the_order_given_does_not_matter()
    {
        Assert.Equal(MerkleTree.Root([First, Second, Third]), MerkleTree.Root([Third, First, Second]));
    }

    [Fact]
    public void any_change_to_a_head_changes_the_root()
    {
        var root = MerkleTree.Root([First, Second, Third]);
        Assert.NotEqual(root, MerkleTree.Root([First, Second with { Version = 3 }, Third]));
        Assert.NotEqual(root, MerkleTree.Root([First, Second with { Hash = new string('d', 64) }, Third]));
        Assert.NotEqual(root, MerkleTree.Root([First, Third]));
        Assert.NotEqual(root, MerkleTree.Root([First, Second, Third, Third with { StreamId = Guid.NewGuid() }]));
    }

    [Fact]
    public void a_digest_that_was_edited_after_it_was_issued_does_not_hold_together()
    {
        var digest = LedgerDigest.Of(DateTimeOffset.UnixEpoch, [Third, First, Second]);
        Assert.Null(digest.Inconsistency());
        Assert.Equal(3, digest.Streams);
        Assert.Equal(6, digest.Events);
        Assert.Equal(new[] { First, Second, Third }, digest.Heads);

        Assert.NotNull((digest with { RootHash = new string('0', 64) }).Inconsistency());
        Assert.NotNull((digest with { Heads = [First, Second] }).Inconsistency());
        Assert.NotNull((digest with { Events = 7 }).Inconsistency());
        Assert.NotNull((digest with { Streams = 2 }).Inconsistency());
    }
}
