using System.Diagnostics;
using System.Text.RegularExpressions;
using Npgsql;
using ValueLedger.Harness;

namespace ValueLedger.Bench;

/// <summary>
/// Rebuilding every read model from the events with the app's own command line (<c>projections rebuild</c>, the
/// JasperFx CLI), over at least 1,000,000 events. The events of the run are written through the API; to reach the
/// million, the ordinary accounts among them (streams of up to 2,000 events) are copied by SQL under new stream ids
/// (with the account id inside AccountOpened/ValueCommitted changed to match), so the copies are the app's own
/// events. Baseline: a plain SELECT reading every event row in sequence order.
/// </summary>
public sealed partial class Rebuild(Bench bench)
{
    private const string Schema = "valueledger";

    public async Task RunAsync()
    {
        var target = bench.Options.RebuildEvents;
        await CloneUntilAsync(target);
        var events = await bench.Ledger.EventCountAsync();
        var streams = await bench.Ledger.ScalarAsync($"select count(*) from {Schema}.mt_streams");

        // The size of the account snapshots the rebuild will rewrite, read before it starts (afterwards they may be half rebuilt).
        // Weighted by events: the final size of the account document an average event (of the ordinary accounts that make
        // up most of the million) belongs to.
        var medianDoc = await bench.Ledger.ScalarAsync($"""
            select coalesce(sum(length(d.data::text)::numeric * s.version) / nullif(sum(s.version), 0), 0)::bigint
            from {Schema}.mt_doc_account d join {Schema}.mt_streams s on s.id = d.id where s.version <= 2000
            """);
        var scan1 = await ScanAsync();
        // A rebuild that cannot finish within the budget of the run is stopped by its own shard timeout; the rate is
        // then taken from the progress it reported.
        var budget = bench.Options.Quick ? TimeSpan.FromMinutes(3) : TimeSpan.FromMinutes(7);
        Bench.Log($"rebuild: running `projections rebuild` over {events:N0} events in {streams:N0} streams (at most {budget.TotalMinutes:0} min)");
        var cpu0 = CpuMeter.Take(null);
        var result = await Cli.RunAppCommandAsync(bench.Settings, "projections", "rebuild", "--shard-timeout", budget.ToString(@"hh\:mm\:ss"));
        var cpu = CpuMeter.Between(cpu0, CpuMeter.Take(null));
        File.WriteAllText(Path.Combine(bench.Options.WorkDir, "rebuild.log"), result.Output);
        var finished = result.ExitCode == 0;
        var timedOut = !finished && result.Output.Contains("TimeoutException", StringComparison.Ordinal);
        if (!finished && !timedOut)
            throw new InvalidOperationException($"projections rebuild exited with {result.ExitCode}:\n{string.Join('\n', result.Output.Split('\n').TakeLast(30))}");
        var scan2 = await ScanAsync();
        var scan = Math.Min(scan1, scan2);

        double rebuildMs, progress = 1;
        string how;
        if (finished)
        {
            var reported = FinishedRebuild().Match(result.Output);
            rebuildMs = reported.Success ? double.Parse(reported.Groups[1].Value) : result.Elapsed.TotalMilliseconds;
            how = reported.Success ? "time reported by the rebuild" : "wall time of the command";
        }
        else
        {
            // The last percentage each projection printed ("Account:All: 13%"), averaged over the projections.
            var last = Progress().Matches(result.Output).GroupBy(m => m.Groups[1].Value).Select(g => double.Parse(g.Last().Groups[2].Value) / 100).ToList();
            progress = last.Count == 0 ? 0 : last.Average();
            rebuildMs = budget.TotalMilliseconds;
            how = $"**did not finish** within {budget.TotalMinutes:0} min: {progress:P0} done, the rate is that progress over the time";
        }
        var perProjection = string.Join(", ", FinishedProjection().Matches(result.Output).Select(m => $"{m.Groups[1].Value} {double.Parse(m.Groups[2].Value) / 1000:0.0} s"));
        var rate = events * progress / (rebuildMs / 1000);
        var scanRate = events / (scan / 1000);
        bench.Facts["rebuild.rate"] = rate;
        bench.Facts["rebuild.finished"] = finished ? 1 : 0;
        bench.Facts["rebuild.progress"] = progress;
        bench.Facts["rebuild.scan"] = scanRate;
        bench.Facts["rebuild.events"] = events;
        bench.Facts["rebuild.streams"] = streams;
        bench.Facts["rebuild.docBytes"] = medianDoc;
        bench.Facts["rebuild.perStream"] = events / (double)Math.Max(1, streams);
        bench.Facts["rebuild.busy"] = cpu.MachineBusy;
        bench.Facts["rebuild.pg"] = cpu.Postgres;
        bench.Facts["rebuild.other"] = cpu.Other;
        bench.Add(new Row($"Rebuild: every read model over {events:N0} events",
            $"{rate:N0} events/s ({(finished ? $"{rebuildMs / 1000:0.0} s" : $"{progress:P0} in {rebuildMs / 60000:0} min")})",
            $"raw SELECT scan: {scanRate:N0} events/s ({scan / 1000:0.0} s)", $"{rate / scanRate:P1} of the scan",
            "≥ 20,000 events/s", rate >= 20_000 && finished ? Verdict.Met : Verdict.Missed,
            $"{how}; the whole command took {result.Elapsed.TotalSeconds:0} s"));
        bench.Notes.Add($"Rebuild: {events:N0} events in {streams:N0} streams; {(finished ? $"projections rebuilt: {(perProjection.Length > 0 ? perProjection : "(see rebuild.log)")}" : $"stopped by the shard timeout after {budget.TotalMinutes:0} min at {progress:P0}")}. " +
                        $"{cpu.Describe()} (the app's CLI process counts as 'other' here).");
    }

