using System.Globalization;
using System.Text.Json;
using CsvHelper;
using Microsoft.Extensions.Options;
using Wolverine.Marten;

namespace ValueLedger.Api.Features.Measurements;

/// <summary>One row of an import as sent, before parsing; <see cref="Label"/> names it in errors ("line 7", "rows[6]").</summary>
public sealed record ImportRow(string Label, string? CommitmentId, string? PeriodStart, string? PeriodEnd, string? Value,
    string? Source, string? EvidenceUrl, string? Note, string? Provisional = null);

public sealed record ImportMeasurementsCommand(
    Guid AccountId, IReadOnlyList<(Guid MeasurementId, RecordMeasurement Measurement)> Rows, IReadOnlyList<string> Labels,
    long? ExpectedVersion, string By) : IAccountCommand;

public sealed record ImportResult(int Imported, IReadOnlyList<Guid> MeasurementIds, long Version);

/// <summary>The write, and the ids of the measurements it recorded (kept with an Idempotency-Key's answer).</summary>
public sealed record ImportWritten(Written Written, IReadOnlyList<Guid> Ids);

/// <summary>What an import would do, row by row, before anything is written (<c>?preview=true</c>).</summary>
public sealed record ImportPreview(int Rows, int Valid, int Invalid, IReadOnlyList<ImportPreviewRow> Items);

/// <summary>A row as read, the commitment's metric when the account has it, and every reason it would be refused.</summary>
public sealed record ImportPreviewRow(string Label, string? CommitmentId, string? Metric, string? PeriodStart, string? PeriodEnd, string? Value,
    string? Source, string? EvidenceUrl, string? Note, string? Provisional, IReadOnlyList<string> Errors);

/// <summary>
/// Bulk import for teams that keep numbers in spreadsheets: CSV (text/csv, header row), an Excel workbook (.xlsx, first
/// sheet, header row) or JSON (<c>{"rows":[…]}</c>) with columns commitmentId, periodStart, periodEnd, value, source,
/// evidenceUrl, note, provisional. All or nothing: one bad row refuses the whole import and every bad row is named with
/// its line and field. With <c>?preview=true</c> nothing is written: the answer lists every row with what is wrong
/// with it, format and the account's own rules (overlaps, unknown commitments) alike.
/// </summary>
public static class ImportMeasurementsEndpoint
{
    public static readonly string[] Columns = ["commitmentId", "periodStart", "periodEnd", "value", "source", "evidenceUrl", "note", "provisional"];

