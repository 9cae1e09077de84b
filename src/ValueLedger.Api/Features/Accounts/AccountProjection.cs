using JasperFx.Events.Aggregation;
using JasperFx.Events.Daemon;
using Marten.Events.Aggregation;
using ValueLedger.Api.Features.Contracts;
using ValueLedger.Api.Features.Live;

namespace ValueLedger.Api.Features.Accounts;

/// <summary>
/// Keeps the account's state as an inline snapshot (so writes and reads never replay the whole stream) using the
/// domain's own fold, with the account's <see cref="AccountSummary"/> evaluated once at the end of each step, and tells
/// live watchers once the new state is committed. Because the summary is part of the inline snapshot, lists and the
/// portfolio read figures committed with the events they reflect, and a rebuild writes them again from the same fold.
/// </summary>
public sealed class AccountProjection : SingleStreamProjection<Account, Guid>
{
    public AccountProjection()
    {
        // Rebuilds (`projections rebuild`, which shows each projection's progress): large pages of events, and each
        // account's latest snapshot kept in memory across pages and written once per flush window of this many
        // accounts, instead of loaded and written again for every page its events appear in (accounts' events are
        // interleaved in time, so an account spans many pages). Live appends are inline and unaffected.
        Options.BatchSize = 5_000;
        Options.RebuildFlushThreshold = 500;
    }

    public override ValueTask<(Account?, ActionType)> DetermineActionAsync(IQuerySession session, Account? snapshot, Guid identity,
        IIdentitySetter<Account, Guid> identitySetter, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        // Only account streams fold into an account: another stream (the exchange rates) starts with another event.
        if (snapshot is null && events is not [{ Data: AccountOpened }, ..]) return new((null, ActionType.Nothing));
        var account = snapshot;
        foreach (var e in events) account = Step(account, e);
        if (account is null) return new((null, ActionType.Nothing));
        account.Summary = AccountSummary.Of(account);
        return new((account, ActionType.Store));
    }

    /// <summary>One event through the domain's fold.</summary>
    private static Account Step(Account? snapshot, IEvent e)
    {
        var account = Account.Evolve(snapshot, e.Data);
        account.Version = e.Version;
        return account;
    }

    public override ValueTask RaiseSideEffects(IDocumentOperations operations, IEventSlice<Account> slice)
    {
        if (slice.Snapshot is { } account)
        {
            slice.PublishMessage(new AccountChanged(account.Id, account.Version));
            slice.PublishMessage(new PortfolioChanged(account.Id));
            slice.PublishMessage(new AccountStepped(account.Id, slice.Events().First().Version, account.Version));
        }
        return ValueTask.CompletedTask;
    }
}