    private async Task CloneUntilAsync(long target)
    {
        var events = await bench.Ledger.EventCountAsync();
        if (events >= target) return;
        var templates = new List<Guid>();
        await using (var command = bench.Db.CreateCommand($"select id from {Schema}.mt_streams where version <= 2000"))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) templates.Add(reader.GetGuid(0));
        var perCopy = await bench.Ledger.ScalarAsync($"select count(*) from {Schema}.mt_events where stream_id = any($1)", templates.ToArray());
        if (perCopy == 0) throw new InvalidOperationException("No events to copy: run the other rows first.");
        var copies = (int)Math.Ceiling((target - events) / (double)perCopy);
        Bench.Log($"rebuild: {events:N0} events written through the API; copying {templates.Count:N0} streams ({perCopy:N0} events) {copies} times");
        var started = Stopwatch.GetTimestamp();
        for (var copy = 1; copy <= copies; copy++)
        {
            await using var connection = await bench.Db.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            // Parameters need the extended protocol, which takes one statement per command.
            await ExecuteAsync(connection, transaction, $"""
                create temp table copies on commit drop as
                  select id as old_id, gen_random_uuid() as new_id from {Schema}.mt_streams where id = any($1)
                """, templates.ToArray());
            await ExecuteAsync(connection, transaction, $"""
                insert into {Schema}.mt_streams (id, type, version, timestamp, created, tenant_id)
                  select c.new_id, s.type, s.version, s.timestamp, s.created, s.tenant_id
                  from copies c join {Schema}.mt_streams s on s.id = c.old_id
                """);
            await ExecuteAsync(connection, transaction, $"""
                insert into {Schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type,
                                                correlation_id, causation_id, headers, user_name, is_archived)
                  select nextval('{Schema}.mt_events_sequence'), gen_random_uuid(), c.new_id, e.version,
                         case when e.data ? 'accountId' then jsonb_set(e.data, array['accountId'], to_jsonb(c.new_id::text)) else e.data end,
                         e.type, e.timestamp, e.tenant_id, e.mt_dotnet_type, e.correlation_id, e.causation_id, e.headers, e.user_name, e.is_archived
                  from {Schema}.mt_events e join copies c on c.old_id = e.stream_id
                  order by e.seq_id
                """);
            await transaction.CommitAsync();
        }
        await using (var analyze = bench.Db.CreateCommand($"analyze {Schema}.mt_events; analyze {Schema}.mt_streams"))
            await analyze.ExecuteNonQueryAsync();
        Bench.Log($"rebuild: copied to {await bench.Ledger.EventCountAsync():N0} events in {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s");
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 600 };
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Reads every event row in sequence order, as a replay would; returns milliseconds.</summary>
    private async Task<double> ScanAsync()
    {
        var t0 = Stopwatch.GetTimestamp();
        await using var command = bench.Db.CreateCommand($"select seq_id, stream_id, version, type, data::text from {Schema}.mt_events order by seq_id");
        command.CommandTimeout = 600;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            reader.GetInt64(0);
            reader.GetGuid(1);
            reader.GetInt64(2);
            reader.GetString(3);
            reader.GetString(4);
        }
        return Latency.Ms(t0, Stopwatch.GetTimestamp());
    }

    [GeneratedRegex(@"Finished rebuild in (\d+) ms")]
    private static partial Regex FinishedRebuild();

    [GeneratedRegex(@"Finished rebuilding (\S+) in (\d+) ms")]
    private static partial Regex FinishedProjection();

    [GeneratedRegex(@"^(\S+:\S+): (\d+)%", RegexOptions.Multiline)]
    private static partial Regex Progress();
}
