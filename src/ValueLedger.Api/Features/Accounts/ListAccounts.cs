using Marten.Pagination;

namespace ValueLedger.Api.Features.Accounts;

public static class ListAccountsEndpoint
{
    private const int MaxPageSize = 200;

    /// <summary>Account summaries, filtered by approach, segment, owner and status, ordered by name, paged.</summary>
    [Authorize(Policy = Policies.ReadPortfolio)]
    [WolverineGet("/api/accounts", Name = "ListAccounts")]
    public static async Task<IResult> Get(HttpContext http, IQuerySession session)
    {
        var query = http.Request.Query;
        var errors = new Dictionary<string, string[]>();
        var page = QueryParameters.Int(query["page"], 1, 1, int.MaxValue, "page", errors);
        var pageSize = QueryParameters.Int(query["pageSize"], 50, 1, MaxPageSize, "pageSize", errors);
        var approach = QueryParameters.Enum<Approach>(query["approach"], "approach", errors);
        var status = QueryParameters.Enum<CommitmentStatus>(query["status"], "status", errors);
        if (errors.Count > 0) return Results.ValidationProblem(errors, title: "Invalid filter");

        // Filtered, ordered and paged in PostgreSQL over the summaries the account projection commits with the events.
        var accounts = session.Query<Account>().Where(x => x.Summary != null);
        if (approach is { } a) accounts = accounts.Where(x => x.Approach == a);
        if (query["segment"].ToString() is { Length: > 0 } segment) accounts = accounts.Where(x => x.Segment == segment);
        if (query["owner"].ToString() is { Length: > 0 } owner) accounts = accounts.Where(x => x.Owner == owner);
        if (status is { } s) accounts = accounts.Where(x => x.Summary!.Status == s);

        var found = await accounts.OrderBy(x => x.Name).ThenBy(x => x.Id).Select(x => x.Summary!)
            .ToPagedListAsync(page, pageSize, http.RequestAborted);
        return Results.Ok(new Paged<AccountListItem>(found.Select(AccountListItem.Of).ToList(), page, pageSize,
            (int)found.TotalItemCount, (int)found.PageCount));
    }
}
