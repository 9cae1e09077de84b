using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using ValueLedger.Harness;

namespace ValueLedger.Reliability;

/// <summary>
/// kill -9 the app while projections are catching up: a burst of bulk imports, the app killed in the middle of it,
/// started again. Asynchronous projections (when the app has any: shards in mt_event_progression) must catch up
/// to the last event, and every projected document must equal what a rebuild from scratch produces (the app's own
/// <c>projections rebuild</c>): an event skipped or applied twice would show as a difference. The inline account
/// snapshot is checked the same way and against a replay of each stream.
/// </summary>
public sealed class KillDuringCatchUp(Suite suite)
{
    // Marten/Wolverine documents that no projection writes.
    private static readonly string[] NotProjected = ["mt_doc_idempotentrequest", "mt_doc_envelope", "mt_doc_deadletterevent",
        "mt_doc_webhooksubscription", "mt_doc_webhookdelivery"];

    public async Task<ScenarioResult> RunAsync()
    {
        var o = suite.Options;
        var result = new ScenarioResult("kill -9 the app while projections catch up",
            $"{o.CatchUpImports} concurrent bulk imports of {o.CatchUpRows:N0} rows each (with Idempotency-Keys, retried after the restart); " +
            "the app is killed with SIGKILL in the middle of the burst and started again; then every projected document is compared with a rebuild from scratch");
        var asyncShards = await AsyncShardsAsync();
        result.Observe(asyncShards.Count == 0
            ? "The app has no asynchronous projection yet (no shard in mt_event_progression): the inline account snapshot is what is checked."
            : $"Asynchronous projection shards: {string.Join(", ", asyncShards)}.");

        var targets = await WriteLoad.OpenAsync(suite, o.CatchUpImports, "Catch-up");
        var load = new WriteLoad(suite, result);
        var imports = targets.Select(t => new LogicalWrite
        {
            Kind = "import", Account = t.Account, Commitment = t.Commitment, Url = $"/api/accounts/{t.Account}/measurements/import",
            Body = new { rows = Enumerable.Range(0, o.CatchUpRows).Select(d => Bodies.ImportRow(t.Commitment, Bodies.Day(d), 80 + d % 20)).ToList() }
        }).ToList();
        foreach (var import in imports) load.Writes.Add(import);
        var writing = Task.WhenAll(imports.Select(load.ExecuteAsync));

        // Kill once the burst is half acknowledged (or the daemon is visibly behind), so some imports are in flight.
        var t0 = Stopwatch.GetTimestamp();
        while (imports.Count(i => i.Outcome == Outcome.Acknowledged) < imports.Count / 2 && Stopwatch.GetElapsedTime(t0) < TimeSpan.FromSeconds(60))
        {
            if (asyncShards.Count > 0 && await LagAsync() > 0 && imports.Any(i => i.Outcome == Outcome.Acknowledged)) break;
            await Task.Delay(20);
        }
        var lag = asyncShards.Count > 0 ? await LagAsync() : 0;
        await suite.KillAndRestartAppAsync(result);
        result.Observe($"Killed with {imports.Count(i => i.Outcome == Outcome.Acknowledged)} of {imports.Count} imports acknowledged" +
                       (asyncShards.Count > 0 ? $" and the slowest projection {lag:N0} events behind." : "."));
        await writing;

        if (asyncShards.Count > 0)
        {
            var caughtUp = Stopwatch.GetTimestamp();
            while (await LagAsync() > 0 && Stopwatch.GetElapsedTime(caughtUp) < TimeSpan.FromSeconds(120)) await Task.Delay(200);
            var left = await LagAsync();
            if (left > 0) result.Fail($"the asynchronous projections did not catch up within 120 s ({left} events behind)");
            else result.Observe($"The projections caught up {Stopwatch.GetElapsedTime(caughtUp).TotalSeconds:0.0} s after the restart.");
        }

        await VerifyImportsAsync(result, imports);
        if (load.ServerErrors > 0) result.Fail($"{load.ServerErrors} answers were 5xx other than 503");
        await suite.CheckReplayAsync(result);

        // Every projected document against a rebuild from scratch, with the app stopped.
        var before = await DocumentsAsync();
        await suite.StopAppAsync();
        // An operator's command: it truncates read-model tables, which the append-only app role may not (docs/audit.md).
        var rebuild = await Cli.RunAppCommandAsync(suite.Settings with { ConnectionString = o.OwnerConnectionString ?? o.ConnectionString },
            "projections", "rebuild");
        File.WriteAllText(Path.Combine(suite.Options.WorkDir, "rebuild.log"), rebuild.Output);
        if (rebuild.ExitCode != 0) result.Fail($"projections rebuild exited with {rebuild.ExitCode} (see rebuild.log)");
        var after = await DocumentsAsync();
        var compared = 0;
        foreach (var (table, rows) in after)
        {
            var old = before.GetValueOrDefault(table) ?? [];
            var differing = rows.Count(r => !old.TryGetValue(r.Key, out var data) || data != r.Value) + old.Keys.Count(k => !rows.ContainsKey(k));
            compared += rows.Count;
            if (differing > 0)
            {
                result.Fail($"{table}: {differing} of {rows.Count} documents differ from a rebuild from scratch (both versions in {table}.live.json / {table}.rebuilt.json)");
                var differingKeys = rows.Keys.Union(old.Keys).Where(k => old.GetValueOrDefault(k) != rows.GetValueOrDefault(k)).Take(5).ToList();
                File.WriteAllLines(Path.Combine(suite.Options.WorkDir, $"{table}.live.json"), differingKeys.Select(k => $"{k}\t{old.GetValueOrDefault(k)}"));
                File.WriteAllLines(Path.Combine(suite.Options.WorkDir, $"{table}.rebuilt.json"), differingKeys.Select(k => $"{k}\t{rows.GetValueOrDefault(k)}"));
            }
        }
        result.Observe($"{compared:N0} projected documents in {after.Count} table(s) ({string.Join(", ", after.Keys)}) compared with `projections rebuild`.");
        return result;
    }

