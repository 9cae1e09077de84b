using System.Diagnostics;
using System.Text.Json.Nodes;
using Npgsql;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Harness;

namespace ValueLedger.Reliability;

/// <summary>What one fault scenario did and found. Any failure fails the suite.</summary>
public sealed class ScenarioResult(string name, string what)
{
    public string Name { get; } = name;
    public string What { get; } = what;
    public long RequestsSent;
    public long FaultsInjected;
    public long WritesChecked;
    public long Lost;
    public long Duplicated;
    public long Unknown;
    public List<string> Failures { get; } = [];
    public List<string> Observations { get; } = [];
    public TimeSpan Duration { get; set; }
    public bool Passed => Failures.Count == 0;

    public void Fail(string message)
    {
        lock (Failures)
            if (Failures.Count < 50 && !Failures.Contains(message)) Failures.Add(message);
    }

    public void Observe(string message)
    {
        lock (Observations) Observations.Add(message);
    }
}

/// <summary>
/// The suite's world: one app process on a fixed port (so clients retry the same address across restarts), the
/// private PostgreSQL cluster that ops/reliability started for it, and direct SQL access to check what is stored.
/// </summary>
public sealed class Suite : IAsyncDisposable
{
    public Suite(SuiteOptions options)
    {
        Options = options;
        var key = Tokens.NewKey();
        Tokens = new Tokens(key);
        Settings = new AppSettings(options.AppDll, options.AppConnectionString ?? options.ConnectionString, key,
            Path.Combine(options.WorkDir, "app.log"), Path.Combine(options.WorkDir, "data"));
        if (options.AppConnectionString is not null) Settings.Environment["ValueLedger__ApplySchemaOnStartup"] = "false";
        // The webhook receiver of the suite listens on loopback; retries come within seconds, not the production 24 h.
        Settings.Environment["Webhooks__AllowPrivateNetworks"] = "true";
        string[] delays = ["00:00:01", "00:00:02", "00:00:04", "00:00:08", "00:00:15", "00:00:30", "00:00:30", "00:00:30"];
        for (var i = 0; i < delays.Length; i++) Settings.Environment[$"Webhooks__RetryDelays__{i}"] = delays[i];
        Port = AppProcess.FreePort();
        Db = NpgsqlDataSource.Create(options.ConnectionString);
        Ledger = new Ledger(Db);
    }

    public SuiteOptions Options { get; }
    public Tokens Tokens { get; }
    public AppSettings Settings { get; }
    public int Port { get; }
    public NpgsqlDataSource Db { get; }
    public Ledger Ledger { get; }
    public AppProcess? App { get; private set; }
    public ApiClient Api { get; private set; } = null!;
    public List<ScenarioResult> Results { get; } = [];

    public async Task<int> RunAsync()
    {
        var started = Stopwatch.GetTimestamp();
        Log($"work folder {Options.WorkDir}; app log {Settings.LogFile}; the app connects as " +
            $"{new NpgsqlConnectionStringBuilder(Settings.ConnectionString).Username ?? "the current user"}");
        var scenarios = new List<(string Key, Func<Task<ScenarioResult>> Run)>
        {
            ("kill", () => new KillDuringIngest(this).RunAsync()),
            ("postgres", () => new PostgresRestart(this).RunAsync()),
            ("concurrent", () => new ConcurrentWriters(this).RunAsync()),
            ("fuzz", () => new Fuzz(this).RunAsync()),
            ("webhooks", () => new KillWithPendingDeliveries(this).RunAsync()),
            // Last: it ends with the app stopped (for the rebuild it compares against).
            ("catchup", () => new KillDuringCatchUp(this).RunAsync())
        };
        try
        {
            foreach (var (key, run) in scenarios.Where(s => Options.Runs(s.Key)))
            {
                await EnsureRunningAsync();
                var t0 = Stopwatch.GetTimestamp();
                ScenarioResult result;
                try
                {
                    result = await run();
                }
                catch (Exception e)
                {
                    result = new ScenarioResult(key, "(crashed)");
                    result.Fail($"The scenario itself failed: {e.GetType().Name}: {e.Message}");
                    Log($"error in {key}: {e}");
                    if (App is not null) Log("app log tail:\n" + App.LogTail());
                }
                result.Duration = Stopwatch.GetElapsedTime(t0);
                Results.Add(result);
                Log($"{result.Name}: {(result.Passed ? "passed" : "FAILED")} in {result.Duration.TotalSeconds:0.0} s — requests {result.RequestsSent:N0}, faults {result.FaultsInjected}, " +
                    $"writes checked {result.WritesChecked:N0}, lost {result.Lost}, duplicated {result.Duplicated}, unknown outcome {result.Unknown}");
                foreach (var failure in result.Failures) Log($"  FAILED: {failure}");
            }
        }
        finally
        {
            await StopAppAsync();
        }
        new Report(this).Write(Stopwatch.GetElapsedTime(started));
        return Results.All(r => r.Passed) ? 0 : 1;
    }

