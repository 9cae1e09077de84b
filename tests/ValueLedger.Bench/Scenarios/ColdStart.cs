using System.Diagnostics;
using System.Net;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Harness;

namespace ValueLedger.Bench;

/// <summary>
/// From creating the process to the first answered API request: <c>dotnet ValueLedger.Api.dll</c> against the
/// database the run has filled, polled every 10 ms until an authenticated GET of an account answers 200 (its
/// /alive answer is noted too). Baseline: the smallest ASP.NET Core app (one route, no database) started the same way,
/// the floor of any .NET web process on this machine.
/// </summary>
public sealed class ColdStart(Bench bench)
{
    public async Task RunAsync()
    {
        var account = (await bench.Ledger.AccountIdsAsync()).FirstOrDefault();
        var token = bench.Tokens.For(Roles.Csm, "bench.csm");
        var alive = new List<double>();
        var firstApi = new List<double>();
        var hello = new List<double>();
        for (var i = 0; i < bench.Options.ColdStarts; i++)
        {
            var app = AppProcess.Start(bench.Settings, AppProcess.FreePort());
            await using (app)
            {
                alive.Add((await app.WaitUntilAliveAsync(TimeSpan.FromMinutes(2))).TotalMilliseconds);
                using var api = new HttpClient { BaseAddress = app.BaseUrl };
                api.DefaultRequestHeaders.Authorization = new("Bearer", token);
                while (true)
                {
                    using var response = await api.GetAsync($"/api/accounts/{account}");
                    if (response.StatusCode == HttpStatusCode.OK) break;
                    if (Stopwatch.GetElapsedTime(app.StartedAt) > TimeSpan.FromMinutes(2))
                        throw new TimeoutException($"GET /api/accounts/{account} kept answering {(int)response.StatusCode}");
                    await Task.Delay(10);
                }
                firstApi.Add(Stopwatch.GetElapsedTime(app.StartedAt).TotalMilliseconds);
            }

            var helloSettings = bench.Settings with { Dll = Path.Combine(AppContext.BaseDirectory, "ValueLedger.Bench.dll"), LogFile = Path.Combine(bench.Options.WorkDir, "hello.log") };
            var helloApp = AppProcess.Start(helloSettings, AppProcess.FreePort(), "hello");
            await using (helloApp) hello.Add((await helloApp.WaitUntilAliveAsync(TimeSpan.FromMinutes(1))).TotalMilliseconds);
            Bench.Log($"cold start {i + 1}: /alive {alive[^1]:N0} ms, first API answer {firstApi[^1]:N0} ms; hello world {hello[^1]:N0} ms");
        }

        var median = BulkImport.Median(firstApi);
        var helloMedian = BulkImport.Median(hello);
        bench.Facts["coldstart.api"] = median;
        bench.Facts["coldstart.alive"] = BulkImport.Median(alive);
        bench.Facts["coldstart.hello"] = helloMedian;
        bench.Add(new Row("Cold start: process start → first answered API request",
            $"{median:N0} ms (/alive: {BulkImport.Median(alive):N0} ms)",
            $"hello-world ASP.NET Core: {helloMedian:N0} ms", $"{median / helloMedian:0.0}× the hello world",
            "< 2 s", median < 2000 ? Verdict.Met : Verdict.Missed,
            $"median of {firstApi.Count}: {string.Join(", ", firstApi.Select(v => v.ToString("N0")))} ms"));
    }
}