    /// <summary>An import is all or nothing: its rows are stored completely or not at all, and once.</summary>
    private async Task VerifyImportsAsync(ScenarioResult result, List<LogicalWrite> imports)
    {
        var rows = suite.Options.CatchUpRows;
        var unknownStored = 0;
        foreach (var import in imports)
        {
            var stored = (await suite.Ledger.EventsOfAsync(import.Account)).Count(e => e.Type == "measurement_recorded");
            if (stored != 0 && stored != rows) result.Fail($"import into {import.Account} is stored partly: {stored} of {rows} rows");
            if (stored > rows) result.Duplicated++;
            switch (import.Outcome)
            {
                case Outcome.Acknowledged:
                    result.WritesChecked += rows;
                    if (stored == 0)
                    {
                        result.Lost += rows;
                        result.Fail($"the acknowledged import into {import.Account} is not stored");
                    }
                    break;
                case Outcome.Unknown:
                    result.Unknown++; // already a failure when it was answered (ADR 0010)
                    if (stored > 0) unknownStored++;
                    break;
                case Outcome.Pending:
                    result.Fail($"the import into {import.Account} never got a final answer");
                    break;
            }
        }
        result.Observe($"Imports: {imports.Count(i => i.Outcome == Outcome.Acknowledged)} acknowledged and stored whole; " +
                       $"{imports.Count(i => i.Outcome == Outcome.Unknown)} with an unknown outcome (each a failure; {unknownStored} of them stored whole); " +
                       "a retry after the kill gets the killed attempt's answer when it committed; none stored partly or twice unless listed as a failure.");
    }

    private async Task<List<string>> AsyncShardsAsync()
    {
        var shards = new List<string>();
        await using var command = suite.Db.CreateCommand("select name from valueledger.mt_event_progression where name not ilike 'HighWater%'");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) shards.Add(reader.GetString(0));
        return shards;
    }

    /// <summary>How far the slowest asynchronous shard is behind the last event.</summary>
    private Task<long> LagAsync() => suite.Ledger.ScalarAsync("""
        select coalesce((select max(seq_id) from valueledger.mt_events), 0)
             - coalesce((select min(last_seq_id) from valueledger.mt_event_progression where name not ilike 'HighWater%'), 0)
        """);

    private async Task<Dictionary<string, Dictionary<string, string>>> DocumentsAsync()
    {
        var tables = new List<string>();
        await using (var command = suite.Db.CreateCommand(
                         "select table_name from information_schema.tables where table_schema = 'valueledger' and table_name like 'mt_doc_%' order by 1"))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));

        var documents = new Dictionary<string, Dictionary<string, string>>();
        foreach (var table in tables.Except(NotProjected))
        {
            var rows = new Dictionary<string, string>();
            await using var command = suite.Db.CreateCommand($"select id::text, data::text from valueledger.{table}");
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows[reader.GetString(0)] = reader.GetString(1);
            documents[table] = rows;
        }
        return documents;
    }
}
