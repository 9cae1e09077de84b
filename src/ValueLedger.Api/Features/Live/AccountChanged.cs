using Marten;
using Microsoft.AspNetCore.SignalR;
using ValueLedger.Api.Features.Accounts;
using ValueLedger.Domain;

namespace ValueLedger.Api.Features.Live;

/// <summary>Published by the account projection after the new state is committed.</summary>
public sealed record AccountChanged(Guid AccountId, long Version);

public static class AccountChangedHandler
{
    /// <summary>
    /// Pushes the account's current view to its watchers. The view is read from the committed snapshot when the
    /// push leaves, so every push carries the latest state, never an older one than a previous push.
    /// </summary>
    public static async Task Handle(AccountChanged changed, IQuerySession session, IHubContext<ValueHub> hub, TimeProvider clock, CancellationToken cancellation)
    {
        var account = await session.LoadAsync<Account>(changed.AccountId, cancellation);
        if (account is null) return;
        await hub.Clients.Group(ValueHub.AccountGroup(changed.AccountId))
            .SendAsync(LiveMessages.AccountChanged, AccountValueView.Of(account, clock.GetUtcNow()), cancellation);
    }
}
