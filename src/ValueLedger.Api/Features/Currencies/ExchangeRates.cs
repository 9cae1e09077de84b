using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ValueLedger.Api.Features.Accounts;
using ValueLedger.Api.Features.Measurements;

namespace ValueLedger.Api.Features.Currencies;

/// <summary>One exchange rate as sent: 1 <c>from</c> = <c>rate</c> <c>to</c> from <c>validFrom</c> on, and where it comes from.</summary>
public sealed record FxRateRequest(string? From, string? To, decimal? Rate, DateOnly? ValidFrom, string? Source);

public sealed class FxRateValidator : AbstractValidator<FxRateRequest>
{
    /// <summary>Rates are bounded so that no conversion of a bounded amount can overflow, either way round.</summary>
    public const decimal MinRate = 0.000001m, MaxRate = 1_000_000m;

    public FxRateValidator(TimeProvider clock)
    {
        RuleFor(r => r.From).NotEmpty().Matches("^[A-Za-z]{3}$").WithMessage("Use a three-letter ISO 4217 code such as USD.");
        RuleFor(r => r.To).NotEmpty().Matches("^[A-Za-z]{3}$").WithMessage("Use a three-letter ISO 4217 code such as EUR.");
        RuleFor(r => r.To).Must((r, to) => !string.Equals(r.From, to, StringComparison.OrdinalIgnoreCase))
            .When(r => r.From is not null && r.To is not null).WithMessage("from and to must be different currencies.");
        RuleFor(r => r.Rate).NotNull().InclusiveBetween(MinRate, MaxRate)
            .WithMessage($"Give how many units of 'to' one unit of 'from' is worth, between {MinRate} and {MaxRate:#,##0}.");
        RuleFor(r => r.ValidFrom).NotNull()
            .GreaterThanOrEqualTo(new DateOnly(1990, 1, 1)).WithMessage("validFrom must be on or after 1990-01-01.")
            .Must(d => d is null || d <= ExchangeRateLedger.LatestValidFrom(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)))
            .WithMessage("validFrom may be at most a year ahead.");
        RuleFor(r => r.Source).NotEmpty().WithMessage("Say where the rate comes from (e.g. ECB reference rate).").MaximumLength(200);
    }
}

public sealed record RecordExchangeRatesCommand(IReadOnlyList<FxRate> Rates, string By) : IWriteCommand;

/// <summary>A validated rate, currencies in upper case.</summary>
public sealed record FxRate(string From, string To, decimal Rate, DateOnly ValidFrom, string Source)
{
    public static FxRate Of(FxRateRequest r) =>
        new(r.From!.ToUpperInvariant(), r.To!.ToUpperInvariant(), r.Rate!.Value, r.ValidFrom!.Value, r.Source!.Trim());
}

/// <summary>A rate on record: what was recorded, when and by whom, and where it sits in the ledger.</summary>
public sealed record ExchangeRateView(
    string From, string To, decimal Rate, DateOnly ValidFrom, string Source, DateTimeOffset RecordedAt, string? RecordedBy, long Sequence,
    bool Superseded);

public sealed record ExchangeRateList(IReadOnlyList<ExchangeRateView> Items);

public sealed record RecordedExchangeRates(int Recorded, IReadOnlyList<ExchangeRateView> Rates);

/// <summary>
/// Exchange rates as recorded facts (issue 18, item 2): <c>POST /api/fx-rates</c> records one (JSON) or many (CSV with
/// columns from, to, rate, validFrom, source; all or none); <c>GET /api/fx-rates</c> lists them. Admins record,
/// staff read. A later record of the same pair and day supersedes the earlier one; both stay in the ledger.
/// </summary>
public static class ExchangeRatesEndpoints
{
    internal static readonly string[] Columns = ["from", "to", "rate", "validFrom", "source"];

    [Authorize(Policy = Policies.Administer)]
    [WolverinePost("/api/fx-rates", Name = "RecordExchangeRates")]
    [ProducesResponseType<ExchangeRateView>(StatusCodes.Status201Created)]
    [ProducesResponseType<RecordedExchangeRates>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(HttpContext http, IMessageBus bus, IOptions<ValueLedgerSettings> settings,
        TimeProvider clock)
    {
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        var validator = new FxRateValidator(clock);
        if (mediaType == "application/json")
        {
            // A value of the wrong type throws here and is answered as a field error (JsonFieldErrors).
            var request = await http.Request.ReadFromJsonAsync<FxRateRequest>(http.RequestAborted);
            if (request is null)
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["Send a rate: from, to, rate, validFrom, source."] });
            var result = await validator.ValidateAsync(request, http.RequestAborted);
            if (!result.IsValid) return Results.ValidationProblem(result.ToDictionary(), title: "The rate is invalid");
            return await bus.WriteAsync<RecordedExchangeRates>(http, (_, by) => new RecordExchangeRatesCommand([FxRate.Of(request)], by), null,
                (recorded, _) => Task.FromResult(Results.Created("/api/fx-rates", recorded.Rates[0])));
        }
        if (mediaType != "text/csv")
            return Results.Problem(statusCode: 415, title: "Unsupported format", detail: "Send one rate as application/json or many as text/csv.");

