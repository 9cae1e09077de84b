using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace ValueLedger.Bench;

/// <summary>Prints the table and writes docs/benchmarks.md: figures, machine, command, date.</summary>
public sealed class Report(Bench bench)
{
    private readonly Dictionary<string, string> _machine = new();
    private DateTimeOffset _started;
    private string _loadBefore = "";

    public void CaptureMachine()
    {
        _started = DateTimeOffset.Now;
        _loadBefore = LoadAverage();
        _machine["Cores (nproc)"] = Environment.ProcessorCount.ToString();
        _machine["CPU"] = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "unknown";
        _machine["OS"] = RuntimeInformation.OSDescription;
        _machine[".NET"] = RuntimeInformation.FrameworkDescription;
        _machine["Commit"] = Run("git", "-C", Harness.Files.RepoRoot(), "rev-parse", "--short", "HEAD").Trim();
        try
        {
            using var command = bench.Db.CreateCommand(
                "select version(), current_setting('fsync'), current_setting('synchronous_commit'), current_setting('full_page_writes'), current_setting('shared_buffers')");
            using var reader = command.ExecuteReader();
            reader.Read();
            _machine["PostgreSQL"] = reader.GetString(0).Split(" on ")[0];
            _machine["PostgreSQL settings"] = $"fsync={reader.GetString(1)}, synchronous_commit={reader.GetString(2)}, full_page_writes={reader.GetString(3)}, shared_buffers={reader.GetString(4)} (a private cluster started for this run)";
        }
        catch (Exception e)
        {
            _machine["PostgreSQL"] = $"unknown ({e.Message})";
        }
    }

