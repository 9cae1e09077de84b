using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Harness;

namespace ValueLedger.Bench;

/// <summary>
/// From a write's HTTP response to a SignalR client receiving the change, with many clients connected and writes
/// arriving at a steady rate (open loop: a write starts every 1/rate s whether or not the earlier ones answered).
/// With the portfolio push (WatchPortfolio → portfolioChanged) every client watches the portfolio and probe writes
/// (a commitment in a currency of their own, ZZZ, twice a second) are followed into the pushed totals. Without it,
/// each client watches one account (WatchAccount → accountChanged) and every write is followed by its version.
/// </summary>
public sealed class LivePush(Bench bench)
{
    private const string ProbeCurrency = "ZZZ";
    private const decimal ProbePromise = 20m; // 20 points of improvement × 1 per year × one calendar year

    private enum Mode { Portfolio, Account }

    private sealed class Client
    {
        public required HubConnection Connection { get; init; }
        public List<Guid> Watching { get; } = [];
        public List<(long At, Guid Account, long Version)> Accounts { get; } = [];
        public List<(long At, decimal? Probe)> Portfolios { get; } = [];
        public bool Closed;
    }

    private sealed record Write(Guid Account, long Version, long RespondedAt);

    private sealed record Result(Latency Delivery, int Expected, int Missed, int BeforeResponse, Latency Writes, double WriteRate,
        int WriteFailures, int Closed, TimeSpan ConnectTime, CpuMeter.Use Cpu);

    public async Task RunAsync()
    {
        var o = bench.Options;
        var app = bench.App!;
        Bench.Log($"push: opening {o.PushAccounts} accounts");
        var targets = await Ingest.OpenTargetsAsync(bench, o.PushAccounts, "Push");
        var token = bench.Tokens.For(Roles.Executive, "bench.executive");

        var mode = await PortfolioPushAvailableAsync(token) ? Mode.Portfolio : Mode.Account;
        Guid? probeAccount = null;
        if (mode == Mode.Portfolio) probeAccount = await bench.Api.OpenAccountAsync("Push probe", ProbeCurrency);
        Bench.Log($"push: measuring the {(mode == Mode.Portfolio ? "portfolio" : "account")} push");

        var baseline = (await MeasureAsync(mode, targets, probeAccount, 1, [(o.PushWritesPerSecond, o.PushBaselineDuration)], token))[0];
        var idle = app.WorkingSetBytes();
        var resetOk = app.ResetPeakMemory();
        // The goal's rate, then (full run) a quarter of it with the same clients: shows how much of the latency is load.
        List<(int, TimeSpan)> phases = [(o.PushWritesPerSecond, o.PushDuration)];
        if (!o.Quick) phases.Add((o.PushWritesPerSecond / 4, o.PushBaselineDuration));
        var results = await MeasureAsync(mode, targets, probeAccount, o.PushClients, phases, token);
        var loaded = results[0];
        var peak = app.PeakWorkingSetBytes();

        var what = mode == Mode.Portfolio ? "portfolio (portfolioChanged)" : "account (accountChanged; the portfolio push is not available yet)";
        bench.Add(new Row($"Live push: response → client receives, {o.PushClients:N0} clients, {o.PushWritesPerSecond} writes/s",
            loaded.Delivery.Count == 0 ? "no deliveries" : $"p50 {loaded.Delivery.P50:N0} ms, p99 {loaded.Delivery.P99:N0} ms",
            baseline.Delivery.Count == 0 ? "no deliveries" : $"1 client: p50 {baseline.Delivery.P50:N0} ms, p99 {baseline.Delivery.P99:N0} ms",
            baseline.Delivery.P99 > 0 ? $"{loaded.Delivery.P99 / baseline.Delivery.P99:0.0}× the 1-client p99" : "",
            "p99 < 250 ms", loaded.Delivery.Count > 0 && loaded.Delivery.P99 < 250 && loaded.Missed == 0 ? Verdict.Met : Verdict.Missed,
            $"watching the {what}"));
        if (o.PushClientsLarge > o.PushClients)
        {
            Result? measured = null;
            try
            {
                measured = (await MeasureAsync(mode, targets, probeAccount, o.PushClientsLarge, [(o.PushWritesPerSecond, o.PushBaselineDuration)], token))[0];
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException or InvalidOperationException)
            {
                // The clients share the machine with the app; when they cannot all connect, the row says so instead of a figure.
                bench.Add(new Row($"Live push: response → client receives, {o.PushClientsLarge:N0} clients, {o.PushWritesPerSecond} writes/s",
                    "not measured", "", "", "p99 < 500 ms", Verdict.NotAvailable,
                    $"the {o.PushClientsLarge:N0} clients could not all connect on this 2-core machine ({e.GetType().Name}: {e.Message})"));
            }
            if (measured is { } large)
            {
            bench.Add(new Row($"Live push: response → client receives, {o.PushClientsLarge:N0} clients, {o.PushWritesPerSecond} writes/s",
                large.Delivery.Count == 0 ? "no deliveries" : $"p50 {large.Delivery.P50:N0} ms, p99 {large.Delivery.P99:N0} ms",
                baseline.Delivery.Count == 0 ? "no deliveries" : $"1 client: p50 {baseline.Delivery.P50:N0} ms, p99 {baseline.Delivery.P99:N0} ms",
                baseline.Delivery.P99 > 0 ? $"{large.Delivery.P99 / baseline.Delivery.P99:0.0}× the 1-client p99" : "",
                "p99 < 500 ms", large.Delivery.Count > 0 && large.Delivery.P99 < 500 && large.Missed == 0 ? Verdict.Met : Verdict.Missed,
                $"watching the {what}; the clients run in the benchmark process on the same 2 cores"));
            bench.Notes.Add($"Live push, {o.PushClientsLarge:N0} clients at {o.PushWritesPerSecond} writes/s: {Describe(large)}");
            }
        }
        bench.Notes.Add($"Live push ({what}), {o.PushClients:N0} clients at {o.PushWritesPerSecond} writes/s: {Describe(loaded)} " +
                        (results.Count > 1 ? $"The same clients at {o.PushWritesPerSecond / 4} writes/s: {Describe(results[1])} " : "") +
                        $"1-client baseline at {o.PushWritesPerSecond} writes/s: {Describe(baseline)}");
        bench.Facts["push.p99"] = loaded.Delivery.P99;
        bench.Facts["push.rate"] = loaded.WriteRate;
        bench.Facts["push.mode"] = mode == Mode.Portfolio ? 1 : 0;
        if (results.Count > 1) bench.Facts["push.p99.quarter"] = results[1].Delivery.P99;
        bench.Facts["push.cpu"] = loaded.Cpu.MachineBusy;
        bench.Add(new Row($"Memory: peak working set during the push test ({o.PushClients:N0} clients)", $"{peak / 1048576.0:N0} MiB (VmHWM)",
            $"{idle / 1048576.0:N0} MiB resident before the clients connected", "", "—", Verdict.Info,
            resetOk ? "" : "VmHWM could not be reset; the peak is since process start"));
    }