        IReadOnlyList<AccountImportRow> rows;
        try
        {
            rows = await AccountImportParsing.ReadCsvAsync(http.Request.Body, Columns, http.RequestAborted);
        }
        catch (ImportFormatException e)
        {
            return Results.ValidationProblem(e.Errors, title: "The rates could not be read");
        }
        if (rows.Count == 0)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["rows"] = ["The file has no rates."] }, title: "Nothing to record");
        if (rows.Count > settings.Value.MaxImportRows)
            return Results.Problem(statusCode: 413, title: "Too many rows", detail: $"Record at most {settings.Value.MaxImportRows} rates at once.");

        var rates = new List<FxRate>();
        var errors = new Dictionary<string, string[]>();
        foreach (var row in rows)
        {
            var (request, typeErrors) = Parse(row);
            foreach (var (field, messages) in typeErrors) errors[$"{row.Label}.{field}"] = messages;
            var result = await validator.ValidateAsync(request, http.RequestAborted);
            foreach (var failure in result.Errors)
            {
                var field = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(failure.PropertyName);
                if (!typeErrors.ContainsKey(field)) errors.TryAdd($"{row.Label}.{field}", [failure.ErrorMessage]);
            }
            if (typeErrors.Count == 0 && result.IsValid) rates.Add(FxRate.Of(request));
        }
        if (errors.Count > 0) return Results.ValidationProblem(errors, title: "Some rates are invalid; nothing was recorded");
        return await bus.WriteAsync<RecordedExchangeRates>(http, (_, by) => new RecordExchangeRatesCommand(rates, by), null,
            (recorded, _) => Task.FromResult(Results.Ok(recorded)));
    }

    /// <summary>A CSV row as a request; a rate or date that cannot be read is named, as a JSON type error would be.</summary>
    private static (FxRateRequest Request, Dictionary<string, string[]> Errors) Parse(AccountImportRow row)
    {
        var errors = new Dictionary<string, string[]>();
        decimal? rate = null;
        DateOnly? validFrom = null;
        if (row["rate"] is { } r)
        {
            if (decimal.TryParse(r, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed)) rate = parsed;
            else errors["rate"] = ["'rate' must be a number such as 0.9215."];
        }
        if (row["validFrom"] is { } v)
        {
            if (DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)) validFrom = parsed;
            else errors["validFrom"] = ["'validFrom' must be a calendar date such as 2026-01-31."];
        }
        return (new FxRateRequest(row["from"], row["to"], rate, validFrom, row["source"]), errors);
    }

    /// <summary>Every rate on record, by pair and day, with the ones a later record superseded; <c>from</c>/<c>to</c> narrow it to a currency.</summary>
    [Authorize(Policy = Policies.ReadPortfolio)]
    [WolverineGet("/api/fx-rates", Name = "ListExchangeRates")]
    [ProducesResponseType<ExchangeRateList>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(string? from, string? to, IQuerySession session, HttpContext http)
    {
        var rates = await ExchangeRateReader.ReadEventsAsync(session, null, http.RequestAborted);
        var inForce = RateTable.Of(rates.Select(e => (ExchangeRateRecorded)e.Data)).All.ToHashSet();
        return Results.Ok(new ExchangeRateList(rates
            .Where(e => from is null || string.Equals(((ExchangeRateRecorded)e.Data).From, from, StringComparison.OrdinalIgnoreCase))
            .Where(e => to is null || string.Equals(((ExchangeRateRecorded)e.Data).To, to, StringComparison.OrdinalIgnoreCase))
            .Select(e => (Event: e, Rate: (ExchangeRateRecorded)e.Data))
            .OrderBy(x => x.Rate.From, StringComparer.Ordinal).ThenBy(x => x.Rate.To, StringComparer.Ordinal)
            .ThenBy(x => x.Rate.ValidFrom).ThenBy(x => x.Event.Sequence)
            .Select(x => ExchangeRateReader.ViewOf(x.Event, !inForce.Contains(x.Rate)))
            .ToList()));
    }
}

public static class RecordExchangeRatesHandler
{
    /// <summary>The rates are appended to their own stream in one transaction; the author comes from the signed-in identity.</summary>
    public static RecordedExchangeRates Handle(RecordExchangeRatesCommand command, IDocumentSession session, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var events = command.Rates.Select(r => new ExchangeRateRecorded(r.From, r.To, r.Rate, r.ValidFrom, r.Source, now)).ToList();
        session.Events.Append(ExchangeRateLedger.StreamId, events.Cast<object>().ToArray());
        return new RecordedExchangeRates(events.Count,
            events.Select(e => new ExchangeRateView(e.From, e.To, e.Rate, e.ValidFrom, e.Source, e.RecordedAt, session.LastModifiedBy, 0, false)).ToList());
    }
}

/// <summary>Reads the rates on record, all of them or as they were recorded by a moment.</summary>
public static class ExchangeRateReader
{
    public static async Task<IReadOnlyList<IEvent>> ReadEventsAsync(IQuerySession session, DateTimeOffset? recordedBy, CancellationToken cancellation)
    {
        var query = session.Events.QueryAllRawEvents().Where(e => e.StreamId == ExchangeRateLedger.StreamId);
        if (recordedBy is { } moment) query = query.Where(e => e.Timestamp <= moment);
        var events = await query.OrderBy(e => e.Sequence).ToListAsync(cancellation);
        return events.Where(e => e.Data is ExchangeRateRecorded).ToList();
    }

    public static async Task<RateTable> ReadAsync(IQuerySession session, DateTimeOffset? recordedBy, CancellationToken cancellation) =>
        RateTable.Of((await ReadEventsAsync(session, recordedBy, cancellation)).Select(e => (ExchangeRateRecorded)e.Data));

    public static ExchangeRateView ViewOf(IEvent e, bool superseded)
    {
        var r = (ExchangeRateRecorded)e.Data;
        return new ExchangeRateView(r.From, r.To, r.Rate, r.ValidFrom, r.Source, r.RecordedAt, e.UserName, e.Sequence, superseded);
    }
}
