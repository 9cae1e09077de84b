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
    public static async Task Handle(PortfolioChanged[] changes, LivePortfolio live, IHubContext<ValueHub> hub,
        LivePushLedger pushed, CancellationToken cancellation)
    {
        var portfolio = await live.ReadAsync(cancellation);
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

/// <summary>
/// The current portfolio for live pushes and watchers, read at most once at a time: a caller gets the result of a read
/// that started after it asked (so it reflects everything committed before the call), and every caller that asked
/// while a read was running shares the next one. A thousand dashboards opening at once cost two or three reads, not a
/// thousand; a single caller costs one read, as before.
/// </summary>
public sealed class LivePortfolio(IDocumentStore store, TimeProvider clock)
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private long _asked;
    private (long Covers, PortfolioView View)? _last;

    public async Task<PortfolioView> ReadAsync(CancellationToken cancellation)
    {
        var ticket = Interlocked.Increment(ref _asked);
        await _oneAtATime.WaitAsync(cancellation);
        try
        {
            // A read that finished while this caller waited started after it asked: its view is fresh enough.
            if (_last is { } last && last.Covers >= ticket) return last.View;
            var covers = Interlocked.Read(ref _asked);
            await using var session = store.QuerySession();
            var view = PortfolioView.Of(await PortfolioSummaries.CurrentAsync(session, cancellation), clock.GetUtcNow());
            _last = (covers, view);
            return view;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }
}
