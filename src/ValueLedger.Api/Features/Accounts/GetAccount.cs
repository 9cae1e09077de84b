namespace ValueLedger.Api.Features.Accounts;

public static class GetAccountEndpoint
{
    /// <summary>
    /// The account value view, live or as it stood at a moment (<c>asOf</c>) or a version (<c>version</c>). The past
    /// is replayed from the events by the same projection code that keeps the live snapshot.
    /// </summary>
    [Authorize(Policy = Policies.ReadAccount)]
    [WolverineGet("/api/accounts/{accountId}", Name = "GetAccount")]
    public static Task<IResult> Get(Guid accountId, HttpContext http, IQuerySession session, TimeProvider clock) =>
        PointInTime.ReadAccountAsync(http, session, accountId,
            (account, pointInTime) =>
            {
                var view = AccountValueView.Of(account, pointInTime.AsOf ?? clock.GetUtcNow());
                return Security.IsCustomer(http.User) ? Results.Ok(CustomerAccountView.Of(view)) : Results.Ok(view);
            });
}

/// <summary>The moment a read is about: now, a point in time, or a stream version.</summary>
public sealed record PointInTime(DateTimeOffset? AsOf, long? Version, IResult? Problem)
{
    public static PointInTime Read(HttpRequest request)
    {
        DateTimeOffset? asOf = null;
        long? version = null;
        var errors = new Dictionary<string, string[]>();
        if (request.Query.TryGetValue("asOf", out var asOfText))
        {
            if (DateTimeOffset.TryParse(asOfText, System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed)) asOf = parsed;
            else errors["asOf"] = ["Use an ISO 8601 time with offset, e.g. 2026-03-31T23:59:59Z."];
        }
        if (request.Query.TryGetValue("version", out var versionText))
        {
            if (long.TryParse(versionText, out var parsed) && parsed > 0) version = parsed;
            else errors["version"] = ["Use a positive stream version."];
        }
        if (asOf is not null && version is not null) errors["asOf"] = ["Give asOf or version, not both."];
        return new PointInTime(asOf, version, errors.Count == 0 ? null : Results.ValidationProblem(errors, title: "Invalid point in time"));
    }

    /// <summary>
    /// The read every account-scoped view shares: the point in time from the query, the account as it stood then
    /// (404 when unknown), its version as ETag, then the view that <paramref name="render"/> makes of it.
    /// </summary>
    public static async Task<IResult> ReadAccountAsync(HttpContext http, IQuerySession session, Guid accountId,
        Func<Account, PointInTime, IResult> render)
    {
        var pointInTime = Read(http.Request);
        if (pointInTime.Problem is { } problem) return problem;
        var account = await pointInTime.LoadAsync(session, accountId, http.RequestAborted);
        if (account is null) return Problems.NotFound("Account", accountId);
        http.Response.Headers.ETag = Preconditions.ETagOf(account.Version);
        return render(account, pointInTime);
    }

    /// <summary>The same read, for a view that needs more reads of its own (the value report).</summary>
    public static async Task<IResult> ReadAccountAsync(HttpContext http, IQuerySession session, Guid accountId,
        Func<Account, PointInTime, Task<IResult>> render)
    {
        var pointInTime = Read(http.Request);
        if (pointInTime.Problem is { } problem) return problem;
        var account = await pointInTime.LoadAsync(session, accountId, http.RequestAborted);
        if (account is null) return Problems.NotFound("Account", accountId);
        http.Response.Headers.ETag = Preconditions.ETagOf(account.Version);
        return await render(account, pointInTime);
    }

    public async Task<Account?> LoadAsync(IQuerySession session, Guid accountId, CancellationToken cancellation)
    {
        if (Version is { } version)
            return await session.Events.AggregateStreamAsync<Account>(accountId, version: version, token: cancellation);
        if (AsOf is { } asOf)
            return await session.Events.AggregateStreamAsync<Account>(accountId, timestamp: asOf, token: cancellation);
        return await session.LoadAsync<Account>(accountId, cancellation);
    }
}
