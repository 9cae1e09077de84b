namespace ValueLedger.Reliability;

/// <summary>
/// kill -9 the app during sustained ingest and start it again: every acknowledged write is stored, retried
/// Idempotency-Keys wrote once, and every account's read model equals a replay of its events from scratch.
/// </summary>
public sealed class KillDuringIngest(Suite suite)
{
    public async Task<ScenarioResult> RunAsync()
    {
        var o = suite.Options;
        var result = new ScenarioResult("kill -9 the app during sustained ingest",
            $"{o.Writers} writers record measurements and prioritisations, each write with an Idempotency-Key and retried through restarts; " +
            $"the app is killed with SIGKILL {o.Kills}× at {o.BetweenFaults.TotalSeconds:0} s intervals and started again at once");
        var targets = await WriteLoad.OpenAsync(suite, o.Writers * o.AccountsPerWriter, "Kill");
        var load = new WriteLoad(suite, result);
        using var stop = new CancellationTokenSource();
        var writing = load.RunAsync(targets, o.Writers, stop.Token);

        for (var kill = 0; kill < o.Kills; kill++)
        {
            await Task.Delay(o.BetweenFaults);
            await suite.KillAndRestartAppAsync(result);
        }
        await Task.Delay(o.BetweenFaults);
        await stop.CancelAsync();
        await writing;

        await load.VerifyAsync();
        if (load.ServerErrors > 0) result.Fail($"{load.ServerErrors} answers were 5xx other than 503");
        await suite.CheckReplayAsync(result);
        return result;
    }
}
