using System.Diagnostics;
using System.Net;
using Npgsql;
using ValueLedger.Harness;

namespace ValueLedger.Bench;

/// <summary>
/// The account view as of a moment (<c>GET /api/accounts/{id}?asOf=</c>), for streams of 1,000, 10,000 and 100,000
/// events. The moment is after the last event, so the whole stream counts. The streams are written through the app's
/// own bulk import (10,000 rows per request, spread over commitments of about 10,000 days each). Baseline: reading the
/// same events' rows with a plain SELECT (the floor under any replay). On the same accounts, and on a fresh one as
/// the baseline: a write (a measurement on a commitment of its own), the account view and the commitment view of
/// the longest commitment (issue 14: cost that stays flat as history grows).
/// </summary>
public sealed class TimeTravel(Bench bench)
{
    private const int RowsPerImport = 10_000;

    public async Task RunAsync()
    {
        var o = bench.Options;
        var results = new List<(int Size, Latency AsOf, Latency Raw, Latency Live)>();
        var costs = new List<(int Size, Cost Cost)>();
        var fresh = (await Ingest.OpenTargetsAsync(bench, 1, "Fresh account"))[0];
        var freshCost = await WriteAndReadAsync(fresh.Account, fresh.Commitment, o.TimeTravelRepetitions(1_000));
        Bench.Log($"fresh account: write {freshCost.Write.Describe()}; account view {freshCost.Account.Describe()}; commitment view {freshCost.Commitment.Describe()}");
        foreach (var size in o.TimeTravelSizes)
        {
            var (account, longest) = await SeedAsync(size);
            var asOf = DateTimeOffset.UtcNow;
            // The app's freshness checks may append a few events of their own while a long stream is seeded: the raw read
            // is checked against what the stream holds at the moment, which is at least what was seeded.
            var events = await CountEventsAsync(account, asOf);
            if (events < size) throw new InvalidOperationException($"Expected at least {size} events in the stream, found {events}.");
            if (events != size) Bench.Log($"{size:N0} events seeded; the stream holds {events:N0} at the moment (the app's freshness checks added {events - size:N0})");
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
                if (rows != events) throw new InvalidOperationException($"Expected {events} events in the stream, read {rows}.");
            });
            results.Add((size, asOfTimes, rawTimes, liveTimes));
            var cost = await WriteAndReadAsync(account, longest, repetitions);
            costs.Add((size, cost));
            Bench.Log($"{size:N0} events: write {cost.Write.Describe()}; account view {cost.Account.Describe()}; commitment view {cost.Commitment.Describe()} ({cost.CommitmentBytes:N0} bytes)");
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
        foreach (var (size, cost) in costs)
        {
            var bound = size >= 100_000 ? 2.0 : 1.5;
            var goal = size >= 10_000 ? $"≤ {bound:0.0}× the fresh account" : "—";
            Verdict Judge(Latency l, Latency baseline) => size < 10_000 ? Verdict.Info : l.P50 <= bound * baseline.P50 ? Verdict.Met : Verdict.Missed;
            bench.Add(new Row($"Write on an account of {size:N0} events (POST a measurement)", $"p50 {cost.Write.P50:N1} ms, p99 {cost.Write.P99:N1} ms",
                $"fresh account: p50 {freshCost.Write.P50:N1} ms", $"{cost.Write.P50 / freshCost.Write.P50:0.0}×", goal, Judge(cost.Write, freshCost.Write),
                $"n={cost.Write.Count}; the inline snapshot (every measurement) is rewritten by each write"));
            bench.Add(new Row($"Read an account of {size:N0} events (GET the account view)", $"p50 {cost.Account.P50:N1} ms, p99 {cost.Account.P99:N1} ms",
                $"fresh account: p50 {freshCost.Account.P50:N1} ms", $"{cost.Account.P50 / freshCost.Account.P50:0.0}×", goal, Judge(cost.Account, freshCost.Account),
                $"n={cost.Account.Count}; the snapshot is loaded and valued whole"));
            bench.Add(new Row($"Read the longest commitment of an account of {size:N0} events (GET the commitment view)",
                $"p50 {cost.Commitment.P50:N1} ms, {cost.CommitmentBytes:N0} bytes", $"fresh account: p50 {freshCost.Commitment.P50:N1} ms, {freshCost.CommitmentBytes:N0} bytes",
                $"{cost.Commitment.P50 / freshCost.Commitment.P50:0.0}×", "a bounded body", cost.CommitmentBytes < 300_000 ? Verdict.Met : Verdict.Missed,
                $"n={cost.Commitment.Count}; the newest 100 measurements and a series of at most 400 points; the rest is GET …/measurements"));
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

    private sealed record Cost(Latency Write, Latency Account, Latency Commitment, long CommitmentBytes);

    /// <summary>Writes measurements on a new commitment of the account, then reads the account and the given commitment.</summary>
    private async Task<Cost> WriteAndReadAsync(Guid account, Guid commitment, int repetitions)
    {
        var own = await bench.Api.AddCommitmentAsync(account, Bodies.CommitmentStart, Bodies.CommitmentEnd);
        var url = $"/api/accounts/{account}/commitments/{own}/measurements";
        var day = 0;
        var write = await TimeAsync(repetitions, async () =>
        {
            using var response = await bench.Api.PostAsync(url, Bodies.Measurement(Bodies.Day(day++), 95));
            if (response.StatusCode != HttpStatusCode.Created)
                throw new InvalidOperationException($"POST {url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        });
        var view = await TimeAsync(repetitions, async () =>
        {
            using var response = await bench.Api.Http.GetAsync($"/api/accounts/{account}");
            await response.Content.ReadAsByteArrayAsync();
        });
        long bytes = 0;
        var commitmentView = await TimeAsync(repetitions, async () =>
        {
            using var response = await bench.Api.Http.GetAsync($"/api/accounts/{account}/commitments/{commitment}");
            bytes = (await response.Content.ReadAsByteArrayAsync()).LongLength;
        });
        return new Cost(write, view, commitmentView, bytes);
    }

    /// <summary>An account whose stream holds exactly <paramref name="size"/> events: opened, commitments, measurements.</summary>
    private async Task<long> CountEventsAsync(Guid account, DateTimeOffset asOf)
    {
        await using var command = bench.Db.CreateCommand("select count(*) from valueledger.mt_events where stream_id = $1 and timestamp <= $2");
        command.Parameters.Add(new NpgsqlParameter { Value = account });
        command.Parameters.Add(new NpgsqlParameter { Value = asOf });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<(Guid Account, Guid Longest)> SeedAsync(int size)
    {
        var commitments = (int)Math.Ceiling(size / (double)RowsPerImport);
        var target = (await Ingest.OpenTargetsAsync(bench, 1, $"Time travel {size}"))[0];
        var ids = new List<Guid> { target.Commitment };
        for (var c = 1; c < commitments; c++) ids.Add(await bench.Api.AddCommitmentAsync(target.Account, Bodies.CommitmentStart, Bodies.CommitmentEnd));
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
        return (target.Account, target.Commitment);
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
