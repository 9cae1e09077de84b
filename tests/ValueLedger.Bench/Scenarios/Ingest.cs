using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using ValueLedger.Domain;
using ValueLedger.Harness;

namespace ValueLedger.Bench;

/// <summary>
/// 16 clients record measurements through the HTTP API as fast as the answers come (closed loop), each on its own
/// accounts so no two writers contend for a stream; beside it the durable commit limit of this machine: 16 Npgsql
/// connections doing a single-row INSERT and commit of the same event JSON into a table shaped like mt_events.
/// </summary>
public sealed class Ingest(Bench bench)
{
    public sealed class Target(Guid account, Guid commitment)
    {
        public Guid Account { get; } = account;
        public Guid Commitment { get; } = commitment;
        public int NextDay;
        public string Url => $"/api/accounts/{Account}/commitments/{Commitment}/measurements";
    }

    public sealed record Phase(int Ok, int Failed, double Seconds, Latency Latency, string Statuses)
    {
        public double PerSecond => Ok / Seconds;
    }

    public async Task RunAsync()
    {
        var o = bench.Options;
        var app = bench.App!;
        var count = o.IngestClients * o.AccountsPerIngestClient;
        Bench.Log($"ingest: opening {count} accounts with a commitment each");
        var targets = await OpenTargetsAsync(bench, count, "Ingest");

        Bench.Log($"ingest: warming up for {o.IngestWarmup.TotalSeconds:0} s");
        await RunClientsAsync(targets, o.IngestWarmup);

        var idle = app.WorkingSetBytes();
        var resetOk = app.ResetPeakMemory();
        var cpu0 = CpuMeter.Take(app.Pid);
        var db0 = await DbMeter.TakeAsync(bench.Db);
        Bench.Log($"ingest: {o.IngestClients} clients for {o.IngestDuration.TotalSeconds:0} s");
        var api = await RunClientsAsync(targets, o.IngestDuration);
        var cpu = CpuMeter.Between(cpu0, CpuMeter.Take(app.Pid));
        var (transactions, wal) = DbMeter.Between(db0, await DbMeter.TakeAsync(bench.Db));
        var peak = app.PeakWorkingSetBytes();

        Bench.Log($"ingest baseline: raw INSERT + commit, {o.IngestClients} connections for {o.IngestDuration.TotalSeconds:0} s");
        await RawTable.CreateAsync(bench.Db);
        var cpuRaw0 = CpuMeter.Take(null);
        var dbRaw0 = await DbMeter.TakeAsync(bench.Db);
        var raw = await RawInsertAsync(o.IngestClients, o.IngestDuration);
        var cpuRaw = CpuMeter.Between(cpuRaw0, CpuMeter.Take(null));
        var (rawTransactions, rawWal) = DbMeter.Between(dbRaw0, await DbMeter.TakeAsync(bench.Db));

        var ratio = api.PerSecond / raw.PerSecond;
        var met = ratio >= 1.0 / 3 && api.PerSecond >= 2000;
        bench.Add(new Row($"Ingest: HTTP, {o.IngestClients} concurrent clients",
            $"{api.PerSecond:N0} commands/s; p50 {api.Latency.P50:0.0} ms, p99 {api.Latency.P99:0.0} ms",
            $"raw INSERT+commit: {raw.PerSecond:N0}/s; p50 {raw.Latency.P50:0.0} ms, p99 {raw.Latency.P99:0.0} ms",
            $"{ratio:P0} of raw", "≥ 1/3 of raw and ≥ 2,000/s", met ? Verdict.Met : Verdict.Missed));
        var perCommand = api.Ok == 0 ? 0 : (double)transactions / api.Ok;
        bench.Notes.Add($"Ingest: {api.Ok:N0} commands accepted, {api.Failed:N0} refused or failed ({api.Statuses}) in {api.Seconds:0.0} s. " +
                        $"Per command the database committed {perCommand:0.00} write transactions and {(api.Ok == 0 ? 0 : wal / api.Ok):N0} bytes of WAL " +
                        $"(raw baseline: {(raw.Ok == 0 ? 0 : (double)rawTransactions / raw.Ok):0.00} transactions and {(raw.Ok == 0 ? 0 : rawWal / raw.Ok):N0} bytes per row). " +
                        $"During the HTTP run: {cpu.Describe()}. During the raw run: {cpuRaw.Describe()}.");
        bench.Facts["ingest.rate"] = api.PerSecond;
        bench.Facts["ingest.raw"] = raw.PerSecond;
        bench.Facts["ingest.p99"] = api.Latency.P99;
        bench.Facts["ingest.appCpuMs"] = api.Ok == 0 ? 0 : cpu.App * api.Seconds * 1000 / api.Ok;
        bench.Facts["ingest.pgCpuMs"] = api.Ok == 0 ? 0 : cpu.Postgres * api.Seconds * 1000 / api.Ok;
        bench.Facts["ingest.benchCpuMs"] = api.Ok == 0 ? 0 : cpu.Bench * api.Seconds * 1000 / api.Ok;
        bench.Facts["ingest.other"] = cpu.Other;
        bench.Facts["ingest.busy"] = cpu.MachineBusy;
        bench.Facts["ingest.transactions"] = perCommand;
        bench.Facts["ingest.wal"] = api.Ok == 0 ? 0 : (double)(wal / api.Ok);
        bench.Facts["ingest.rawWal"] = raw.Ok == 0 ? 0 : (double)(rawWal / raw.Ok);
        bench.Facts["ingest.rawPgCpuMs"] = raw.Ok == 0 ? 0 : cpuRaw.Postgres * raw.Seconds * 1000 / raw.Ok;
        // Open loop: writes offered at a fixed rate whatever the answers do, at shares of the closed loop's capacity.
        // Latency runs from the moment each write was due, so waiting in line counts (no coordinated omission).
        foreach (var share in new[] { 0.5, 0.8, 1.0 })
        {
            var rate = Math.Max(1, (int)(api.PerSecond * share));
            var open = await OpenLoopAsync(targets, rate, o.IngestOpenLoopDuration);
            bench.Add(new Row($"Ingest: open loop at {share:P0} of capacity ({rate:N0} writes/s offered)",
                $"{open.PerSecond:N0} commands/s; p50 {open.Latency.P50:0.0} ms, p80 {open.Latency.P80:0.0} ms, p99 {open.Latency.P99:0.0} ms",
                $"closed loop (16 clients): p50 {api.Latency.P50:0.0} ms, p99 {api.Latency.P99:0.0} ms", "", "—", Verdict.Info,
                $"{open.Ok:N0} accepted, {open.Failed:N0} refused or failed ({open.Statuses}) in {open.Seconds:0.0} s; latency from each write's due time"));
        }
        bench.Add(new Row("Memory: peak working set during ingest", $"{peak / 1048576.0:N0} MiB (VmHWM)",
            $"{idle / 1048576.0:N0} MiB resident before the run", "", "—", Verdict.Info,
            resetOk ? "" : "VmHWM could not be reset; the peak is since process start"));
    }

