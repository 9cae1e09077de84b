using System.Text.Json;
using CsvHelper;
using Microsoft.Extensions.Options;
using ValueLedger.Api.Features.Measurements;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;
using JasperFx;

namespace ValueLedger.Api.Features.Accounts;

/// <summary>One account of an import as sent; <see cref="Label"/> names it in errors ("line 7", "row 7", "rows[6]").</summary>
public sealed record AccountImportRow(string Label, IReadOnlyDictionary<string, string?> Fields)
{
    public string? this[string column] => Fields.TryGetValue(column, out var value) && value is { Length: > 0 } ? value.Trim() : null;
}

/// <summary>A parsed account of the import, with the id it gets if it is new.</summary>
public sealed record ImportedAccount(string Label, string System, string ExternalId, OpenAccount Account, Guid NewId);

public sealed record ImportAccountsCommand(IReadOnlyList<ImportedAccount> Accounts, string By) : IWriteCommand;

public enum ImportOutcome { Created, Updated, Unchanged }

public sealed record ImportedAccountResult(string Row, string System, string ExternalId, Guid Id, ImportOutcome Outcome, long Version);

/// <summary>What an account import did, or why it did nothing.</summary>
public sealed record AccountImportResult(Rejection? Rejection, int Created, int Updated, int Unchanged, IReadOnlyList<ImportedAccountResult> Accounts);

/// <summary>
/// Bulk account import keyed by a system of record's ids: CSV (text/csv), an Excel workbook (.xlsx, first sheet) or
/// JSON (<c>{"rows":[…]}</c>), with columns system, externalId, name, industry, segment, currency, approach, owner.
/// Each row is the upsert of <c>PUT /api/accounts/by-external-id/…</c>; all or nothing: one bad row refuses the
/// whole import and every bad row is named with its line and field.
/// </summary>
public static class ImportAccountsEndpoint
{
    public const string XlsxMediaType = Workbooks.XlsxMediaType;
    internal static readonly string[] Columns = ["system", "externalId", "name", "industry", "segment", "currency", "approach", "owner"];

    [Authorize(Policy = Policies.WriteValues)]
    [WolverinePost("/api/accounts/import", Name = "ImportAccounts")]
    public static async Task<IResult> Post(HttpContext http, IMessageBus bus, IOptions<ValueLedgerSettings> settings)
    {
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        IReadOnlyList<AccountImportRow> rows;
        try
        {
            rows = mediaType switch
            {
                "text/csv" => await AccountImportParsing.ReadCsvAsync(http.Request.Body, http.RequestAborted),
                XlsxMediaType => await AccountImportParsing.ReadXlsxAsync(http.Request.Body, http.RequestAborted),
                "application/json" => await AccountImportParsing.ReadJsonAsync(http.Request.Body, http.RequestAborted),
                _ => null!
            };
        }
        catch (ImportFormatException e)
        {
            return Results.ValidationProblem(e.Errors, title: "The import could not be read");
        }
        if (rows is null)
            return Results.Problem(statusCode: 415, title: "Unsupported import format", detail: $"Send text/csv, {XlsxMediaType} or application/json.");
        if (rows.Count == 0)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["rows"] = ["The import has no rows."] }, title: "Nothing to import");
        var limit = settings.Value.MaxAccountImportRows;
        if (rows.Count > limit)
            return Results.Problem(statusCode: 413, title: "Too many rows", detail: $"Import at most {limit} accounts at once.");

        var (accounts, errors) = AccountImportParsing.Parse(rows);
        if (errors.Count > 0) return Results.ValidationProblem(errors, title: "Some rows are invalid; nothing was imported");

        return await bus.WriteAsync<AccountImportResult>(http, (_, by) => new ImportAccountsCommand(accounts, by), null,
            (result, _) => Task.FromResult(result.Rejection is { } rejection ? rejection.ToResult() : Results.Ok(result)));
    }
}

public static class ImportAccountsHandler
{
    /// <summary>A concurrent upsert that linked one of the ids first fails this import at commit; it runs again and updates that account.</summary>
    public static void Configure(HandlerChain chain) => chain.OnException<DocumentAlreadyExistsException>().RetryTimes(2);