    [Authorize(Policy = Policies.RecordMeasurements)]
    [WolverinePost("/api/accounts/{accountId}/measurements/import", Name = "ImportMeasurements")]
    public static async Task<IResult> Post(Guid accountId, bool? preview, HttpContext http, IMessageBus bus, IQuerySession session,
        IOptions<ValueLedgerSettings> settings, TimeProvider clock)
    {
        if (accountId == Guid.Empty) return Problems.NotFound("Account", accountId);
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        IReadOnlyList<ImportRow> rows;
        try
        {
            rows = mediaType switch
            {
                "text/csv" => await ImportParsing.ReadCsvAsync(http.Request.Body, http.RequestAborted),
                Workbooks.XlsxMediaType => await ImportParsing.ReadXlsxAsync(http.Request.Body, http.RequestAborted),
                "application/json" => await ImportParsing.ReadJsonAsync(http.Request.Body, http.RequestAborted),
                _ => throw new UnsupportedImportException()
            };
        }
        catch (UnsupportedImportException)
        {
            return Results.Problem(statusCode: 415, title: "Unsupported import format", detail: $"Send text/csv, {Workbooks.XlsxMediaType} or application/json.");
        }
        catch (ImportFormatException e)
        {
            return Results.ValidationProblem(e.Errors, title: "The import could not be read");
        }

        if (rows.Count == 0)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["rows"] = ["The import has no rows."] }, title: "Nothing to import");
        if (rows.Count > settings.Value.MaxImportRows)
            return Results.Problem(statusCode: 413, title: "Too many rows", detail: $"Import at most {settings.Value.MaxImportRows} rows at once.");

        var (parsed, errors) = ImportParsing.Parse(rows);
        if (http.User.IsInRole(Roles.Feed))
        {
            // A feed's rows are system figures: a row that names another source is refused, the others become system.
            for (var i = 0; i < rows.Count; i++)
                if (rows[i].Source is { Length: > 0 } named && !named.Equals(nameof(MeasurementSource.System), StringComparison.OrdinalIgnoreCase))
                    errors[$"{rows[i].Label}.source"] = ["A service account imports system measurements: leave source out or send system."];
            parsed = parsed.Select(m => m with { Source = MeasurementSource.System }).ToList();
        }
        if (preview == true) return await PreviewAsync(accountId, rows, parsed, errors, http, session, clock);
        if (errors.Count > 0) return Results.ValidationProblem(errors, title: "Some rows are invalid; nothing was imported");

        var ids = parsed.Select(_ => Guid.CreateVersion7()).ToList();
        return await bus.WriteAsync<ImportWritten>(http, (expected, by) => new ImportMeasurementsCommand(accountId,
            parsed.Select((m, i) => (ids[i], m)).ToList(), rows.Select(r => r.Label).ToList(), expected, by), null,
            (result, _) =>
            {
                if (result.Written.Rejection is { } rejection) return Task.FromResult(rejection.ToResult());
                http.Response.Headers.ETag = Preconditions.ETagOf(result.Written.Version);
                return Task.FromResult(Results.Created(Routes.Account(accountId), new ImportResult(result.Ids.Count, result.Ids, result.Written.Version)));
            });
    }

    /// <summary>The import's rows with every reason each would be refused: the field errors, then the account's decision on the valid rows.</summary>
    private static async Task<IResult> PreviewAsync(Guid accountId, IReadOnlyList<ImportRow> rows, IReadOnlyList<RecordMeasurement> parsed,
        Dictionary<string, string[]> errors, HttpContext http, IQuerySession session, TimeProvider clock)
    {
        if (await session.LoadAsync<Account>(accountId, http.RequestAborted) is not { } account) return Problems.NotFound("Account", accountId);
        var byLabel = rows.ToDictionary(r => r.Label, _ => new List<string>());
        foreach (var (key, messages) in errors)
        {
            var label = rows.First(r => key.StartsWith(r.Label + ".", StringComparison.Ordinal)).Label;
            byLabel[label].AddRange(messages.Select(m => $"{key[(label.Length + 1)..]}: {m}"));
        }
        // The rows that parsed, in order, are decided on together as the import would be (an overlap between two rows counts).
        var parsedLabels = rows.Where(r => byLabel[r.Label].Count == 0).Select(r => r.Label).ToList();
        var (_, rejections) = MeasurementDecisions.RecordAll(account, parsed.Select(m => (Guid.CreateVersion7(), m)).ToList(),
            CurrentUser.IdOf(http.User), clock.GetUtcNow());
        foreach (var (row, rejection) in rejections) byLabel[parsedLabels[row]].Add($"{rejection.Title}: {rejection.Detail}");
        var items = rows.Select(r => new ImportPreviewRow(r.Label, r.CommitmentId,
            Guid.TryParse(r.CommitmentId, out var id) ? account.FindCommitment(id)?.Metric : null,
            r.PeriodStart, r.PeriodEnd, r.Value, r.Source, r.EvidenceUrl, r.Note, r.Provisional, byLabel[r.Label])).ToList();
        var invalid = items.Count(i => i.Errors.Count > 0);
        return Results.Ok(new ImportPreview(items.Count, items.Count - invalid, invalid, items));
    }

    /// <summary>
    /// A spreadsheet to fill in (CSV, or .xlsx with <c>?format=xlsx</c>): the import's header, a metric column for the
    /// reader (the import ignores it), and one row per commitment still running, dated to its latest complete period.
    /// </summary>
    [Authorize(Policy = Policies.RecordMeasurements)]
    [WolverineGet("/api/accounts/{accountId}/measurements/import/template", Name = "MeasurementImportTemplate")]
    public static async Task<IResult> Template(Guid accountId, string? format, HttpContext http, IQuerySession session, TimeProvider clock)
    {
        if (format is not (null or "csv" or "xlsx"))
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["format"] = ["Use csv or xlsx."] }, title: "Unknown template format");
        if (await session.LoadAsync<Account>(accountId, http.RequestAborted) is not { } account) return Problems.NotFound("Account", accountId);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var columns = new[] { "commitmentId", "metric", "periodStart", "periodEnd", "value", "source", "evidenceUrl", "note", "provisional" };
        var rows = account.Commitments.Where(c => !c.IsWithdrawn && c.PeriodStart <= today).Select(c =>
        {
            var end = CadenceCalendar.EndOfPeriod(CadenceCalendar.StartOfPeriod(today, c.Cadence), c.Cadence);
            var start = CadenceCalendar.StartOfPeriod(today, c.Cadence);
            if (end >= today) (start, end) = (CadenceCalendar.StartOfPeriod(start.AddDays(-1), c.Cadence), start.AddDays(-1));
            return (IReadOnlyList<object?>)[c.Id.ToString(), c.Metric, start.ToString("yyyy-MM-dd"), end.ToString("yyyy-MM-dd"), null, "import", null, null, "false"];
        }).ToList();
        var name = $"measurements-{account.Id.ToString()[..8]}";
        if (format == "xlsx") return Results.File(Workbooks.Write(columns, rows), Workbooks.XlsxMediaType, $"{name}.xlsx");
        using var body = new MemoryStream();
        await using (var csv = CsvWriter.Create(body, CsvWriterOptions.Default with { Injection = CsvInjection.Escape }, leaveOpen: true))
        {
            await csv.WriteRecordsAsync(rows.Select(r => new MeasurementTemplateRow
            {
                CommitmentId = (string)r[0]!, Metric = (string)r[1]!, PeriodStart = (string)r[2]!, PeriodEnd = (string)r[3]!, Source = "import", Provisional = "false"
            }), http.RequestAborted);
            await csv.FlushAsync(http.RequestAborted);
        }
        return Results.File(body.ToArray(), "text/csv; charset=utf-8", $"{name}.csv");
    }

    private sealed class UnsupportedImportException : Exception;
}

