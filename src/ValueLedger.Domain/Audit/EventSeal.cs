using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ValueLedger.Domain.Audit;

/// <summary>
/// The columns of an event row that carry meaning beside its stream, version, type, time, author and data: its id, the
/// archive flag and the correlation and causation ids. Sealed as one jsonb object so that changing any of them
/// (un-archiving an event, pointing it at another request) breaks the seal like a change of its data would.
/// </summary>
public sealed record EventMetadata(Guid EventId, bool Archived, string? CorrelationId, string? CausationId)
{
    /// <summary>For specs that only care about the other fields.</summary>
    public static readonly EventMetadata None = new(Guid.Empty, false, null, null);

    /// <summary>
    /// Exactly PostgreSQL's <c>jsonb_build_object('eventId', id, 'archived', is_archived, 'causationId', causation_id,
    /// 'correlationId', correlation_id)::text</c>: jsonb orders keys by length then bytes, writes <c>": "</c> and
    /// <c>", "</c>, and escapes only quote, backslash and control characters.
    /// </summary>
    public string CanonicalText() =>
        $"{{\"eventId\": \"{EventId:D}\", \"archived\": {(Archived ? "true" : "false")}, \"causationId\": {JsonText(CausationId)}, \"correlationId\": {JsonText(CorrelationId)}}}";

    private static string JsonText(string? value)
    {
        if (value is null) return "null";
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (c < ' ') text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else text.Append(c);
                    break;
            }
        }
        return text.Append('"').ToString();
    }
}

/// <summary>
/// The seal of one event: a SHA-256 over the previous event's seal and what the event is. The ledger computes it
/// inside the transaction that writes the event (a PostgreSQL trigger, see docs/decisions/0004 and 0008); this is the
/// same formula, used to recompute and check it (by the API and by the offline verifier). Both must agree byte for
/// byte, so the message is spelled out here.
/// </summary>
/// <remarks>
/// Scheme <c>valueledger-seal-v2</c>. The message is eight fields joined by a line feed, in this order:
/// previous hash (empty for version 1), stream id (lowercase, hyphenated), version (decimal), event type (Marten's
/// alias), time (UTC, <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>), the metadata object (<see cref="EventMetadata.CanonicalText"/>),
/// author (empty when none) and the data as PostgreSQL renders the stored jsonb (<c>data::text</c>). Only the author can
/// contain a line feed (jsonb text never does), so the split is unambiguous. The hash is lowercase hex of SHA-256 over
/// the UTF-8 bytes of the message.
/// </remarks>
public static class EventSeal
{
    public const string Scheme = "valueledger-seal-v2";

    /// <summary>What version 1 of a stream chains to.</summary>
    public const string Genesis = "";

    public static string Message(string previousHash, Guid streamId, long version, string type, DateTimeOffset time,
        string? author, string canonicalData, EventMetadata metadata) =>
        string.Join('\n',
            previousHash,
            streamId.ToString("D"),
            version.ToString(CultureInfo.InvariantCulture),
            type,
            FormatTime(time),
            metadata.CanonicalText(),
            author ?? "",
            canonicalData);

    public static string Hash(string previousHash, Guid streamId, long version, string type, DateTimeOffset time,
        string? author, string canonicalData, EventMetadata metadata) =>
        Sha256Hex(Message(previousHash, streamId, version, type, time, author, canonicalData, metadata));

    /// <summary>Microsecond precision, as PostgreSQL stores a timestamptz.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>A well-formed seal: 64 lowercase hex digits.</summary>
    public static bool IsHash(string? text) =>
        text is { Length: 64 } && text.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
