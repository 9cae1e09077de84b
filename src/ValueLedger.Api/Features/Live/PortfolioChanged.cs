using Marten;
using Microsoft.AspNetCore.SignalR;
using ValueLedger.Api.Features.Portfolio;

namespace ValueLedger.Api.Features.Live;

/// <summary>Published by the account projection with each change of an account, delivered once the change is committed.</summary>
public sealed record PortfolioChanged(Guid AccountId);

public static class PortfolioChangedHandler
{
    /// <summary>
    /// One push per batch of changes (Wolverine batches them, see <see cref="LivePush"/>), carrying the latest
    /// committed portfolio; skipped when that same portfolio was already pushed. The last change
    /// of a burst is always in some batch that reads after it, so the watchers always end on the latest state.
    /// </summary>
    public static async Task Handle(PortfolioChanged[] changes, IQuerySession session, IHubContext<ValueHub> hub,
        LivePushLedger pushed, TimeProvider clock, CancellationToken cancellation)
    {
        var portfolio = PortfolioView.Of(await PortfolioSummaries.CurrentAsync(session, cancellation), clock.GetUtcNow());
        if (!pushed.TryAdvancePortfolio(portfolio)) return;
        await hub.Clients.Group(ValueHub.PortfolioGroup).SendAsync(LiveMessages.PortfolioChanged, portfolio, cancellation);
    }
}

/// <summary>What this node pushed last: the position (and size) of the last portfolio sent.</summary>
public sealed class LivePushLedger
{
    private string _lastPushed = "";

    /// <summary>
    /// True (and remembered) unless this very portfolio was the last one pushed. Pushes run one at a time on a
    /// sequential queue and each reads the latest committed portfolio, so what they read only moves forward; any
    /// other position is a newer portfolio (or a ledger that was reset and refilled, which must be pushed too).
    /// </summary>
    public bool TryAdvancePortfolio(PortfolioView portfolio)
    {
        var position = $"{portfolio.Position}/{portfolio.Accounts}";
        return Interlocked.Exchange(ref _lastPushed, position) != position;
    }
}
