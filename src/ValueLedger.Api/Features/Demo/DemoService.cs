using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace ValueLedger.Api.Features.Demo;

/// <summary>
/// With <c>ValueLedger:DemoData=true</c>, loads the demo portfolio once the app has started, when the ledger holds no
/// account yet; with <c>ValueLedger:Simulate=true</c>, then keeps the world moving every <c>SimulateEvery</c>
/// (a timer on the app's TimeProvider).
/// </summary>
public sealed class DemoService(
    IServiceProvider services, IOptions<DashboardSettings> options, TimeProvider clock, IHostApplicationLifetime lifetime,
    ILogger<DemoService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.DemoData && !settings.Simulate) return;
        if (!await StartedAsync(stoppingToken)) return;

        try
        {
            if (settings.DemoData) await LoadDemoDataAsync(stoppingToken);
            if (settings.Simulate) await SimulateAsync(settings.SimulateEvery, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task LoadDemoDataAsync(CancellationToken ct)
    {
        using (var scope = services.CreateScope())
        {
            if (await scope.ServiceProvider.GetRequiredService<IQuerySession>().Query<Account>().AnyAsync(ct))
            {
                logger.LogInformation("The ledger already holds accounts; the demo portfolio is not loaded");
                return;
            }
        }
        logger.LogInformation("Loading the demo portfolio ({Accounts} accounts) through the ledger's commands", DemoPortfolio.Accounts.Count);
        var watch = Stopwatch.StartNew();
        await DemoSeeder.SeedAsync(services, clock, ct);
        logger.LogInformation("Demo portfolio loaded in {Seconds:0.0} s", watch.Elapsed.TotalSeconds);
    }

    private async Task SimulateAsync(TimeSpan every, CancellationToken ct)
    {
        logger.LogInformation("Simulating the portfolio: something happens every {Seconds:0.#} s", every.TotalSeconds);
        var random = new Random();
        using var timer = new PeriodicTimer(every, clock);
        while (await timer.WaitForNextTickAsync(ct))
        {
            try
            {
                if (await DemoSimulation.StepAsync(services, random, clock, ct) is { } what)
                    logger.LogInformation("Simulation: {What}", what);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "A simulation step failed; the next one goes on");
            }
        }
    }

    private async Task<bool> StartedAsync(CancellationToken ct)
    {
        var started = new TaskCompletionSource();
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = ct.Register(() => started.TrySetCanceled(ct));
        try
        {
            await started.Task;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