    private static string Describe(Result r) =>
        $"{r.Delivery.Count:N0} deliveries measured of {r.Expected:N0} expected, {r.Missed:N0} never arrived, {r.BeforeResponse:N0} arrived before the HTTP response (counted as 0 ms); " +
        $"max {r.Delivery.Max:N0} ms; writes ran at {r.WriteRate:N0}/s with p50 {r.Writes.P50:0.0} ms, p99 {r.Writes.P99:0.0} ms ({r.WriteFailures} failed); " +
        $"connecting took {r.ConnectTime.TotalSeconds:0.0} s; {r.Closed} connections dropped; {r.Cpu.Describe()}.";

    private async Task<bool> PortfolioPushAvailableAsync(string token)
    {
        await using var connection = Connect(token);
        await connection.StartAsync();
        try
        {
            await connection.InvokeAsync("WatchPortfolio");
            return true;
        }
        catch (HubException e)
        {
            Bench.Log($"push: WatchPortfolio is not available ({e.Message}); falling back to the account push");
            return false;
        }
    }

    private HubConnection Connect(string token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(bench.App!.BaseUrl, "/hubs/value"), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                options.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        // Two shared cores under load: do not let a late keep-alive drop a client in the middle of the measurement.
        connection.ServerTimeout = TimeSpan.FromMinutes(2);
        connection.HandshakeTimeout = TimeSpan.FromMinutes(1);
        return connection;
    }

