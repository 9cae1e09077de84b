using System.Text;

namespace ValueLedger.Reliability;

/// <summary>Prints the summary and, when asked, writes docs/reliability.md with the counts of each scenario.</summary>
public sealed class Report(Suite suite)
{
    public void Write(TimeSpan elapsed)
    {
        var results = suite.Results;
        var table = new StringBuilder();
        table.AppendLine("| fault | requests sent | faults injected | writes checked | lost | written twice | unknown outcome | result |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in results)
            table.AppendLine($"| {r.Name} | {r.RequestsSent:N0} | {r.FaultsInjected} | {r.WritesChecked:N0} | {r.Lost} | {r.Duplicated} | {r.Unknown} | {(r.Passed ? "passed" : "**FAILED**")} |");
        var passed = results.All(r => r.Passed);
        table.AppendLine($"| **total** | {results.Sum(r => r.RequestsSent):N0} | {results.Sum(r => r.FaultsInjected)} | {results.Sum(r => r.WritesChecked):N0} | " +
                         $"{results.Sum(r => r.Lost)} | {results.Sum(r => r.Duplicated)} | {results.Sum(r => r.Unknown)} | {(passed ? "passed" : "**FAILED**")} |");

        Console.WriteLine();
        Console.WriteLine(table.ToString().Replace("**", ""));
        Console.WriteLine($"ops/reliability: {(passed ? "passed" : "FAILED")} ({results.Count(r => r.Passed)} of {results.Count} scenarios) in {elapsed.TotalSeconds:0} s");

        if (suite.Options.OutFile is not { } path) return;
        var s = new StringBuilder();
        s.AppendLine("# Reliability");
        s.AppendLine();
        s.AppendLine($"Commit: `{Environment.GetEnvironmentVariable("VALUELEDGER_COMMIT") ?? "unknown"}`");
        s.AppendLine();
        s.AppendLine($"Written by `ops/reliability` on {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}{(suite.Options.Short ? " (the short form)" : "")}: " +
                     $"{(passed ? "every scenario passed" : "**some scenarios failed**")}; the run took {elapsed.TotalMinutes:0.0} min. " +
                     "The faults are real: the app process is killed with SIGKILL (`kill -9`), and the suite's own PostgreSQL cluster " +
                     "is stopped and started with `pg_ctl`. \"Writes checked\" are acknowledged (2xx) writes looked up in the event store " +
                     "afterwards; \"lost\" are those not found; \"unknown outcome\" counts retries the server could not answer with the first " +
                     "attempt's result or a fresh write (a 409 naming the Idempotency-Key): each one fails the scenario, because the answer " +
                     "to a key commits in the same transaction as the command's events (ADR 0010).");
        s.AppendLine();
        s.Append(table);
        s.AppendLine();
        foreach (var r in results)
        {
            s.AppendLine($"## {r.Name}");
            s.AppendLine();
            s.AppendLine($"{r.What}. Took {r.Duration.TotalSeconds:0} s.");
            s.AppendLine();
            foreach (var o in r.Observations) s.AppendLine($"- {o}");
            foreach (var f in r.Failures) s.AppendLine($"- **FAILED**: {f}");
            s.AppendLine();
        }
        s.AppendLine("## Run");
        s.AppendLine();
        s.AppendLine($"- Command: `{suite.Options.Command}`");
        s.AppendLine($"- Machine: {Environment.ProcessorCount} cores, {File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim()}; " +
                     $"load average at the end {string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3))}");
        s.AppendLine("- PostgreSQL: a private cluster with durable settings (fsync on) started by `ops/reliability` for the run and removed afterwards");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, s.ToString());
        Suite.Log($"wrote {path}");
    }
}
