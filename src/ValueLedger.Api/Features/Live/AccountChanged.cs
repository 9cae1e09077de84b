using Microsoft.AspNetCore.SignalR;
using ValueLedger.Api.Features.Accounts;

namespace ValueLedger.Api.Features.Live;

/// <summary>Published by the account projection after the new state is committed.</summary>
public sealed record AccountChanged(Guid AccountId, long Version);

public static class AccountChangedHandler
{
    /// <summary>
    /// Pushes each changed account's current view to its watchers. Wolverine hands these over in batches coalesced
    /// by account (see <see cref="LivePush"/>), so a burst of writes on one account sends one push per batch. The view is
    /// read from the committed snapshot when the push leaves, so every push carries the latest state.
    /// </summary>
    public static async Task Handle(AccountChanged[] changes, IQuerySession session, IHubContext<ValueHub> hub, TimeProvider clock, CancellationToken cancellation)
    {
        var ids = changes.Select(c => c.AccountId).Distinct().ToArray();
        foreach (var account in await session.LoadManyAsync<Account>(cancellation, ids))
        {
            var view = AccountValueView.Of(account, clock.GetUtcNow());
            await hub.Clients.Group(ValueHub.AccountGroup(account.Id)).SendAsync(LiveMessages.AccountChanged, view, cancellation);
            await hub.Clients.Group(ValueHub.CustomerAccountGroup(account.Id))
                .SendAsync(LiveMessages.AccountChanged, CustomerAccountView.Of(view), cancellation);
        }
    }
}
