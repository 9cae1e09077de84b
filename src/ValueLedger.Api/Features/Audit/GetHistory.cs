using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using CsvHelper;
using Marten.Events.Archiving;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ValueLedger.Api.Features.Audit.Checkpoints;

namespace ValueLedger.Api.Features.Audit;

/// <summary>
/// One event of an account's history, with who recorded it, why, and its seal. <c>sealedData</c> is the text the seal
/// covers (PostgreSQL's rendering of the stored jsonb) and, with <c>eventId</c>, <c>archived</c>, <c>correlationId</c> and
/// <c>causationId</c>, lets anyone recompute the seal offline; <c>inclusionProof</c> places the event in a checkpointed tree.
/// </summary>
public sealed record HistoryEntry(
    long Sequence, long Version, string Type, object Data, DateTimeOffset RecordedAt, string? RecordedBy, string? Reason,
    string? CorrelationId, string? Hash, string? PreviousHash, Guid? EventId = null, string? CausationId = null, bool Archived = false,
    string? SealedData = null, LeafProof? InclusionProof = null, Guid? AccountId = null)
{
    public static HistoryEntry Of(IEvent e, StoredEventRow? row = null, AccountProofs? proofs = null) => new(
        e.Sequence, e.Version, e.EventTypeName, e.Data, e.Timestamp, e.UserName, (e.Data as IHasReason)?.Reason, e.CorrelationId,
        Header(e, EventSealTrigger.HashHeader), Header(e, EventSealTrigger.PreviousHashHeader), e.Id, e.CausationId,
        row?.Archived ?? e.IsArchived, row?.Data, proofs?.For(e.Sequence), e.StreamId);

    private static string? Header(IEvent e, string name) =>
        e.Headers is { } headers && headers.TryGetValue(name, out var value) ? value?.ToString() : null;
}

public static class AccountHistory
{
    /// <summary>The account's events, oldest first, read from Marten as a stream (never the whole history in memory).</summary>
    /// <remarks>
    /// Two queries are read side by side, both in version order: Marten's events (the data as the API spells it) and the
    /// rows as stored (the text the seal covers), matched by sequence.
    /// </remarks>
    public static async IAsyncEnumerable<HistoryEntry> ReadAsync(IDocumentStore store, Guid accountId,
        Func<IQueryable<IEvent>, IQueryable<IEvent>>? narrow = null, AccountProofs? proofs = null,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var session = store.QuerySession();
        await using var stored = store.QuerySession();
        // An archived stream is still history: MaybeArchived lifts Marten's default filter on archived events.
        var events = session.Events.QueryAllRawEvents().Where(e => e.StreamId == accountId && e.MaybeArchived());
        events = (narrow?.Invoke(events) ?? events).OrderBy(e => e.Version);
        await using var rows = LedgerReader.ReadStreams(stored, accountId, ct).GetAsyncEnumerator(ct);
        await foreach (var e in QueryableExtensions.ToAsyncEnumerable(events, ct))
        {
            StoredEventRow? row = null;
            while (row is null && await rows.MoveNextAsync())
                if (rows.Current.Sequence == e.Sequence) row = rows.Current;
            yield return HistoryEntry.Of(e, row, proofs);
        }
    }
}

public static class GetHistoryEndpoint
{
    public const string JsonLines = "application/x-ndjson";
    public const string Csv = "text/csv";

    /// <summary>
    /// Every event of the account, oldest first: sequence, version, type, data, recordedAt, recordedBy, reason,
    /// correlationId, hash and previousHash. <c>format</c> picks the representation: <c>json</c> (default, a JSON
    /// array), <c>jsonl</c> (JSON Lines, one event per line) or <c>csv</c> (the data column holds the event's JSON).
    /// All three are streamed from the database as they are written.
    /// </summary>
    [Authorize(Policy = Policies.Audit)]
    [WolverineGet("/api/accounts/{accountId}/history", Name = "GetAccountHistory")]
    [ProducesResponseType(typeof(HistoryEntry[]), StatusCodes.Status200OK, "application/json", JsonLines, Csv)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    public static async Task<IResult> Get(Guid accountId, string? format, long? treeSize, IQuerySession session, IDocumentStore store,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, HttpContext http)
    {
        var kind = (format ?? "json").ToLowerInvariant();
        if (kind is not ("json" or "jsonl" or "csv"))
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["format"] = ["Use json, jsonl or csv."] },
                title: "Unknown history format");
        if (await session.Events.FetchStreamStateAsync(accountId, http.RequestAborted) is null)
            return Problems.NotFound("Account", accountId);

