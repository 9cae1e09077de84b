using System.Diagnostics;
using JasperFx.CommandLine;

namespace ValueLedger.Api.Features.Demo;

public sealed class DemoInput : NetCoreInput
{
    [Description("Keep serving the app once the demo is loaded, until Ctrl-C (ops/run)")]
    public bool ServeFlag { get; set; }

    [Description("Keep the world moving: record something through the commands every few seconds (implies --serve)")]
    public bool SimulateFlag { get; set; }

    [Description("Seconds between two simulated steps (default 3)")]
    public int EveryFlag { get; set; } = 3;
}

/// <summary>
/// <c>demo</c>: loads the demo portfolio into a ledger that holds no account yet, through the same commands as the
/// HTTP endpoints, then stops, or with <c>--serve</c> keeps the app serving (ops/run), or with <c>--simulate</c>
/// also records a simulated step every <c>--every</c> seconds. The product's own host (<c>run</c>) carries none of
/// this: the demo exists only when this command is asked for.
/// </summary>
[Description("Load the demo portfolio into an empty ledger; --serve keeps the app running, --simulate keeps the world moving")]
public sealed class DemoCommand : JasperFxAsyncCommand<DemoInput>
{
    public override async Task<bool> Execute(DemoInput input)
    {
        using var host = input.BuildHost();
        await host.StartAsync();
        var services = host.Services;
        var logger = services.GetRequiredService<ILogger<DemoCommand>>();
        var clock = services.GetRequiredService<TimeProvider>();
        var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        try
        {
            await LoadIfEmptyAsync(services, clock, logger, stopping);
            if (input.SimulateFlag) await SimulateAsync(services, TimeSpan.FromSeconds(Math.Clamp(input.EveryFlag, 1, 3600)), clock, logger, stopping);
            else if (input.ServeFlag) await host.WaitForShutdownAsync();
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        await host.StopAsync();
        return true;
    }

    /// <summary>Loads the demo portfolio unless the ledger already holds an account; true when it loaded it.</summary>
    public static async Task<bool> LoadIfEmptyAsync(IServiceProvider services, TimeProvider clock, ILogger logger, CancellationToken ct)
    {
        using (var scope = services.CreateScope())
        {
            if (await scope.ServiceProvider.GetRequiredService<IQuerySession>().Query<Account>().AnyAsync(ct))
            {
                logger.LogInformation("The ledger already holds accounts; the demo portfolio is not loaded");
                return false;
            }
        }
        logger.LogInformation("Loading the demo portfolio ({Accounts} accounts) through the ledger's commands", DemoPortfolio.Accounts.Count);
        var watch = Stopwatch.StartNew();
        await DemoSeeder.SeedAsync(services, clock, ct);
        logger.LogInformation("Demo portfolio loaded in {Seconds:0.0} s", watch.Elapsed.TotalSeconds);
        return true;
    }

    private static async Task SimulateAsync(IServiceProvider services, TimeSpan every, TimeProvider clock, ILogger logger, CancellationToken ct)
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
}