public static class ImportMeasurementsHandler
{
    public static async Task<ImportWritten> Handle(ImportMeasurementsCommand command, [WriteAggregate(Required = false)] IEventStream<Account> stream,
        TimeProvider clock, IMessageContext messages)
    {
        var written = stream.Decide(command.ExpectedVersion, account =>
        {
            var (events, rejections) = MeasurementDecisions.RecordAll(account, command.Rows, command.By, clock.GetUtcNow());
            if (rejections.Count == 0) return Decision.Accept([.. events]);
            // An overlap is a conflict with what is recorded (409, as for a single measurement); anything else a
            // row asks that the account cannot do, unknown commitments included, is unprocessable (422).
            var kind = rejections.Any(r => r.Rejection.Kind == RejectionKind.Conflict) ? RejectionKind.Conflict : RejectionKind.Unprocessable;
            return Decision.Reject(new Rejection(kind, "Some rows are refused; nothing was imported",
                $"{rejections.Count} of {command.Rows.Count} rows cannot be recorded.",
                new Dictionary<string, object?>
                {
                    ["errors"] = rejections.GroupBy(r => command.Labels[r.Row])
                        .ToDictionary(g => g.Key, g => g.Select(r => $"{r.Rejection.Title}: {r.Rejection.Detail}").ToArray())
                }));
        });
        if (written.Rejection is null)
            await FreshnessScheduling.ResumeWatch(messages, clock, stream.Aggregate!, command.AccountId,
                command.Rows.Select(r => (r.Measurement.CommitmentId, r.Measurement.PeriodEnd)));
        return new ImportWritten(written, command.Rows.Select(r => r.MeasurementId).ToList());
    }
}

