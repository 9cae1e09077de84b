using Marten;
using Microsoft.AspNetCore.SignalR;
using ValueLedger.Api.Features.Portfolio;

namespace ValueLedger.Api.Features.Live;

/// <summary>Published by the portfolio projection after the async daemon committed a new portfolio.</summary>
public sealed record PortfolioChanged(long Sequence);

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
        var portfolio = await session.LoadAsync<ValuePortfolio>(ValuePortfolio.TheId, cancellation);
        if (portfolio is null || !pushed.TryAdvancePortfolio(portfolio)) return;
        await hub.Clients.Group(ValueHub.PortfolioGroup)
            .SendAsync(LiveMessages.PortfolioChanged, PortfolioView.Of(portfolio, clock.GetUtcNow()), cancellation);
    }
}

/// <summary>What this node pushed last: the position (sequence and time of its newest event) of the last portfolio sent.</summary>
public sealed class LivePushLedger
{
    private string _lastPushed = "";

    /// <summary>
    /// True (and remembered) unless this very portfolio was the last one pushed. Pushes run one at a time on a
    /// sequential queue and each reads the latest committed portfolio, so what they read only moves forward; any
    /// other position is a newer portfolio (or a ledger that was reset and refilled, which must be pushed too).
    /// </summary>
    public bool TryAdvancePortfolio(ValuePortfolio portfolio)
    {
        var position = $"{portfolio.Sequence}@{portfolio.LastEventAt:O}";
        return Interlocked.Exchange(ref _lastPushed, position) != position;
    }
}
