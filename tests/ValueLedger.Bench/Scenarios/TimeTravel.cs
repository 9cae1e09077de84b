using System.Diagnostics;
using System.Net;
using Npgsql;
using ValueLedger.Harness;

namespace ValueLedger.Bench;

/// <summary>
/// The account view as of a moment (<c>GET /api/accounts/{id}?asOf=</c>), for streams of 1,000, 10,000 and 100,000
/// events. The moment is after the last event, so the whole stream counts. The streams are written through the app's
/// own bulk import (10,000 rows per request, spread over commitments of about 10,000 days each). Baseline: reading the
/// same events' rows with a plain SELECT (the floor under any replay).
/// </summary>
public sealed class TimeTravel(Bench bench)
{
    private const int RowsPerImport = 10_000;

    public async Task RunAsync()
    {
        var o = bench.Options;
        var results = new List<(int Size, Latency AsOf, Latency Raw, Latency Live)>();
        foreach (var size in o.TimeTravelSizes)
        {
            var account = await SeedAsync(size);
            var asOf = DateTimeOffset.UtcNow;
            var url = $"/api/accounts/{account}?asOf={Uri.EscapeDataString(asOf.ToString("O"))}";
            var repetitions = o.TimeTravelRepetitions(size);

            var asOfTimes = await TimeAsync(repetitions, async () =>
            {
                using var response = await bench.Api.Http.GetAsync(url);
                if (response.StatusCode != HttpStatusCode.OK)
                    throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode}");
                await response.Content.ReadAsByteArrayAsync();
            });
            var liveTimes = await TimeAsync(repetitions, async () =>
            {
                using var response = await bench.Api.Http.GetAsync($"/api/accounts/{account}");
                await response.Content.ReadAsByteArrayAsync();
            });
            var rawTimes = await TimeAsync(repetitions, async () =>
            {
                await using var command = bench.Db.CreateCommand(
                    "select data::text from valueledger.mt_events where stream_id = $1 and timestamp <= $2 order by version");
                command.Parameters.Add(new NpgsqlParameter { Value = account });
                command.Parameters.Add(new NpgsqlParameter { Value = asOf });
                await using var reader = await command.ExecuteReaderAsync();
                var rows = 0;
                while (await reader.ReadAsync())
                {
                    reader.GetString(0);
                    rows++;
                }
                if (rows != size) throw new InvalidOperationException($"Expected {size} events in the stream, read {rows}.");
            });
            results.Add((size, asOfTimes, rawTimes, liveTimes));
            Bench.Log($"time travel: {size:N0} events: as-of {asOfTimes.Describe()}; raw select {rawTimes.Describe()}; live view {liveTimes.Describe()}");
        }

        foreach (var (size, asOf, raw, live) in results)
        {
            var goal = size == 10_000 ? "< 50 ms" : "grows far slower than the stream";
            var verdict = size == 10_000 ? (asOf.P50 < 50 ? Verdict.Met : Verdict.Missed) : Verdict.Info;
            bench.Add(new Row($"Time travel: account as of a moment, {size:N0} events",
                $"p50 {asOf.P50:N1} ms, p99 {asOf.P99:N1} ms",
                $"raw SELECT of the rows: p50 {raw.P50:N1} ms",
                $"{asOf.P50 / raw.P50:0.0}× the raw read", goal, verdict,
                $"n={asOf.Count}; the live view (snapshot, no replay): p50 {live.P50:N1} ms"));
        }
        foreach (var (size, asOf, raw, _) in results)
        {
            bench.Facts[$"timetravel.{size}"] = asOf.P50;
            bench.Facts[$"timetravel.raw.{size}"] = raw.P50;
        }
        if (results.Count >= 2)
        {
            var (small, large) = (results[0], results[^1]);
            var streamGrowth = (double)large.Size / small.Size;
            var timeGrowth = large.AsOf.P50 / small.AsOf.P50;
            bench.Add(new Row($"Time travel: growth from {small.Size:N0} to {large.Size:N0} events",
                $"{timeGrowth:0.0}× the time for {streamGrowth:N0}× the events",
                $"raw SELECT: {large.Raw.P50 / small.Raw.P50:0.0}×", "", "far slower than the stream",
                timeGrowth <= streamGrowth / 10 ? Verdict.Met : Verdict.Missed));
        }
    }

    /// <summary>An account whose stream holds exactly <paramref name="size"/> events: opened, commitments, measurements.</summary>
    private async Task<Guid> SeedAsync(int size)
    {
        var commitments = (int)Math.Ceiling(size / (double)RowsPerImport);
        var target = (await Ingest.OpenTargetsAsync(bench, 1, $"Time travel {size}"))[0];
        var ids = new List<Guid> { target.Commitment };
        for (var c = 1; c < commitments; c++) ids.Add(await bench.Api.AddCommitmentAsync(target.Account, Bodies.FirstDay, Bodies.FirstDay.AddYears(30)));
        var remaining = size - 1 - commitments;
        var started = Stopwatch.GetTimestamp();
        foreach (var commitment in ids)
        {
            var rows = Math.Min(RowsPerImport, remaining);
            if (rows <= 0) break;
            await BulkImport.ImportAsync(bench, target, 0, rows, commitment);
            remaining -= rows;
        }
        Bench.Log($"time travel: seeded a stream of {size:N0} events in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
        return target.Account;
    }

    private static async Task<Latency> TimeAsync(int repetitions, Func<Task> action)
    {
        await action(); // warm: the first call compiles and fills caches
        var times = new List<double>();
        for (var i = 0; i < repetitions; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            await action();
            times.Add(Latency.Ms(t0, Stopwatch.GetTimestamp()));
        }
        return Latency.Of(times);
    }
}
