using System.Diagnostics;

namespace ValueLedger.Reliability;

/// <summary>
/// Stop and start PostgreSQL under load: the app recovers by itself (no restart), requests during the outage get 503
/// ProblemDetails and never 500, and nothing acknowledged is lost.
/// </summary>
public sealed class PostgresRestart(Suite suite)
{
    public async Task<ScenarioResult> RunAsync()
    {
        var o = suite.Options;
        var modes = Enumerable.Range(0, o.PostgresOutages).Select(i => i % 2 == 1).ToList(); // fast, then immediate (a crash)
        var result = new ScenarioResult("restart PostgreSQL during load",
            $"{o.Writers} writers as above; PostgreSQL is stopped for {o.Outage.TotalSeconds:0} s and started again, {o.PostgresOutages}× " +
            $"({string.Join(", ", modes.Select(m => m ? "immediate (crash, WAL recovery)" : "fast"))}); the app is not touched");
        var targets = await WriteLoad.OpenAsync(suite, o.Writers * o.AccountsPerWriter, "Outage");
        var load = new WriteLoad(suite, result);
        var app = suite.App!;
        using var stop = new CancellationTokenSource();
        var writing = load.RunAsync(targets, o.Writers, stop.Token);

        foreach (var immediate in modes)
        {
            await Task.Delay(o.BetweenFaults);
            Suite.Log($"stopping PostgreSQL ({(immediate ? "immediate" : "fast")})");
            var unavailableBefore = load.Unavailable;
            await suite.StopPostgresAsync(immediate);
            result.FaultsInjected++;
            await Task.Delay(o.Outage);
            await suite.StartPostgresAsync();
            var restarted = Stopwatch.GetTimestamp();
            Suite.Log("PostgreSQL is back");

            // Recovered: a write is acknowledged after the database came back, without touching the app.
            while (load.LastAcknowledgedAt < restarted && Stopwatch.GetElapsedTime(restarted) < TimeSpan.FromSeconds(60))
                await Task.Delay(50);
            if (load.LastAcknowledgedAt < restarted) result.Fail("no write succeeded within 60 s after PostgreSQL came back");
            else result.Observe($"After the {(immediate ? "immediate" : "fast")} restart the first write was acknowledged {Stopwatch.GetElapsedTime(restarted, load.LastAcknowledgedAt).TotalMilliseconds:N0} ms after PostgreSQL accepted connections; " +
                                $"{load.Unavailable - unavailableBefore} answers during the outage were 503.");
        }
        await Task.Delay(o.BetweenFaults);
        await stop.CancelAsync();
        await writing;

        if (app.HasExited || suite.App != app) result.Fail("the app process did not survive the outage");
        if (load.ServerErrors > 0) result.Fail($"{load.ServerErrors} answers were 5xx other than 503 (see above)");
        if (load.Unavailable == 0) result.Observe("No request happened to arrive while the database was down (no 503 seen).");
        await load.VerifyAsync();
        await suite.CheckReplayAsync(result);
        return result;
    }
}
