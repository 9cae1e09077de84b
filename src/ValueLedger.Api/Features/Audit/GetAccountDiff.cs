using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using ValueLedger.Api.Features.Accounts;

namespace ValueLedger.Api.Features.Audit;

/// <summary>An account figure at both moments (null where it did not exist or is undefined, e.g. a rate with nothing promised yet).</summary>
public sealed record FigureChange(string Figure, decimal? Before, decimal? After, decimal? Change);

/// <summary>What happened to an account between two moments: its view at each, the account figures side by side and every event in between.</summary>
public sealed record AccountDiff(
    Guid AccountId, DateTimeOffset From, DateTimeOffset To, long FromVersion, long ToVersion, string? Currency,
    AccountValueView? Before, AccountValueView? After, IReadOnlyList<FigureChange> Figures, IReadOnlyList<HistoryEntry> Events);

public static class GetAccountDiffEndpoint
{
    /// <summary>
    /// The account as it stood at <c>from</c> and at <c>to</c> (ISO 8601 times; both replayed by the projection code of
    /// the live view), its figures before and after, and the events recorded after <c>from</c> up to and including <c>to</c>.
    /// </summary>
    [Authorize(Policy = Policies.Audit)]
    [WolverineGet("/api/accounts/{accountId}/diff", Name = "GetAccountDiff")]
    [ProducesResponseType(typeof(AccountDiff), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    public static async Task<IResult> Get(Guid accountId, string? from, string? to, IQuerySession session, IDocumentStore store, HttpContext http)
    {
        var errors = new Dictionary<string, string[]>();
        var start = ReadTime(from, "from", errors);
        var end = ReadTime(to, "to", errors);
        if (start > end) errors["to"] = ["Give a 'to' at or after 'from'."];
        if (errors.Count > 0) return Results.ValidationProblem(errors, title: "Invalid period");

        var ct = http.RequestAborted;
        if (await session.Events.FetchStreamStateAsync(accountId, ct) is null) return Problems.NotFound("Account", accountId);

        var before = await session.Events.AggregateStreamAsync<Account>(accountId, timestamp: start, token: ct);
        var after = await session.Events.AggregateStreamAsync<Account>(accountId, timestamp: end, token: ct);
        var events = await AccountHistory.ReadAsync(store, accountId, q => q.Where(e => e.Timestamp > start && e.Timestamp <= end), ct: ct).ToListAsync(ct);

        var beforeView = before is null ? null : AccountValueView.Of(before, start);
        var afterView = after is null ? null : AccountValueView.Of(after, end);
        return Results.Ok(new AccountDiff(accountId, start, end, before?.Version ?? 0, after?.Version ?? 0, (afterView ?? beforeView)?.Currency,
            beforeView, afterView, Figures(beforeView, afterView), events));
    }

    private static IReadOnlyList<FigureChange> Figures(AccountValueView? before, AccountValueView? after)
    {
        FigureChange Figure(string name, Func<AccountValueView, decimal?> value)
        {
            var (b, a) = (before is null ? null : value(before), after is null ? null : value(after));
            return new FigureChange(name, b, a, a - (b ?? (before is null ? 0 : null)));
        }
        return
        [
            Figure("promisedValue", v => v.PromisedValue),
            Figure("promisedToDate", v => v.PromisedToDate),
            Figure("realizedValue", v => v.RealizedValue),
            Figure("realizationRate", v => v.RealizationRate),
            Figure("atRiskValue", v => v.AtRiskValue)
        ];
    }

    private static DateTimeOffset ReadTime(string? text, string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text)) errors[name] = [$"Give '{name}' as an ISO 8601 time with offset, e.g. 2026-03-31T23:59:59Z."];
        else if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)) return time;
        else errors[name] = ["Use an ISO 8601 time with offset, e.g. 2026-03-31T23:59:59Z."];
        return default;
    }
}