    public void Finish(TimeSpan elapsed)
    {
        var table = Table();
        Console.WriteLine();
        Console.WriteLine(PlainTable());
        if (bench.Options.OutFile is not { } path) return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, Markdown(table, elapsed));
        Bench.Log($"wrote {path}");
    }

    private static string Mark(Verdict v) => v switch
    {
        Verdict.Met => "met",
        Verdict.Missed => "**missed**",
        Verdict.NotAvailable => "not available",
        _ => ""
    };

    private string Table()
    {
        var s = new StringBuilder();
        s.AppendLine("| row | figure | baseline (same run) | ratio | goal | |");
        s.AppendLine("|---|---|---|---|---|---|");
        foreach (var r in bench.Rows)
            s.AppendLine($"| {r.Name} | {r.Figure} | {r.Baseline} | {r.Ratio} | {r.Goal} | {Mark(r.Verdict)} |");
        return s.ToString();
    }

    private string PlainTable()
    {
        var s = new StringBuilder();
        foreach (var r in bench.Rows)
        {
            s.AppendLine($"{r.Name}");
            s.AppendLine($"    {r.Figure}    [baseline: {r.Baseline}]{(r.Ratio.Length > 0 ? $"  {r.Ratio}" : "")}");
            if (r.Goal is { Length: > 1 }) s.AppendLine($"    goal {r.Goal}: {Mark(r.Verdict).Replace("*", "")}");
            if (r.Note.Length > 0) s.AppendLine($"    {r.Note}");
        }
        return s.ToString();
    }

    private string Markdown(string table, TimeSpan elapsed)
    {
        var s = new StringBuilder();
        s.AppendLine("# Benchmarks");
        s.AppendLine();
        s.AppendLine($"Commit: `{Environment.GetEnvironmentVariable("VALUELEDGER_COMMIT") ?? "unknown"}`");
        s.AppendLine();
        s.AppendLine($"Written by `ops/bench` on {_started:yyyy-MM-dd HH:mm zzz}{(bench.Options.Quick ? " — **a quick (scaled-down) run**, not the full benchmark" : "")}. " +
                     "Every figure stands beside a baseline measured in the same run on the same machine. The goals are those of " +
                     "issue 8; they are measured here and never asserted in tests.");
        s.AppendLine();
        s.Append(table);
        s.AppendLine();
        if (bench.Rows.Any(r => r.Note.Length > 0))
        {
            s.AppendLine("Row notes:");
            s.AppendLine();
            foreach (var r in bench.Rows.Where(r => r.Note.Length > 0)) s.AppendLine($"- *{r.Name}*: {r.Note}");
            s.AppendLine();
        }

        s.AppendLine("## Goals and what bounds them");
        s.AppendLine();
        foreach (var (goal, text) in bench.Bounds) s.AppendLine($"- **{goal}**: {text}");
        s.AppendLine();

        s.AppendLine("## Measurements in detail");
        s.AppendLine();
        foreach (var note in bench.Notes) s.AppendLine($"- {note}");
        s.AppendLine();

        s.AppendLine("## Machine and run");
        s.AppendLine();
        s.AppendLine($"- Command: `{bench.Options.Command}`");
        s.AppendLine($"- Date: {_started:yyyy-MM-dd HH:mm:ss zzz}; the run took {elapsed.TotalMinutes:0.0} min");
        foreach (var (key, value) in _machine) s.AppendLine($"- {key}: {value}");
        s.AppendLine($"- Load average (1/5/15 min) before: {_loadBefore}; after: {LoadAverage()} — the machine is shared with other engineers' builds and tests");
        s.AppendLine("- Memory (`free -h` at the end):");
        s.AppendLine();
        s.AppendLine("```");
        s.AppendLine(Run("free", "-h").TrimEnd());
        s.AppendLine("```");
        s.AppendLine();
        s.AppendLine(Method);
        return s.ToString();
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string Run(string file, params string[] args)
    {
        try
        {
            var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args) info.ArgumentList.Add(a);
            using var p = Process.Start(info)!;
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return output;
        }
        catch (Exception e)
        {
            return $"({file} failed: {e.Message})";
        }
    }

    private const string Method = """
        ## How each row is measured

        All rows run against one private PostgreSQL cluster that `ops/bench` creates for the run with PostgreSQL's
        durable defaults (fsync on, synchronous commit), and one app process started exactly as `ops/run` starts it
        (`dotnet src/ValueLedger.Api/bin/Release/net10.0/ValueLedger.Api.dll --urls …`, Release build), with the
        per-user rate limit lifted. The benchmark client (`tests/ValueLedger.Bench`) runs on the same two cores, so
        its own CPU is part of what the app competes with; the details name how the cores were shared.

        - **Ingest**: 16 client tasks, each recording measurements (one day each, `POST …/measurements`) on its own 16
          accounts in a closed loop; a warm-up first, then a fixed time. Commands/s counts 201 answers; p50/p99 are
          over every request. Baseline: 16 Npgsql connections each doing a prepared single-row `INSERT` (autocommit,
          so one durable commit per row) of the same MeasurementRecorded JSON into `bench.raw_events`, a table with
          the columns and keys of `mt_events`. The ratio is the share of that durable commit limit the API reaches.
          Write transactions and WAL bytes per command come from `pg_current_xact_id()` and `pg_current_wal_lsn()`.
        - **Bulk import**: one `POST /api/accounts/{id}/measurements/import` (JSON) of 10,000 rows, against a binary
          `COPY` of the same 10,000 event rows into `bench.raw_events`; medians.
        - **Live push**: an open-loop writer starts a measurement write every 5 ms (200/s) while the clients are
          connected over WebSockets (SignalR .NET client). With `WatchPortfolio` every client watches the portfolio
          and twice a second a probe write adds a commitment in currency ZZZ, whose known promised value shows in
          the pushed totals; without it (before the portfolio is merged) each client watches one of the accounts
          being written (`WatchAccount`) and every write is followed by its version. Latency is from the moment the
          writer got its HTTP response to the moment each watching client received a view containing the write;
          a push that arrives before the response counts as 0 ms. Baseline: one client receiving every change at the
          same write rate.
        - **Time travel**: `GET /api/accounts/{id}?asOf=<now>` on accounts whose streams hold exactly 1,000, 10,000
          and 100,000 events (written by the app's bulk import), so the whole stream is replayed; baseline: a SELECT
          of the same rows. The portfolio as of a moment asks for the moment right after 1,000 accounts were opened.
        - **Rebuild**: `dotnet ValueLedger.Api.dll projections rebuild` (the JasperFx CLI of the app) with the app
          stopped; events/s is all events over the time the rebuild reports. The events of the run are the app's; the
          ordinary accounts among them are copied by SQL under new ids to pass a million. Baseline: a SELECT of every
          event row in sequence order.
        - **Cold start**: process creation to the first authenticated `GET /api/accounts/{id}` answered 200, polled
          every 10 ms, with the run's full database; baseline: a one-route ASP.NET Core app started the same way.
        - **Memory**: VmHWM (peak resident set) of the app from `/proc/<pid>/status`, reset (`clear_refs`) before the
          ingest run and before the push clients connect.
        """;
}