    private async Task<List<Result>> MeasureAsync(Mode mode, Ingest.Target[] targets, Guid? probeAccount, int clientCount,
        List<(int Rate, TimeSpan Duration)> phases, string token)
    {
        var connectStarted = Stopwatch.GetTimestamp();
        var opened = new System.Collections.Concurrent.ConcurrentBag<Client>();
        Client[] clients;
        try
        {
            clients = await ConnectAllAsync();
        }
        catch
        {
            // Whatever did connect is closed again, so a failed phase leaves no load behind for the next rows.
            await Parallel.ForEachAsync(opened, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (c, _) => await c.Connection.DisposeAsync());
            throw;
        }

        Task<Client[]> ConnectAllAsync() => Bench.ParallelAsync(clientCount, 32, async i =>
        {
            var client = new Client { Connection = Connect(token) };
            opened.Add(client);
            client.Connection.On<JsonElement>("accountChanged", view =>
            {
                var at = Stopwatch.GetTimestamp();
                var entry = (at, view.GetProperty("id").GetGuid(), view.GetProperty("version").GetInt64());
                lock (client.Accounts) client.Accounts.Add(entry);
            });
            client.Connection.On<JsonElement>("portfolioChanged", view =>
            {
                var at = Stopwatch.GetTimestamp();
                var probe = ProbeTotal(view);
                lock (client.Portfolios) client.Portfolios.Add((at, probe));
            });
            client.Connection.Closed += _ =>
            {
                client.Closed = true;
                return Task.CompletedTask;
            };
            await client.Connection.StartAsync();
            if (mode == Mode.Portfolio)
            {
                await client.Connection.InvokeAsync("WatchPortfolio");
            }
            else
            {
                // One client watches every account; many clients spread over the accounts evenly.
                var watch = clientCount == 1 ? targets : [targets[i % targets.Length]];
                foreach (var target in watch)
                {
                    await client.Connection.InvokeAsync("WatchAccount", target.Account);
                    client.Watching.Add(target.Account);
                }
            }
            return client;
        });
        var connectTime = Stopwatch.GetElapsedTime(connectStarted);
        var results = new List<Result>();
        foreach (var (rate, duration) in phases)
        {
            Bench.Log($"push: {clientCount:N0} clients connected in {connectTime.TotalSeconds:0.0} s; writing {rate}/s for {duration.TotalSeconds:0} s");
            foreach (var c in clients)
            {
                lock (c.Accounts) c.Accounts.Clear();
                lock (c.Portfolios) if (c.Portfolios.Count > 1) c.Portfolios.RemoveRange(0, c.Portfolios.Count - 1);
            }
            results.Add(await PhaseAsync(mode, targets, probeAccount, clients, rate, duration, connectTime));
        }
        await Parallel.ForEachAsync(clients, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (c, _) => await c.Connection.DisposeAsync());
        return results;
    }