        if (treeSize is < 1)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["treeSize"] = ["A tree size is a whole number from 1."] },
                title: "Invalid tree size");

        var options = json.Value.SerializerOptions;
        var proofs = kind == "csv" ? null : await Checkpoints.LedgerCheckpoints.AccountProofsAsync(session, accountId, treeSize, http.RequestAborted);
        if (treeSize is not null && proofs is null)
            return Results.Problem(statusCode: 404, title: "Not covered", detail: $"No checkpoint has covered a tree of {treeSize} leaves.");
        var history = AccountHistory.ReadAsync(store, accountId, proofs: proofs, ct: http.RequestAborted);
        return kind switch
        {
            "jsonl" => Results.Stream(body => WriteJsonLinesAsync(body, history, options, http.RequestAborted), JsonLines, $"history-{accountId}.jsonl"),
            "csv" => Results.Stream(body => WriteCsvAsync(body, history, options, http.RequestAborted), Csv, $"history-{accountId}.csv"),
            _ => Results.Json(history, options)
        };
    }

    private static readonly ReadOnlyMemory<byte> LineFeed = "\n"u8.ToArray();

    private static async Task WriteJsonLinesAsync(Stream body, IAsyncEnumerable<HistoryEntry> history, JsonSerializerOptions options, CancellationToken ct)
    {
        await foreach (var entry in history.WithCancellation(ct))
        {
            await JsonSerializer.SerializeAsync(body, entry, options, ct);
            // Kestrel refuses synchronous writes (a WriteByte here ended the export after its first line).
            await body.WriteAsync(LineFeed, ct);
        }
    }

    private static async Task WriteCsvAsync(Stream body, IAsyncEnumerable<HistoryEntry> history, JsonSerializerOptions options, CancellationToken ct)
    {
        await using var csv = CsvWriter.Create(body, CsvWriterOptions.Default with { Injection = CsvInjection.Escape }, leaveOpen: true);
        await csv.WriteRecordsAsync(history.Select(entry => HistoryCsvRow.Of(entry, options)), ct);
        await csv.FlushAsync(ct);
    }
}

/// <summary>A CSV line of the history: the JSON names as headers, times in ISO 8601, the event data as its JSON text.</summary>
[CsvRecord]
public sealed partial class HistoryCsvRow
{
    [CsvColumn("sequence")] public long Sequence { get; init; }
    [CsvColumn("version")] public long Version { get; init; }
    [CsvColumn("type")] public string Type { get; init; } = "";
    [CsvColumn("recordedAt"), CsvFormat("O")] public DateTimeOffset RecordedAt { get; init; }
    [CsvColumn("recordedBy")] public string? RecordedBy { get; init; }
    [CsvColumn("reason")] public string? Reason { get; init; }
    [CsvColumn("correlationId")] public string? CorrelationId { get; init; }
    [CsvColumn("hash")] public string? Hash { get; init; }
    [CsvColumn("previousHash")] public string? PreviousHash { get; init; }
    [CsvColumn("data")] public string Data { get; init; } = "";

    public static HistoryCsvRow Of(HistoryEntry e, JsonSerializerOptions options) => new()
    {
        Sequence = e.Sequence, Version = e.Version, Type = e.Type, RecordedAt = e.RecordedAt, RecordedBy = e.RecordedBy,
        Reason = e.Reason, CorrelationId = e.CorrelationId, Hash = e.Hash, PreviousHash = e.PreviousHash,
        Data = JsonSerializer.Serialize(e.Data, e.Data.GetType(), options)
    };
}