public static class ImportParsing
{
    private static readonly string[] RequiredColumns = ["commitmentId", "periodStart", "periodEnd", "value"];

    public static async Task<IReadOnlyList<ImportRow>> ReadCsvAsync(Stream body, CancellationToken cancellation)
    {
        await using var csv = CsvReader.Create(body, new CsvReaderOptions { HasHeader = true, TrimWhitespace = true, TrackLineNumbers = true }, true);
        try
        {
            await csv.ReadHeaderAsync(cancellation);
            var missing = RequiredColumns.Where(c => !csv.TryGetFieldIndex(c, out _)).ToList();
            if (csv.Headers.Count == 0 || missing.Count > 0)
                throw new ImportFormatException(new()
                {
                    ["header"] = [$"Missing column(s): {string.Join(", ", missing)}. The header row names commitmentId,periodStart,periodEnd,value and optionally source,evidenceUrl,note,provisional."]
                });

            var rows = new List<ImportRow>();
            while (await csv.ReadAsync(cancellation))
            {
                string? Field(string name) => csv.TryGetFieldIndex(name, out var i) && i < csv.FieldCount && csv.GetStringOrNull(i) is { Length: > 0 } v ? v : null;
                rows.Add(new ImportRow($"line {csv.LineNumber}", Field("commitmentId"), Field("periodStart"), Field("periodEnd"),
                    Field("value"), Field("source"), Field("evidenceUrl"), Field("note"), Field("provisional")));
            }
            return rows;
        }
        catch (CsvFormatException e)
        {
            throw new ImportFormatException(new() { ["csv"] = [e.Message] });
        }
    }

    public static async Task<IReadOnlyList<ImportRow>> ReadXlsxAsync(Stream body, CancellationToken cancellation) =>
        (await Workbooks.ReadAsync(body, ImportMeasurementsEndpoint.Columns, RequiredColumns, cancellation)).Select(row =>
        {
            string? Field(string name) => row.Fields[name] is { Length: > 0 } v ? v.Trim() : null;
            return new ImportRow(row.Label, Field("commitmentId"), Field("periodStart"), Field("periodEnd"), Field("value"), Field("source"),
                Field("evidenceUrl"), Field("note"), Field("provisional"));
        }).ToList();