    /// <summary>
    /// One transaction for the whole file: new ids open accounts with their links, known ones update the account
    /// they are linked to (only what changed; unchanged accounts are not touched), and any refusal refuses all.
    /// </summary>
    public static async Task<AccountImportResult> Handle(ImportAccountsCommand command, IDocumentSession session, TimeProvider clock,
        CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        var links = (await session.LoadManyAsync<ExternalIdLink>(cancellation,
                command.Accounts.Select(a => ExternalIdLink.IdOf(a.System, a.ExternalId)).ToArray()))
            .ToDictionary(l => l.Id, l => l.AccountId);

        // First every row is decided, then, if none is refused, everything is written.
        var planned = new List<(ImportedAccount Row, IEventStream<Account>? Stream, Decision Decision)>();
        var refused = new Dictionary<string, string[]>();
        foreach (var row in command.Accounts)
        {
            if (!links.TryGetValue(ExternalIdLink.IdOf(row.System, row.ExternalId), out var accountId))
            {
                planned.Add((row, null, AccountDecisions.OpenFromSystemOfRecord(row.NewId, row.Account, row.System, row.ExternalId, now)));
                continue;
            }
            // Loaded for writing: what is appended commits only if no one else wrote the account meanwhile, else
            // Wolverine runs the import again on the newer state.
            var stream = await session.Events.FetchForWriting<Account>(accountId, cancellation);
            var decision = stream.Aggregate is { } account
                ? AccountDecisions.UpdateFromSystemOfRecord(account, row.Account, row.System, row.ExternalId, now)
                : Decision.NotFound("Account", accountId);
            if (decision.Rejection is { } rejection) refused[row.Label] = [$"{rejection.Title}: {rejection.Detail}"];
            planned.Add((row, stream, decision));
        }
        if (refused.Count > 0)
            return new AccountImportResult(new Rejection(RejectionKind.Unprocessable, "Some rows are refused; nothing was imported",
                $"{refused.Count} of {command.Accounts.Count} rows cannot be applied to the accounts they name.",
                new Dictionary<string, object?> { ["errors"] = refused }), 0, 0, 0, []);

        var results = new List<ImportedAccountResult>();
        foreach (var (row, stream, decision) in planned)
        {
            if (stream is null)
            {
                session.Insert(new ExternalIdLink { Id = ExternalIdLink.IdOf(row.System, row.ExternalId), AccountId = row.NewId });
                session.Events.StartStream<Account>(row.NewId, decision.Events);
                results.Add(new(row.Label, row.System, row.ExternalId, row.NewId, ImportOutcome.Created, decision.Events.Count));
                continue;
            }
            var version = (stream.StartingVersion ?? stream.Aggregate!.Version) + decision.Events.Count;
            stream.AppendMany(decision.Events);
            results.Add(new(row.Label, row.System, row.ExternalId, stream.Id,
                decision.Events.Count == 0 ? ImportOutcome.Unchanged : ImportOutcome.Updated, version));
        }
        return new AccountImportResult(null, results.Count(r => r.Outcome == ImportOutcome.Created),
            results.Count(r => r.Outcome == ImportOutcome.Updated), results.Count(r => r.Outcome == ImportOutcome.Unchanged), results);
    }
}

public static class AccountImportParsing
{
    private static readonly string ColumnList = string.Join(",", ImportAccountsEndpoint.Columns);

    public static Task<IReadOnlyList<AccountImportRow>> ReadCsvAsync(Stream body, CancellationToken cancellation) =>
        ReadCsvAsync(body, ImportAccountsEndpoint.Columns, cancellation);

    /// <summary>A CSV file with a header row naming <paramref name="columns"/> (any order, others ignored); rows are named by their line.</summary>
    public static async Task<IReadOnlyList<AccountImportRow>> ReadCsvAsync(Stream body, IReadOnlyList<string> columns, CancellationToken cancellation)
    {
        await using var csv = CsvReader.Create(body, new CsvReaderOptions { HasHeader = true, TrimWhitespace = true, TrackLineNumbers = true }, true);
        try
        {
            await csv.ReadHeaderAsync(cancellation);
            RequireColumns(columns, csv.Headers.Count == 0 ? [] : columns.Where(c => csv.TryGetFieldIndex(c, out _)));
            var rows = new List<AccountImportRow>();
            while (await csv.ReadAsync(cancellation))
                rows.Add(new AccountImportRow($"line {csv.LineNumber}", columns.ToDictionary(c => c,
                    c => csv.TryGetFieldIndex(c, out var i) && i < csv.FieldCount ? csv.GetStringOrNull(i) : null)));
            return rows;
        }
        catch (CsvFormatException e)
        {
            throw new ImportFormatException(new() { ["csv"] = [e.Message] });
        }
    }

