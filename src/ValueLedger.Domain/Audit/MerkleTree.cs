using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ValueLedger.Domain.Audit;

/// <summary>The last sealed event of a stream: its version and hash commit to every event before it.</summary>
public sealed record StreamHead(Guid StreamId, long Version, string Hash);

/// <summary>
/// A Merkle tree over stream heads, in the style of RFC 6962 (Certificate Transparency): leaves are
/// <c>SHA-256(0x00 || "streamId\nversion\nhash")</c>, inner nodes <c>SHA-256(0x01 || left || right)</c>, an odd node
/// at the end of a level moves up unchanged, and the tree of no leaves has the root <c>SHA-256("")</c>. Leaves are
/// ordered by stream id (lowercase text, ordinal), so the root depends only on the set of heads.
/// </summary>
public static class MerkleTree
{
    public static IReadOnlyList<StreamHead> Ordered(IEnumerable<StreamHead> heads) =>
        heads.OrderBy(h => h.StreamId.ToString("D"), StringComparer.Ordinal).ToList();

    public static string LeafText(StreamHead head) =>
        $"{head.StreamId:D}\n{head.Version.ToString(CultureInfo.InvariantCulture)}\n{head.Hash}";

    public static byte[] Leaf(StreamHead head) => Hash(0x00, Encoding.UTF8.GetBytes(LeafText(head)));

    public static byte[] Node(byte[] left, byte[] right) => Hash(0x01, [.. left, .. right]);

    public static string Root(IEnumerable<StreamHead> heads)
    {
        var level = Ordered(heads).Select(Leaf).ToList();
        if (level.Count == 0) return Convert.ToHexStringLower(SHA256.HashData([]));
        while (level.Count > 1)
        {
            var next = new List<byte[]>((level.Count + 1) / 2);
            for (var i = 0; i < level.Count; i += 2)
                next.Add(i + 1 < level.Count ? Node(level[i], level[i + 1]) : level[i]);
            level = next;
        }
        return Convert.ToHexStringLower(level[0]);
    }

    private static byte[] Hash(byte prefix, byte[] content) => SHA256.HashData([prefix, .. content]);
}
