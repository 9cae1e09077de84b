using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using ValueLedger.Api.Features.Portfolio;

namespace ValueLedger.Api.Features.Live;

/// <summary>Published by the account projection with each change of an account, delivered once the change is committed.</summary>
public sealed record PortfolioChanged(Guid AccountId);

public static class PortfolioChangedHandler
{
    /// <summary>A batch of changes (Wolverine batches them, see <see cref="LivePush"/>) makes the portfolio due for a push.</summary>
    public static void Handle(PortfolioChanged[] changes, PortfolioPushes pushes) => pushes.Due();
}

/// <summary>
/// Pushes the latest committed portfolio to its watchers, one read at a time: a change marked due while a read runs
/// makes exactly one more read after it (later marks fold into that one), so every change is followed by a read
/// that started after it and the watchers always end on the latest state, while pushes never queue up behind slow
/// reads (ADR 0005). Two portfolio pushes are at least <see cref="LivePushSettings.PortfolioPushGap"/> apart: every
/// push goes to every watcher, so under a steady stream of writes this bounds what watchers cost. A push that would
/// repeat the portfolio last sent is skipped.
/// </summary>
public sealed class PortfolioPushes(LivePortfolio live, IHubContext<ValueHub> hub, LivePushLedger pushed, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<LivePushSettings> settings, ILogger<PortfolioPushes> logger)
    : BackgroundService
{
    private readonly Channel<bool> _due = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Due() => _due.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var _ in _due.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    var portfolio = await live.ReadAsync(stoppingToken);
                    if (pushed.TryAdvancePortfolio(portfolio))
                    {
                        await hub.Clients.Group(ValueHub.PortfolioGroup).SendAsync(LiveMessages.PortfolioChanged, portfolio, stoppingToken);
                        // Changes marked due meanwhile wait for the gap, then go out together in the next read.
                        await Task.Delay(settings.Value.PortfolioPushGap, clock, stoppingToken);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "A portfolio push failed; the next change pushes again");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
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
