using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace ValueLedger.Cluster.Tests;

/// <summary>
/// The async projections (the portfolio) run on exactly one node at a time, assigned by Wolverine. Whichever node
/// runs them, stopping it moves them to the other, and the portfolio ends equal to a replay of every event from
/// scratch (the same projection over the whole ledger), so no event was skipped or applied twice.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class when_a_node_stops(ClusterFixture cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task the_projections_move_to_the_other_node_and_end_equal_to_a_replay()
    {
        var accountId = await OpenAccountWithMeasurementAsync(cluster.A, month: 1);
        await PortfolioCatchesUpAsync(cluster.B, "both nodes running");

        foreach (var (stopped, survivor, month) in new[] { (cluster.A, cluster.B, 2), (cluster.B, cluster.A, 3) })
        {
            await stopped.StopAsync();
            try
            {
                var write = await survivor.ClientFor("csm").PostAsJsonAsync(MeasurementsOf(accountId),
                    new { periodStart = $"2026-{month:00}-01", periodEnd = new DateOnly(2026, month, 1).AddMonths(1).AddDays(-1).ToString("O"), value = 500 - 10 * month, source = "system" });
                Assert.Equal(HttpStatusCode.Created, write.StatusCode);
                await OpenAccountWithMeasurementAsync(survivor, month: 1);
                await PortfolioCatchesUpAsync(survivor, $"node {stopped.Name} stopped");
            }
            finally
            {
                await stopped.StartAsync();
            }
        }
    }

    private async Task PortfolioCatchesUpAsync(Node node, string situation)
    {
        var client = node.ClientFor("executive");
        var clock = Stopwatch.StartNew();
        string? live = null, replay = null;
        await Eventually.Async(async () =>
        {
            live = Figures(await client.GetFromJsonAsync<JsonObject>("/api/portfolio"));
            replay = Figures(await client.GetFromJsonAsync<JsonObject>($"/api/portfolio?asOf={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"))}"));
            return live == replay;
        }, TimeSpan.FromSeconds(120), $"the live portfolio to equal a replay ({situation}); live {live}, replay {replay}");
        output.WriteLine($"{situation}: the live portfolio equalled a replay after {clock.ElapsedMilliseconds} ms");
    }

    /// <summary>What must agree: the figures per currency and the counts, not the moment each was computed.</summary>
    private static string Figures(JsonObject? portfolio) =>
        new JsonObject
        {
            ["accounts"] = portfolio!["accounts"]!.DeepClone(),
            ["commitments"] = portfolio["commitments"]!.DeepClone(),
            ["totals"] = portfolio["totals"]!.DeepClone(),
            ["atRisk"] = new JsonArray(portfolio["atRisk"]!.AsArray().Select(r => (JsonNode?)r!["commitmentId"]!.DeepClone()).ToArray())
        }.ToJsonString();

    private static string MeasurementsOf(Guid accountId) => $"/api/accounts/{accountId}/commitments/{CommitmentIds[accountId]}/measurements";

    private static readonly Dictionary<Guid, Guid> CommitmentIds = [];

    private static async Task<Guid> OpenAccountWithMeasurementAsync(Node node, int month)
    {
        var csm = node.ClientFor("csm");
        var opened = await csm.PostAsJsonAsync("/api/accounts", new
        {
            name = $"Failover {Guid.NewGuid():N}"[..20], industry = "Steel", segment = "enterprise", currency = "EUR", approach = "outcomeCentric", owner = "maria"
        });
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var accountId = (await opened.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        var committed = await csm.PostAsJsonAsync($"/api/accounts/{accountId}/commitments", new
        {
            driver = "cost", metric = "Energy per tonne", unit = "kWh/t", direction = "lowerIsBetter",
            baseline = new { value = 500, asOf = "2025-12-31", source = "Meter export" }, target = 450, unitValue = 2000,
            periodStart = "2026-01-01", periodEnd = "2026-12-31", cadence = "monthly", owner = "joint", confidence = "medium"
        });
        Assert.Equal(HttpStatusCode.Created, committed.StatusCode);
        var commitmentId = (await committed.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        lock (CommitmentIds) CommitmentIds[accountId] = commitmentId;
        var measured = await csm.PostAsJsonAsync(MeasurementsOf(accountId),
            new { periodStart = $"2026-{month:00}-01", periodEnd = new DateOnly(2026, month, 1).AddMonths(1).AddDays(-1).ToString("O"), value = 490, source = "system" });
        Assert.Equal(HttpStatusCode.Created, measured.StatusCode);
        return accountId;
    }
}
