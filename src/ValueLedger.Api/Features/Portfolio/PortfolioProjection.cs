using JasperFx.Events;
using JasperFx.Events.Aggregation;
using JasperFx.Events.Daemon;
using Marten;
using Marten.Events.Projections;
using ValueLedger.Api.Features.Accounts;
using ValueLedger.Api.Features.Live;
using ValueLedger.Domain;

namespace ValueLedger.Api.Features.Portfolio;

/// <summary>
/// The portfolio as a multi-stream projection: every event of every account stream lands in one document. For each
/// account a batch of events touches, the projection takes the account's state and replaces the account's summary
/// with the domain's evaluation of that state (<see cref="PortfolioAccount.Of"/>), so the portfolio never computes a
/// figure of its own. The account's state is folded from the events by the account projection's own Evolve when the
/// batch holds the account's whole history (a new account, a rebuild, a replay to a past moment); otherwise it is the
/// inline Account snapshot, which is committed with the events and so is never behind them (it may be ahead while the
/// daemon catches up, which only makes the live view fresher); a snapshot found behind is replayed by Marten to the
/// version instead. <c>GET /api/portfolio?asOf=</c> runs this same projection over the events recorded up to that
/// moment (Marten's AggregateToManyAsync), where every account's history starts in the batch, so the past is exact.
/// </summary>
public sealed class PortfolioProjection : MultiStreamProjection<ValuePortfolio, string>
{
    private static readonly AccountProjection AccountFold = new();

    public PortfolioProjection()
    {
        // Large pages: a bulk import is folded in a few steps (each one evaluates the touched accounts once), and the
        // one portfolio document stays in memory between pages.
        Options.BatchSize = 5000;
        Options.CacheLimitPerTenant = 1;
        CustomGrouping((_, events, grouping) =>
        {
            grouping.AddEvents(ValuePortfolio.TheId, events);
            return Task.CompletedTask;
        });
    }

    public override async ValueTask<(ValuePortfolio?, ActionType)> DetermineActionAsync(IQuerySession session, ValuePortfolio? snapshot,
        string identity, IIdentitySetter<ValuePortfolio, string> identitySetter, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var portfolio = snapshot ?? new ValuePortfolio();
        if (events.Count == 0) return (portfolio, ActionType.Store);

        var byAccount = events.GroupBy(e => e.StreamId).ToList();
        var needSnapshots = byAccount.Where(g => !HoldsWholeHistory(g)).Select(g => g.Key).ToArray();
        var snapshots = needSnapshots.Length == 0
            ? new Dictionary<Guid, Account>()
            : (await session.LoadManyAsync<Account>(cancellation, needSnapshots)).ToDictionary(a => a.Id);

        foreach (var stream in byAccount)
        {
            var account = await StateAtAsync(session, stream.ToList(), snapshots.GetValueOrDefault(stream.Key), cancellation);
            if (account is not null) portfolio.Put(account);
        }

        var last = events.MaxBy(e => e.Sequence)!;
        if (last.Sequence > portfolio.Sequence)
        {
            portfolio.Sequence = last.Sequence;
            portfolio.LastEventAt = last.Timestamp;
        }
        return (portfolio, ActionType.Store);
    }

    /// <summary>After the daemon commits the new portfolio: tell the live side (coalesced there, see ADR 0005).</summary>
    public override ValueTask RaiseSideEffects(IDocumentOperations operations, IEventSlice<ValuePortfolio> slice)
    {
        if (slice.Snapshot is { } portfolio) slice.PublishMessage(new PortfolioChanged(portfolio.Sequence));
        return ValueTask.CompletedTask;
    }

    private static bool HoldsWholeHistory(IGrouping<Guid, IEvent> stream) =>
        stream.First() is { Version: 1, Data: AccountOpened };

    /// <summary>The account as it stood at the last of these events, or null when the stream is not an account.</summary>
    private static async Task<Account?> StateAtAsync(IQuerySession session, IReadOnlyList<IEvent> stream, Account? snapshot, CancellationToken cancellation)
    {
        var version = stream[^1].Version;
        if (stream[0] is { Version: 1, Data: AccountOpened })
        {
            Account? folded = null;
            foreach (var e in stream) folded = AccountFold.Evolve(folded, e.StreamId, e);
            return folded;
        }
        if (snapshot is null) return null;
        if (snapshot.Version >= version) return snapshot;
        return await session.Events.AggregateStreamAsync<Account>(stream[0].StreamId, version: version, token: cancellation);
    }
}