    /// <summary>The first sheet of a workbook, its first row the header; rows are named by their number in the sheet.</summary>
    public static async Task<IReadOnlyList<AccountImportRow>> ReadXlsxAsync(Stream body, CancellationToken cancellation) =>
        (await Workbooks.ReadAsync(body, ImportAccountsEndpoint.Columns, ImportAccountsEndpoint.Columns, cancellation))
        .Select(row => new AccountImportRow(row.Label, row.Fields)).ToList();

    public static async Task<IReadOnlyList<AccountImportRow>> ReadJsonAsync(Stream body, CancellationToken cancellation)
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
                throw new ImportFormatException(new() { ["rows"] = [$"Send {{\"rows\": [ {{ {ColumnList} }}, … ]}}."] });
            try
            {
                return rows.EnumerateArray().Select((row, i) => new AccountImportRow($"rows[{i}]", ImportAccountsEndpoint.Columns.ToDictionary(c => c,
                        c => row.ValueKind == JsonValueKind.Object && row.TryGetProperty(c, out var value) && value.ValueKind != JsonValueKind.Null
                            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
                            : null)))
                    .ToList();
            }
            catch (InvalidOperationException e)
            {
                throw new ImportFormatException(new() { ["rows"] = [$"A text in the rows cannot be read: {e.Message}"] });
            }
        }
    }

    private static void RequireColumns(IReadOnlyList<string> columns, IEnumerable<string> present)
    {
        var missing = columns.Except(present).ToList();
        if (missing.Count > 0)
            throw new ImportFormatException(new() { ["header"] = [$"Missing column(s): {string.Join(", ", missing)}. The header row names {string.Join(",", columns)}."] });
    }

    /// <summary>
    /// Each row checked as the single upsert checks its route and body, collecting every bad field as "label.field";
    /// an id named by two rows is refused at the second.
    /// </summary>
    public static (IReadOnlyList<ImportedAccount> Accounts, Dictionary<string, string[]> Errors) Parse(IReadOnlyList<AccountImportRow> rows)
    {
        var validator = new OpenAccountValidator();
        var accounts = new List<ImportedAccount>();
        var errors = new Dictionary<string, string[]>();
        var seen = new Dictionary<string, string>();
        foreach (var row in rows)
        {
            var before = errors.Count;
            var (system, externalId) = (row["system"] ?? "", row["externalId"] ?? "");
            if (ExternalIds.Errors(system, externalId) is { } idErrors)
                foreach (var (field, messages) in idErrors) errors[$"{row.Label}.{field}"] = messages;
            else if (seen.TryGetValue(ExternalIdLink.IdOf(system, externalId), out var first))
                errors[$"{row.Label}.externalId"] = [$"{system} id '{externalId}' is already in {first}: each account once per import."];
            else seen[ExternalIdLink.IdOf(system, externalId)] = row.Label;

            Approach? approach = null;
            if (row["approach"] is { } text)
            {
                if (Enum.TryParse<Approach>(text, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(text, out _)) approach = parsed;
                else errors[$"{row.Label}.approach"] = ["Use productCentric, processCentric or outcomeCentric."];
            }
            var request = new OpenAccountRequest(row["name"], row["industry"], row["segment"], row["currency"], approach, row["owner"]);
            foreach (var failure in validator.Validate(request).Errors)
            {
                var field = JsonNamingPolicy.CamelCase.ConvertName(failure.PropertyName);
                if (field == "approach" && row["approach"] is not null) continue; // already named above
                errors.TryAdd($"{row.Label}.{field}", [failure.ErrorMessage]);
            }
            if (errors.Count == before)
                accounts.Add(new ImportedAccount(row.Label, system, externalId,
                    new OpenAccount(request.Name!, request.Industry!, request.Segment!, request.Currency!, approach!.Value, request.Owner!), Guid.CreateVersion7()));
        }
        return (accounts, errors);
    }
}
