using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ValueLedger.Harness;

namespace ValueLedger.Reliability;

/// <summary>
/// kill -9 the app while webhook deliveries are pending: a receiver on loopback refuses (503) while measurements are
/// recorded, so every delivery sits in Wolverine's durable storage waiting for its retry; the app is killed and
/// started again, the receiver starts accepting, and every acknowledged measurement must reach it (a
/// <c>valueledger.measurement.recorded</c> CloudEvent naming it). A delivery that arrives twice is counted (receivers
/// drop repeats by <c>webhook-id</c>), one that never arrives is lost.
/// </summary>
public sealed class KillWithPendingDeliveries(Suite suite)
{
    public const int Measurements = 60;

    public async Task<ScenarioResult> RunAsync()
    {
        var result = new ScenarioResult("kill -9 the app while webhook deliveries are pending",
            $"{Measurements} measurements recorded while the webhook receiver answers 503, so each delivery waits for a retry; the app is killed " +
            "with SIGKILL and started again, then the receiver accepts; every acknowledged measurement must arrive");
        await using var receiver = await Receiver.StartAsync();
        var admin = new ApiClient(suite.App!.BaseUrl, suite.Tokens.For("admin", "reliability.admin"), TimeSpan.FromSeconds(30));
        using var subscribed = await admin.PostAsync("/api/webhooks",
            new { url = receiver.Url, events = new[] { "valueledger.measurement.recorded" }, description = "fault suite" });
        result.RequestsSent++;
        if (subscribed.StatusCode != HttpStatusCode.Created)
        {
            result.Fail($"subscribing answered {(int)subscribed.StatusCode}: {await subscribed.Content.ReadAsStringAsync()}");
            return result;
        }
        var webhookId = JsonNode.Parse(await subscribed.Content.ReadAsStringAsync())!["webhook"]!["id"]!.GetValue<Guid>();
        try
        {
            await RunAsync(result, receiver);
        }
        finally
        {
            // Later scenarios write thousands of measurements: no receiver will be there for them.
            using var deleted = await admin.Http.DeleteAsync($"/api/webhooks/{webhookId}");
        }
        return result;
    }

    private async Task RunAsync(ScenarioResult result, Receiver receiver)
    {

        var targets = await WriteLoad.OpenAsync(suite, 3, "Webhooks");
        var load = new WriteLoad(suite, result);
        var writes = Enumerable.Range(0, Measurements).Select(n =>
        {
            var t = targets[n % targets.Length];
            return new LogicalWrite
            {
                Kind = "measurement", Account = t.Account, Commitment = t.Commitment, Day = Bodies.Day(n / targets.Length),
                Url = $"/api/accounts/{t.Account}/commitments/{t.Commitment}/measurements", Body = Bodies.Measurement(Bodies.Day(n / targets.Length), 80 + n % 20)
            };
        }).ToList();
        foreach (var w in writes) load.Writes.Add(w);
        await Task.WhenAll(writes.Select(load.ExecuteAsync));

        // Killed once the receiver has refused at least one attempt: deliveries are then waiting in the outbox.
        var t0 = Stopwatch.GetTimestamp();
        while (receiver.Refused == 0 && Stopwatch.GetElapsedTime(t0) < TimeSpan.FromSeconds(30)) await Task.Delay(50);
        await suite.KillAndRestartAppAsync(result);
        result.Observe($"Killed with {writes.Count(w => w.Outcome == Outcome.Acknowledged)} measurements acknowledged, {receiver.Refused} attempts refused and none delivered.");
        receiver.Accepting = true;

        var expected = writes.Where(w => w.Outcome == Outcome.Acknowledged && w.MeasurementId is not null).Select(w => w.MeasurementId!.Value).ToHashSet();
        var waited = Stopwatch.GetTimestamp();
        while (!expected.IsSubsetOf(receiver.Delivered.Keys) && Stopwatch.GetElapsedTime(waited) < TimeSpan.FromSeconds(180)) await Task.Delay(200);
        result.WritesChecked = expected.Count;
        result.Lost = expected.Count(id => !receiver.Delivered.ContainsKey(id));
        // A repeated webhook-id is at-least-once delivery (receivers drop it), not a write stored twice: observed, not counted.
        var twice = receiver.Delivered.Values.Sum(n => Math.Max(0, n - 1));
        if (result.Lost > 0) result.Fail($"{result.Lost} of {expected.Count} acknowledged measurements never reached the receiver within 180 s");
        else result.Observe($"Every delivery arrived {Stopwatch.GetElapsedTime(waited).TotalSeconds:0.0} s after the receiver started accepting" +
                            (twice > 0 ? $"; {twice} arrived twice (same webhook-id, dropped by receivers)." : "; none twice."));
        if (writes.Any(w => w.Outcome == Outcome.Unknown)) result.Fail("a write's outcome is unknown");
        if (load.ServerErrors > 0) result.Fail($"{load.ServerErrors} answers were 5xx other than 503");
    }

    /// <summary>A real HTTP receiver (Kestrel, loopback) that refuses until told to accept, counting what arrived per measurement.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private WebApplication _app = null!;
        public string Url { get; private set; } = "";
        public volatile bool Accepting;
        public int Refused;
        public ConcurrentDictionary<Guid, int> Delivered { get; } = new();

        public static async Task<Receiver> StartAsync()
        {
            var receiver = new Receiver();
            var port = AppProcess.FreePort();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
            receiver._app = builder.Build();
            receiver._app.MapPost("/hooks", async (HttpRequest request) =>
            {
                if (!receiver.Accepting)
                {
                    Interlocked.Increment(ref receiver.Refused);
                    return Results.StatusCode(503);
                }
                using var reader = new StreamReader(request.Body);
                var cloudEvent = JsonNode.Parse(await reader.ReadToEndAsync());
                if (cloudEvent?["data"]?["measurementId"]?.GetValue<Guid>() is { } id) receiver.Delivered.AddOrUpdate(id, 1, (_, n) => n + 1);
                return Results.NoContent();
            });
            await receiver._app.StartAsync();
            receiver.Url = $"http://127.0.0.1:{port}/hooks";
            return receiver;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
