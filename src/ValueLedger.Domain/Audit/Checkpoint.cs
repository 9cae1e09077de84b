using System.Globalization;

namespace ValueLedger.Domain.Audit;

/// <summary>
/// A statement of the ledger's state: the first <see cref="TreeSize"/> sealed events, in global order, have the
/// Merkle root <see cref="RootHash"/> (hex, <see cref="LedgerTree"/>), as of <see cref="Timestamp"/>, signed by the key
/// <see cref="KeyId"/>. Only the canonical text is signed, so anyone can rebuild it from the JSON and check it.
/// </summary>
public sealed record Checkpoint(long TreeSize, string RootHash, DateTimeOffset Timestamp, string KeyId)
{
    public const string Scheme = "valueledger-checkpoint-v1";

    /// <summary>
    /// Five lines, each ending in a line feed: the scheme, the tree size (decimal), the root (64 lowercase hex digits),
    /// the time (UTC, microseconds, as <see cref="EventSeal.FormatTime"/>) and the key id. The signature is Ed25519 over
    /// its UTF-8 bytes.
    /// </summary>
    public string CanonicalText() =>
        $"{Scheme}\n{TreeSize.ToString(CultureInfo.InvariantCulture)}\n{RootHash}\n{EventSeal.FormatTime(Timestamp)}\n{KeyId}\n";

    /// <summary>A time as the canonical text keeps it: microseconds, like a PostgreSQL timestamptz.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % 10, TimeSpan.Zero);
}
