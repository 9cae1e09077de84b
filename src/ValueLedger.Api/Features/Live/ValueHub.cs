using System.Security.Claims;
using ValueLedger.Api.Features.Contacts;
using Microsoft.AspNetCore.SignalR;
using ValueLedger.Api.Features.Accounts;
using ValueLedger.Api.Features.Portfolio;

namespace ValueLedger.Api.Features.Live;

/// <summary>
/// Live value updates. Clients join the groups of what they watch; each watch answers at once with the current
/// state, so a client that reconnects is up to date without waiting for the next change.
/// A connection needs a token with a known role; it is closed when the token expires (MapHub's
/// CloseOnAuthenticationExpiration) and, for a contact, when the contact is revoked (<see cref="ContactConnections"/>).
/// Customers watch their account in a group of their own, which receives the customer view.
/// </summary>
[Authorize(Roles = "csm,executive,auditor,admin,customer")]
public sealed class ValueHub(IQuerySession session, TimeProvider clock, ContactConnections contacts, LivePortfolio live) : Hub
{
    public const string Route = "/hubs/value";
    public const string PortfolioGroup = "portfolio";

    /// <summary>Staff watchers of an account: the full value view.</summary>
    public static string AccountGroup(Guid accountId) => $"account:{accountId}";

    /// <summary>Customer watchers of an account: the customer view, without seller-internal data.</summary>
    public static string CustomerAccountGroup(Guid accountId) => $"customer-account:{accountId}";

    public override async Task OnConnectedAsync()
    {
        if (Security.IsCustomer(Context.User!) && Context.User!.FindFirstValue(CurrentUser.SubjectClaim) is { } subject)
        {
            contacts.Add(subject, Context);
            await Groups.AddToGroupAsync(Context.ConnectionId, ContactConnections.GroupOf(subject));
        }
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.User?.FindFirstValue(CurrentUser.SubjectClaim) is { } subject) contacts.Remove(subject, Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>Watch one account: staff may watch any, a customer only its own.</summary>
    public async Task WatchAccount(Guid accountId)
    {
        if (!Security.MayRead(Context.User!, accountId))
            throw new HubException("You may not watch this account.");
        var account = await session.LoadAsync<Account>(accountId, Context.ConnectionAborted)
                      ?? throw new HubException($"No account with id {accountId}.");
        var view = AccountValueView.Of(account, clock.GetUtcNow());
        if (Security.IsCustomer(Context.User!))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, CustomerAccountGroup(accountId), Context.ConnectionAborted);
            await Clients.Caller.SendAsync(LiveMessages.AccountChanged, CustomerAccountView.Of(view), Context.ConnectionAborted);
            return;
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, AccountGroup(accountId), Context.ConnectionAborted);
        await Clients.Caller.SendAsync(LiveMessages.AccountChanged, view, Context.ConnectionAborted);
    }

    public async Task Unwatch(Guid accountId)
    {
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, AccountGroup(accountId), Context.ConnectionAborted);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, CustomerAccountGroup(accountId), Context.ConnectionAborted);
    }

    /// <summary>Watch the whole portfolio (staff only): the current view at once, then portfolioChanged and commitmentAtRisk.</summary>
    public async Task WatchPortfolio()
    {
        if (!Roles.Staff.Any(Context.User!.IsInRole))
            throw new HubException("Only staff may watch the portfolio.");
        await Groups.AddToGroupAsync(Context.ConnectionId, PortfolioGroup, Context.ConnectionAborted);
        // Read after joining the group: any change committed later is pushed to this connection too.
        var portfolio = await live.ReadAsync(Context.ConnectionAborted);
        await Clients.Caller.SendAsync(LiveMessages.PortfolioChanged, portfolio, Context.ConnectionAborted);
    }

    public Task UnwatchPortfolio() =>
        Groups.RemoveFromGroupAsync(Context.ConnectionId, PortfolioGroup, Context.ConnectionAborted);
}

public static class LiveMessages
{
    public const string AccountChanged = "accountChanged";
    public const string PortfolioChanged = "portfolioChanged";
    public const string CommitmentAtRisk = "commitmentAtRisk";
    public const string CommitmentMissed = "commitmentMissed";
}
