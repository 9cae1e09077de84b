using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ValueLedger.Domain.Audit;

/// <summary>
/// The seal of one event: a SHA-256 over the previous event's seal and what the event is. The ledger computes it
/// inside the transaction that writes the event (a PostgreSQL trigger, see docs/decisions/0004); this is the same
/// formula, used to recompute and check it. Both must agree byte for byte, so the message is spelled out here.
/// </summary>
/// <remarks>
/// The message is seven fields joined by a line feed, in this order:
/// previous hash (empty for version 1), stream id (lowercase, hyphenated), version (decimal), event type (Marten's
/// alias), time (UTC, <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>), author (empty when none) and the data as PostgreSQL renders
/// the stored jsonb (<c>data::text</c>). The first five cannot contain a line feed and the jsonb text never does, so
/// the split is unambiguous even if an author's name contains one. The hash is lowercase hex of SHA-256 over the
/// UTF-8 bytes of the message.
/// </remarks>
public static class EventSeal
{
    /// <summary>What version 1 of a stream chains to.</summary>
    public const string Genesis = "";

    public static string Message(string previousHash, Guid streamId, long version, string type, DateTimeOffset time,
        string? author, string canonicalData) =>
        string.Join('\n',
            previousHash,
            streamId.ToString("D"),
            version.ToString(CultureInfo.InvariantCulture),
            type,
            FormatTime(time),
            author ?? "",
            canonicalData);

    public static string Hash(string previousHash, Guid streamId, long version, string type, DateTimeOffset time,
        string? author, string canonicalData) =>
        Sha256Hex(Message(previousHash, streamId, version, type, time, author, canonicalData));

    /// <summary>Microsecond precision, as PostgreSQL stores a timestamptz.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>A well-formed seal: 64 lowercase hex digits.</summary>
    public static bool IsHash(string? text) =>
        text is { Length: 64 } && text.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