    private async Task<Result> PhaseAsync(Mode mode, Ingest.Target[] targets, Guid? probeAccount, Client[] clients, int rate, TimeSpan duration,
        TimeSpan connectTime)
    {
        // The probe's starting total, from the initial push each watcher receives.
        decimal probeBase = 0;
        if (mode == Mode.Portfolio)
        {
            await WaitAsync(() => clients.All(c => { lock (c.Portfolios) return c.Portfolios.Count > 0; }), TimeSpan.FromSeconds(5));
            lock (clients[0].Portfolios) probeBase = clients[0].Portfolios.LastOrDefault().Probe ?? 0;
        }

        var cpu0 = CpuMeter.Take(bench.App!.Pid);
        var writes = new ConcurrentBag<Write>();
        var writeLatencies = new ConcurrentBag<double>();
        var probes = new List<(decimal Expected, long RespondedAt)>();
        var failures = 0;
        var started = Stopwatch.GetTimestamp();
        var total = (int)(rate * duration.TotalSeconds);
        var probing = mode == Mode.Portfolio ? ProbeAsync() : Task.CompletedTask;
        var inFlight = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = started + (long)(i * Stopwatch.Frequency / (double)rate);
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > 0) await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
            inFlight.Add(WriteAsync(targets[i % targets.Length], i));
        }
        await Task.WhenAll(inFlight);
        var writeSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await probing;
        var cpu = CpuMeter.Between(cpu0, CpuMeter.Take(bench.App!.Pid));

        // Let the last pushes arrive.
        if (mode == Mode.Account)
        {
            var last = writes.GroupBy(w => w.Account).ToDictionary(g => g.Key, g => g.Max(w => w.Version));
            await WaitAsync(() => clients.All(c => c.Watching.All(a =>
            {
                lock (c.Accounts) return !last.TryGetValue(a, out var v) || c.Accounts.Any(r => r.Account == a && r.Version >= v);
            })), TimeSpan.FromSeconds(15));
        }
        else if (probes.Count > 0)
        {
            var expected = probes[^1].Expected;
            await WaitAsync(() => clients.All(c => { lock (c.Portfolios) return c.Portfolios.Any(p => p.Probe >= expected); }), TimeSpan.FromSeconds(15));
        }

        var samples = new List<double>();
        int missed = 0, before = 0, expectedCount = 0;
        void Sample(long respondedAt, long? receivedAt)
        {
            expectedCount++;
            if (receivedAt is not { } at)
            {
                missed++;
                return;
            }
            var ms = Latency.Ms(respondedAt, at);
            if (ms < 0) before++;
            samples.Add(Math.Max(0, ms));
        }

        foreach (var client in clients)
        {
            if (mode == Mode.Account)
            {
                List<(long At, Guid Account, long Version)> received;
                lock (client.Accounts) received = client.Accounts.OrderBy(r => r.At).ToList();
                var watched = client.Watching.ToHashSet();
                foreach (var write in writes.Where(w => watched.Contains(w.Account)))
                    Sample(write.RespondedAt, received.FirstOrDefault(r => r.Account == write.Account && r.Version >= write.Version) is { At: > 0 } hit ? hit.At : null);
            }
            else
            {
                List<(long At, decimal? Probe)> received;
                lock (client.Portfolios) received = client.Portfolios.OrderBy(r => r.At).ToList();
                foreach (var (expected, respondedAt) in probes)
                    Sample(respondedAt, received.FirstOrDefault(r => r.Probe >= expected) is { At: > 0 } hit ? hit.At : null);
            }
        }

        var closed = clients.Count(c => c.Closed);
        return new Result(Latency.Of(samples), expectedCount, missed, before, Latency.Of(writeLatencies), writes.Count / writeSeconds, failures, closed,
            connectTime, cpu);

        async Task WriteAsync(Ingest.Target target, int i)
        {
            var day = Bodies.Day(Interlocked.Increment(ref target.NextDay) - 1);
            var t0 = Stopwatch.GetTimestamp();
            try
            {
                using var response = await bench.Api.PostAsync(target.Url, Bodies.Measurement(day, 80 + i % 20));
                var at = Stopwatch.GetTimestamp();
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    Interlocked.Increment(ref failures);
                    return;
                }
                var version = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["version"]!.GetValue<long>();
                writes.Add(new Write(target.Account, version, at));
                writeLatencies.Add(Latency.Ms(t0, at));
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref failures);
            }
        }

        async Task ProbeAsync()
        {
            // One probe at a time, so the pushed total names exactly which probes it contains.
            var year = Bodies.FirstDay.Year + 1;
            var stopAt = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            for (var k = 1; Stopwatch.GetTimestamp() < stopAt; k++)
            {
                using var response = await bench.Api.PostAsync($"/api/accounts/{probeAccount}/commitments",
                    Bodies.Commitment(new DateOnly(year, 1, 1), new DateOnly(year, 12, 31), unitValue: 1));
                var at = Stopwatch.GetTimestamp();
                if (response.StatusCode == HttpStatusCode.Created) probes.Add((probeBase + ProbePromise * probes.Count + ProbePromise, at));
                await Task.Delay(500);
            }
        }
    }

    /// <summary>
    /// The promised value of the probe currency in a pushed portfolio view, wherever the totals per currency sit: an
    /// object with <c>currency: "ZZZ"</c> and <c>promisedValue</c>, or a map keyed by the currency. Shallowest first.
    /// </summary>
    public static decimal? ProbeTotal(JsonElement view)
    {
        var queue = new Queue<JsonElement>([view]);
        while (queue.Count > 0)
        {
            var element = queue.Dequeue();
            if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray()) queue.Enqueue(item);
                continue;
            }
            if (element.ValueKind != JsonValueKind.Object) continue;
            if (element.TryGetProperty("currency", out var currency) && currency.ValueKind == JsonValueKind.String &&
                string.Equals(currency.GetString(), ProbeCurrency, StringComparison.OrdinalIgnoreCase) &&
                element.TryGetProperty("promisedValue", out var promised) && promised.ValueKind == JsonValueKind.Number)
                return promised.GetDecimal();
            foreach (var property in element.EnumerateObject())
            {
                if (string.Equals(property.Name, ProbeCurrency, StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.Object &&
                    property.Value.TryGetProperty("promisedValue", out var value) && value.ValueKind == JsonValueKind.Number)
                    return value.GetDecimal();
                queue.Enqueue(property.Value);
            }
        }
        return null;
    }

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!condition() && Stopwatch.GetTimestamp() < deadline) await Task.Delay(100);
    }
}
