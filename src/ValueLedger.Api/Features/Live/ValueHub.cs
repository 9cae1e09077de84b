using Marten;
using Microsoft.AspNetCore.Authorization;
using ValueLedger.Api.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using ValueLedger.Api.Features.Accounts;
using ValueLedger.Api.Features.Portfolio;
using ValueLedger.Domain;

namespace ValueLedger.Api.Features.Live;

/// <summary>
/// Live value updates. Clients join the groups of what they watch; each watch answers at once with the current
/// state, so a client that reconnects is up to date without waiting for the next change.
/// </summary>
[Authorize]
public sealed class ValueHub(IQuerySession session, TimeProvider clock) : Hub
{
    public const string Route = "/hubs/value";
    public const string PortfolioGroup = "portfolio";

    public static string AccountGroup(Guid accountId) => $"account:{accountId}";

    /// <summary>Watch one account: staff may watch any, a customer only its own.</summary>
    public async Task WatchAccount(Guid accountId)
    {
        if (!Security.MayRead(Context.User!, accountId))
            throw new HubException("You may not watch this account.");
        var account = await session.LoadAsync<Account>(accountId, Context.ConnectionAborted)
                      ?? throw new HubException($"No account with id {accountId}.");
        await Groups.AddToGroupAsync(Context.ConnectionId, AccountGroup(accountId), Context.ConnectionAborted);
        await Clients.Caller.SendAsync(LiveMessages.AccountChanged, AccountValueView.Of(account, clock.GetUtcNow()), Context.ConnectionAborted);
    }

    public Task Unwatch(Guid accountId) =>
        Groups.RemoveFromGroupAsync(Context.ConnectionId, AccountGroup(accountId), Context.ConnectionAborted);

    /// <summary>Watch the whole portfolio (staff only): the current view at once, then portfolioChanged and commitmentAtRisk.</summary>
    public async Task WatchPortfolio()
    {
        if (!Roles.Staff.Any(Context.User!.IsInRole))
            throw new HubException("Only staff may watch the portfolio.");
        await Groups.AddToGroupAsync(Context.ConnectionId, PortfolioGroup, Context.ConnectionAborted);
        var portfolio = await session.LoadAsync<ValuePortfolio>(ValuePortfolio.TheId, Context.ConnectionAborted);
        await Clients.Caller.SendAsync(LiveMessages.PortfolioChanged, PortfolioView.Of(portfolio, clock.GetUtcNow()), Context.ConnectionAborted);
    }

    public Task UnwatchPortfolio() =>
        Groups.RemoveFromGroupAsync(Context.ConnectionId, PortfolioGroup, Context.ConnectionAborted);
}

public static class LiveMessages
{
    public const string AccountChanged = "accountChanged";
    public const string PortfolioChanged = "portfolioChanged";
    public const string CommitmentAtRisk = "commitmentAtRisk";
}
