using System.Diagnostics;
using System.Net;
using Npgsql;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Harness;

namespace ValueLedger.Bench;

/// <summary>
/// The portfolio as of a moment over 1,000 accounts (<c>GET /api/portfolio?asOf=</c>). The accounts are opened first
/// in the run, and the moment is taken right after them, so exactly those accounts existed then (whatever the later
/// rows add). Baseline: a plain SELECT of every event up to that moment. Reports "not available" until the
/// portfolio route exists.
/// </summary>
public sealed class PortfolioAsOf(Bench bench)
{
    public async Task SeedAsync()
    {
        var count = bench.Options.PortfolioAccounts;
        Bench.Log($"portfolio: opening {count:N0} accounts, each with a commitment and three measurements");
        var started = Stopwatch.GetTimestamp();
        await Bench.ParallelAsync(count, 16, async i =>
        {
            var target = (await Ingest.OpenTargetsAsync(bench, 1, $"Portfolio {i}"))[0];
            for (var day = 0; day < 3; day++)
                await bench.Api.CreatedAsync(target.Url, Bodies.Measurement(Bodies.Day(day), 95 - day - i % 10));
            return target;
        });
        await Task.Delay(1100); // the moment lies clearly after the last of these events (mt_events timestamps)
        bench.PortfolioMoment = DateTimeOffset.UtcNow;
        Bench.Log($"portfolio: {count:N0} accounts ({count * 5:N0} writes) in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
    }

    public async Task MeasureAsync()
    {
        var moment = bench.PortfolioMoment ?? throw new InvalidOperationException("The portfolio accounts were not seeded.");
        var executive = new ApiClient(bench.App!.BaseUrl, bench.Tokens.For(Roles.Executive, "bench.executive"), TimeSpan.FromMinutes(5));
        var name = $"Portfolio as of a moment, {bench.Options.PortfolioAccounts:N0} accounts";

        using var probe = await executive.Http.GetAsync("/api/portfolio");
        if (probe.StatusCode == HttpStatusCode.NotFound)
        {
            bench.Add(new Row(name, "not available", "", "", "—", Verdict.NotAvailable, "GET /api/portfolio does not exist in this build"));
            return;
        }

        var url = $"/api/portfolio?asOf={Uri.EscapeDataString(moment.ToString("O"))}";
        using (var first = await executive.Http.GetAsync(url))
        {
            if (first.StatusCode == HttpStatusCode.BadRequest) url = $"/api/portfolio?asOf={moment:yyyy-MM-dd}";
        }
        var repetitions = bench.Options.Quick ? 3 : 5;
        var asOf = await TimeAsync(repetitions, async () =>
        {
            using var response = await executive.Http.GetAsync(url);
            if (response.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            await response.Content.ReadAsByteArrayAsync();
        });
        var live = await TimeAsync(repetitions, async () =>
        {
            using var response = await executive.Http.GetAsync("/api/portfolio");
            await response.Content.ReadAsByteArrayAsync();
        });
        long rows = 0;
        var raw = await TimeAsync(repetitions, async () =>
        {
            await using var command = bench.Db.CreateCommand("select data::text from valueledger.mt_events where timestamp <= $1 order by seq_id");
            command.Parameters.Add(new NpgsqlParameter { Value = moment });
            await using var reader = await command.ExecuteReaderAsync();
            rows = 0;
            while (await reader.ReadAsync())
            {
                reader.GetString(0);
                rows++;
            }
        });
        var page = await TimeAsync(bench.Options.Quick ? 5 : 20, async () =>
        {
            using var response = await executive.Http.GetAsync("/api/accounts?page=3&pageSize=50&segment=enterprise");
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"GET /api/accounts answered {(int)response.StatusCode}");
            await response.Content.ReadAsByteArrayAsync();
        });
        var one = await TimeAsync(bench.Options.Quick ? 5 : 20, async () =>
        {
            await using var command = bench.Db.CreateCommand("select data::text from valueledger.mt_doc_account limit 1");
            await command.ExecuteScalarAsync();
        });
        var accounts = await bench.Ledger.ScalarAsync("select count(*) from valueledger.mt_doc_account");
        bench.Add(new Row($"Account list: a page of 50 of {accounts:N0} accounts (GET /api/accounts, filtered and ordered)",
            $"p50 {page.P50:N1} ms, p99 {page.P99:N1} ms", $"raw SELECT of one account document: p50 {one.P50:N1} ms",
            $"{page.P50 / one.P50:0.0}× the one-row read", "< 50 ms at 10,000 accounts", Verdict.Info,
            $"n={page.Count}; paged, filtered and ordered in PostgreSQL over the summaries in the account snapshots; measured at {accounts:N0} accounts, not 10,000"));
        bench.Add(new Row($"Portfolio now, {bench.Options.PortfolioAccounts:N0} accounts (GET /api/portfolio)", $"p50 {live.P50:N1} ms, p99 {live.P99:N1} ms",
            $"raw SELECT of one account document: p50 {one.P50:N1} ms", $"{live.P50 / one.P50:0.0}× the one-row read", "— (no figure set)", Verdict.Info,
            $"n={live.Count}; the sum of the summaries committed with each account's events, read in one statement ({accounts:N0} accounts in the ledger)"));
        bench.Add(new Row(name, $"p50 {asOf.P50:N0} ms, p99 {asOf.P99:N0} ms",
            $"raw SELECT of the {rows:N0} events up to then: p50 {raw.P50:N0} ms", $"{asOf.P50 / raw.P50:0.0}× the raw read",
            "< 50 ms at 1,000 accounts", asOf.P50 < 50 ? Verdict.Met : Verdict.Missed,
            $"n={asOf.Count}, {(url.Contains('T') ? "asOf a time" : "asOf a date")}; every event up to the moment is read and folded (bounded portfolio time travel is issue 14, item 3)"));
    }

    private static async Task<Latency> TimeAsync(int repetitions, Func<Task> action)
    {
        await action();
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