    public static async Task<Target[]> OpenTargetsAsync(Bench bench, int count, string prefix) =>
        await Bench.ParallelAsync(count, 16, async i =>
        {
            var account = await bench.Api.OpenAccountAsync($"{prefix} {i}");
            var commitment = await bench.Api.AddCommitmentAsync(account, Bodies.CommitmentStart, Bodies.CommitmentEnd);
            return new Target(account, commitment);
        });

    private async Task<Phase> RunClientsAsync(Target[] targets, TimeSpan duration)
    {
        var clients = bench.Options.IngestClients;
        var perClient = targets.Length / clients;
        var latencies = new List<double>[clients];
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var failed = 0;
        var started = Stopwatch.GetTimestamp();
        var stopAt = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var mine = targets.Skip(client * perClient).Take(perClient).ToArray();
            var list = latencies[client] = new List<double>(50_000);
            for (var i = 0; Stopwatch.GetTimestamp() < stopAt; i++)
            {
                var target = mine[i % mine.Length];
                var day = Bodies.Day(target.NextDay++);
                var t0 = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await bench.Api.PostAsync(target.Url, Bodies.Measurement(day, 80 + i % 20));
                    var t1 = Stopwatch.GetTimestamp();
                    if (response.StatusCode == HttpStatusCode.Created) list.Add(Latency.Ms(t0, t1));
                    else
                    {
                        Interlocked.Increment(ref failed);
                        statuses.AddOrUpdate(((int)response.StatusCode).ToString(), 1, (_, n) => n + 1);
                    }
                }
                catch (HttpRequestException e)
                {
                    Interlocked.Increment(ref failed);
                    statuses.AddOrUpdate(e.GetType().Name, 1, (_, n) => n + 1);
                }
            }
        })));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var all = latencies.SelectMany(l => l).ToList();
        return new Phase(all.Count, failed, seconds, Latency.Of(all),
            statuses.IsEmpty ? "none" : string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}")));
    }

    private async Task<Phase> OpenLoopAsync(Target[] targets, int rate, TimeSpan duration)
    {
        var writes = (int)(rate * duration.TotalSeconds);
        var latencies = new double[writes];
        var ok = new bool[writes];
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var started = Stopwatch.GetTimestamp();
        var running = new List<Task>(writes);
        for (var i = 0; i < writes; i++)
        {
            var due = started + (long)(i * Stopwatch.Frequency / (double)rate);
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > 0) await Task.Delay(TimeSpan.FromSeconds(wait / (double)Stopwatch.Frequency));
            var index = i;
            var target = targets[i % targets.Length];
            var day = Bodies.Day(Interlocked.Increment(ref target.NextDay) - 1);
            running.Add(Task.Run(async () =>
            {
                try
                {
                    using var response = await bench.Api.PostAsync(target.Url, Bodies.Measurement(day, 80 + index % 20));
                    latencies[index] = Latency.Ms(due, Stopwatch.GetTimestamp());
                    ok[index] = response.StatusCode == HttpStatusCode.Created;
                    if (!ok[index]) statuses.AddOrUpdate(((int)response.StatusCode).ToString(), 1, (_, n) => n + 1);
                }
                catch (HttpRequestException e)
                {
                    statuses.AddOrUpdate(e.GetType().Name, 1, (_, n) => n + 1);
                }
            }));
        }
        await Task.WhenAll(running);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var accepted = Enumerable.Range(0, writes).Where(i => ok[i]).Select(i => latencies[i]).ToList();
        return new Phase(accepted.Count, writes - accepted.Count, seconds, Latency.Of(accepted),
            statuses.IsEmpty ? "none" : string.Join(", ", statuses.Select(x => $"{x.Key}: {x.Value}")));
    }

    private async Task<Phase> RawInsertAsync(int clients, TimeSpan duration)
    {
        var payload = RawTable.EventJson();
        var latencies = new List<double>[clients];
        var started = Stopwatch.GetTimestamp();
        var stopAt = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var list = latencies[client] = new List<double>(100_000);
            await using var connection = await bench.Db.OpenConnectionAsync();
            await using var insert = new NpgsqlCommand(
                $"insert into {RawTable.Name} (id, stream_id, version, data, type) values ($1, $2, $3, $4, 'measurement_recorded')", connection);
            var id = insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid });
            var stream = insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = Guid.NewGuid() });
            var version = insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint });
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = payload });
            await insert.PrepareAsync();
            for (long v = 1; Stopwatch.GetTimestamp() < stopAt; v++)
            {
                id.Value = Guid.CreateVersion7();
                version.Value = v;
                var t0 = Stopwatch.GetTimestamp();
                await insert.ExecuteNonQueryAsync(); // autocommit: one durable commit per row
                list.Add(Latency.Ms(t0, Stopwatch.GetTimestamp()));
            }
        })));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var all = latencies.SelectMany(l => l).ToList();
        return new Phase(all.Count, 0, seconds, Latency.Of(all), "none");
    }
}

/// <summary>The baseline table: the columns of mt_events that a write fills, with the same keys.</summary>
public static class RawTable
{
    public const string Name = "bench.raw_events";

    public static async Task CreateAsync(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand($"""
            create schema if not exists bench;
            drop table if exists {Name};
            create table {Name} (
              seq_id bigserial primary key, id uuid not null, stream_id uuid not null, version bigint not null,
              data jsonb not null, type varchar(500) not null, timestamp timestamptz not null default now(),
              unique (stream_id, version));
            """);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A MeasurementRecorded event as the app stores it (same serializer settings).</summary>
    public static string EventJson(int day = 0) => JsonSerializer.Serialize(
        new MeasurementRecorded(Guid.CreateVersion7(), Guid.CreateVersion7(), Bodies.Day(day), Bodies.Day(day),
            87.5m, MeasurementSource.System, "https://erp.example/scrap", null, "bench.csm", DateTimeOffset.UtcNow),
        ValueLedger.Api.Infrastructure.Json.Configure(new JsonSerializerOptions()));
}