    public async Task StartAppAsync()
    {
        App = AppProcess.Start(Settings, Port);
        await App.WaitUntilAliveAsync(TimeSpan.FromMinutes(2));
        Api = new ApiClient(App.BaseUrl, Tokens.For(Roles.Csm, "reliability.csm"), TimeSpan.FromSeconds(30));
    }

    public async Task StopAppAsync()
    {
        if (App is null) return;
        await App.DisposeAsync();
        App = null;
    }

    /// <summary>kill -9 of the app process, then a fresh process on the same port.</summary>
    public async Task KillAndRestartAppAsync(ScenarioResult result)
    {
        Log($"kill -9 the app (pid {App!.Pid})");
        await App.KillAsync();
        result.FaultsInjected++;
        App = AppProcess.Start(Settings, Port);
        var took = await App.WaitUntilAliveAsync(TimeSpan.FromMinutes(2));
        Log($"app restarted (pid {App.Pid}) in {took.TotalSeconds:0.0} s");
    }

    public async Task EnsureRunningAsync()
    {
        if (!await PostgresIsUpAsync()) await StartPostgresAsync();
        if (App is null || App.HasExited) await StartAppAsync();
    }

    // ------------------------------------------------------------------ PostgreSQL of this suite

    /// <summary>Stops the suite's own cluster: "fast" (clients disconnected, checkpoint) or "immediate" (a crash; recovery from WAL on start).</summary>
    public Task StopPostgresAsync(bool immediate) => PgAsync(immediate
        ? """pg_as_owner "$PG_BIN/pg_ctl" -D "$1/data" -m immediate -w -t 60 -s stop"""
        : """pg_stop "$1" """);

    public async Task StartPostgresAsync()
    {
        await PgAsync("""pg_start "$1" "$2" """);
        Db.Clear();
    }

    private async Task PgAsync(string script)
    {
        var info = new ProcessStartInfo("bash");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"""set -e; source "$0"; pg_find_bin; {script}""");
        info.ArgumentList.Add(Options.PostgresLib);
        info.ArgumentList.Add(Options.PgDir);
        info.ArgumentList.Add(Options.PgPort.ToString());
        var run = await Cli.RunAsync(info, TimeSpan.FromMinutes(2));
        if (run.ExitCode != 0) throw new InvalidOperationException($"PostgreSQL control failed ({script}): {run.Output}");
    }

    private async Task<bool> PostgresIsUpAsync()
    {
        try
        {
            await using var connection = await Db.OpenConnectionAsync();
            return true;
        }
        catch (NpgsqlException)
        {
            Db.Clear();
            return false;
        }
    }

    // ------------------------------------------------------------------ checks

    /// <summary>
    /// For every account: the live view (read model, the inline snapshot) must equal the view replayed from scratch
    /// at the same version (<c>?version=</c> folds the events again), and that version must be the stream's.
    /// </summary>
    public async Task CheckReplayAsync(ScenarioResult result, IReadOnlyCollection<Guid>? accounts = null)
    {
        accounts ??= await Ledger.AccountIdsAsync();
        var versions = new Dictionary<Guid, long>();
        await using (var command = Db.CreateCommand("select id, version from valueledger.mt_streams"))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) versions[reader.GetGuid(0)] = reader.GetInt64(1);

        var mismatches = 0;
        await Parallel.ForEachAsync(accounts, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (account, _) =>
        {
            var live = await Api.GetJsonAsync($"/api/accounts/{account}");
            Interlocked.Increment(ref result.RequestsSent);
            if (live is null)
            {
                result.Fail($"GET /api/accounts/{account} did not answer 200");
                Interlocked.Increment(ref mismatches);
                return;
            }
            var version = live["version"]!.GetValue<long>();
            var replayed = await Api.GetJsonAsync($"/api/accounts/{account}?version={version}");
            Interlocked.Increment(ref result.RequestsSent);
            if (versions.TryGetValue(account, out var stream) && stream != version)
                Fail($"account {account}: the read model is at version {version} but the stream at {stream}");
            if (replayed is null) Fail($"account {account}: no replay at version {version}");
            else if (!JsonNode.DeepEquals(WithoutAsOf(live), WithoutAsOf(replayed)))
                Fail($"account {account}: the read model differs from a replay of its {version} events");
        });
        result.Observe($"Read model equals a replay from scratch for {accounts.Count - mismatches} of {accounts.Count} accounts.");

        void Fail(string message)
        {
            Interlocked.Increment(ref mismatches);
            result.Fail(message);
        }
    }

    private static JsonNode WithoutAsOf(JsonNode view)
    {
        var copy = view.DeepClone().AsObject();
        copy.Remove("asOf");
        return copy;
    }

    public static void Log(string message) => Console.Error.WriteLine($"ops/reliability: [{DateTime.Now:HH:mm:ss}] {message}");

    public async ValueTask DisposeAsync()
    {
        await StopAppAsync();
        await Db.DisposeAsync();
    }
}
