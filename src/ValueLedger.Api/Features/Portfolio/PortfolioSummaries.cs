namespace ValueLedger.Api.Features.Portfolio;

/// <summary>
/// The portfolio is the sum of the accounts' summaries. Now: the summaries inside the inline account snapshots, read in
/// one statement, so they are all committed ones and never behind the events they reflect. As of a moment: every
/// account's events recorded up to then, folded by the domain and summarised the same way.
/// </summary>
public static class PortfolioSummaries
{
    /// <remarks>A ledger whose snapshots predate summaries gets them from <c>projections rebuild</c> (README, Upgrading).</remarks>
    public static async Task<IReadOnlyList<AccountSummary>> CurrentAsync(IQuerySession session, CancellationToken cancellation) =>
        await session.Query<Account>().Where(a => a.Summary != null).Select(a => a.Summary!).ToListAsync(cancellation);

    public static async Task<IReadOnlyList<AccountSummary>> AsOfAsync(IQuerySession session, DateTimeOffset asOf, CancellationToken cancellation)
    {
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.Timestamp <= asOf)
            .OrderBy(e => e.Sequence)
            .ToListAsync(cancellation);
        return events.GroupBy(e => e.StreamId)
            .Where(stream => stream.First() is { Version: 1, Data: AccountOpened })
            .Select(stream => AccountSummary.Of(Fold(stream)))
            .ToList();
    }

    private static Account Fold(IEnumerable<IEvent> stream)
    {
        Account? account = null;
        foreach (var e in stream)
        {
            account = Account.Evolve(account, e.Data);
            account.Version = e.Version;
        }
        return account!;
    }
}