    public static async Task<IReadOnlyList<ImportRow>> ReadJsonAsync(Stream body, CancellationToken cancellation)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(body, cancellationToken: cancellation);
        }
        catch (JsonException e)
        {
            throw new ImportFormatException(new() { ["body"] = [$"Not valid JSON (line {e.LineNumber + 1}): {e.Message}"] });
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("rows", out var rows) ||
                rows.ValueKind != JsonValueKind.Array)
                throw new ImportFormatException(new() { ["rows"] = ["Send {\"rows\": [ {\"commitmentId\": …, \"periodStart\": …, \"periodEnd\": …, \"value\": …}, … ]}."] });
            try
            {
                return rows.EnumerateArray().Select((row, i) => row.ValueKind != JsonValueKind.Object
                        ? new ImportRow($"rows[{i}]", null, null, null, null, null, null, null)
                        : new ImportRow($"rows[{i}]", Text(row, "commitmentId"), Text(row, "periodStart"), Text(row, "periodEnd"),
                            Text(row, "value"), Text(row, "source"), Text(row, "evidenceUrl"), Text(row, "note"), Text(row, "provisional")))
                    .ToList();
            }
            catch (InvalidOperationException e)
            {
                // A string that is not valid UTF-16 (a lone surrogate such as "\ud800") parses but cannot be read.
                throw new ImportFormatException(new() { ["rows"] = [$"A text in the rows cannot be read: {e.Message}"] });
            }
        }
    }

    private static string? Text(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => value.GetRawText()
        } : null;

    /// <summary>Parses every row, collecting each bad field as "label.field" so the caller can fix them all at once.</summary>
    public static (IReadOnlyList<RecordMeasurement> Rows, Dictionary<string, string[]> Errors) Parse(IReadOnlyList<ImportRow> rows)
    {
        var parsed = new List<RecordMeasurement>();
        var errors = new Dictionary<string, string[]>();
        foreach (var row in rows)
        {
            void Error(string field, string message) => errors[$"{row.Label}.{field}"] = [message];

            if (!Guid.TryParse(row.CommitmentId, out var commitmentId)) Error("commitmentId", "Give the commitment's id.");
            var start = ParseDate(row.PeriodStart, "periodStart", Error);
            var end = ParseDate(row.PeriodEnd, "periodEnd", Error);
            if (start is { } s && end is { } e && e < s) Error("periodEnd", "periodEnd must not be before periodStart.");
            decimal value = 0;
            if (row.Value is null) Error("value", "A value is required.");
            else if (!decimal.TryParse(row.Value, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value))
                Error("value", "Use a decimal number with a dot, e.g. 1234.5.");
            else if (!InputBounds.IsWithinRange(value)) Error("value", InputBounds.ValueMessage);
            var source = MeasurementSource.Import;
            if (row.Source is { } text && !(Enum.TryParse(text, ignoreCase: true, out source) && Enum.IsDefined(source) && !int.TryParse(text, out _)))
                Error("source", "Use manual, import or system.");
            if (row.EvidenceUrl is { } evidence && (evidence.Length > 2000 || !Evidence.IsLink(evidence)))
                Error("evidenceUrl", Evidence.Hint);
            if (row.Note is { Length: > 2000 }) Error("note", "At most 2000 characters.");
            // provisional: a figure for a period that has not ended yet (true/false, empty for false), as on the single route.
            var provisional = false;
            if (row.Provisional is { } flag && !bool.TryParse(flag, out provisional))
                Error("provisional", "Use true or false (true: the period has not ended; a correction after it ends gives the final figure).");

            if (!errors.Keys.Any(k => k.StartsWith(row.Label + ".", StringComparison.Ordinal)))
                parsed.Add(new RecordMeasurement(commitmentId, start!.Value, end!.Value, value, source, row.EvidenceUrl, row.Note, provisional));
        }
        return (parsed, errors);
    }

    private static DateOnly? ParseDate(string? text, string field, Action<string, string> error)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            if (InputBounds.IsBusinessDate(date)) return date;
            error(field, InputBounds.DateMessage);
            return null;
        }
        error(field, "Use a calendar date such as 2026-01-31.");
        return null;
    }
}

/// <summary>A line of the import template's CSV: the import's columns, and the metric for the reader (the import ignores it).</summary>
[CsvRecord]
public sealed partial class MeasurementTemplateRow
{
    [CsvColumn("commitmentId")] public string CommitmentId { get; init; } = "";
    [CsvColumn("metric")] public string Metric { get; init; } = "";
    [CsvColumn("periodStart")] public string PeriodStart { get; init; } = "";
    [CsvColumn("periodEnd")] public string PeriodEnd { get; init; } = "";
    [CsvColumn("value")] public string? Value { get; init; }
    [CsvColumn("source")] public string Source { get; init; } = "";
    [CsvColumn("evidenceUrl")] public string? EvidenceUrl { get; init; }
    [CsvColumn("note")] public string? Note { get; init; }
    [CsvColumn("provisional")] public string Provisional { get; init; } = "";
}
