using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;

namespace ValueLedger.Cluster.Tests;

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}

[Collection(ClusterCollection.Name)]
public sealed class when_nodes_share_the_ledger(ClusterFixture cluster)
{
    private static readonly object Account = new
    {
        name = "Nordic Steel", industry = "Steel", segment = "enterprise", currency = "EUR", approach = "outcomeCentric", owner = "maria"
    };

    private static readonly object Commitment = new
    {
        driver = "cost", metric = "Energy per tonne", unit = "kWh/t", direction = "lowerIsBetter",
        baseline = new { value = 500, asOf = "2025-12-31", source = "Meter export" }, target = 450, unitValue = 2000,
        periodStart = "2026-01-01", periodEnd = "2026-12-31", cadence = "monthly", owner = "joint", confidence = "medium"
    };

    [Fact]
    public async Task a_write_through_one_node_is_read_through_the_other()
    {
        var (accountId, _) = await OpenAsync(cluster.A);

        var view = await cluster.B.ClientFor("executive").GetFromJsonAsync<JsonObject>($"/api/accounts/{accountId}");

        Assert.Equal("Nordic Steel", (string)view!["name"]!);
        Assert.Single(view["commitments"]!.AsArray());
    }

    [Fact]
    public async Task a_client_on_node_A_sees_a_change_written_through_node_B()
    {
        var (accountId, commitmentId) = await OpenAsync(cluster.B);
        var received = Channel.CreateUnbounded<JsonObject>();
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(cluster.A.BaseAddress, "/hubs/value"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(cluster.TokenFor("executive")))
            .Build();
        connection.On<JsonElement>("accountChanged", view => received.Writer.TryWrite(JsonNode.Parse(view.GetRawText())!.AsObject()));
        await connection.StartAsync();
        await connection.InvokeAsync("WatchAccount", accountId);

        var write = await cluster.B.ClientFor("csm").PostAsJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/measurements",
            new { periodStart = "2026-01-01", periodEnd = "2026-01-31", value = 480, source = "system" });
        Assert.Equal(HttpStatusCode.Created, write.StatusCode);

        // Other events (a scheduled staleness check) may be pushed first: wait for the view that holds the measurement.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        JsonObject pushed;
        do pushed = await received.Reader.ReadAsync(timeout.Token);
        while (pushed["commitments"]![0]!["lastMeasuredPeriodEnd"] is null);
        Assert.Equal(40_000m, (decimal)pushed["realizedValue"]!);
    }

    [Fact]
    public async Task while_redis_is_down_writes_still_land_and_watchers_resynchronise_when_they_watch_again()
    {
        var (accountId, commitmentId) = await OpenAsync(cluster.B);
        // As the dashboard does: reconnect automatically, and watch again once connected.
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(cluster.A.BaseAddress, "/hubs/value"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(cluster.TokenFor("executive")))
            .WithAutomaticReconnect()
            .Build();
        var received = Channel.CreateUnbounded<JsonObject>();
        connection.On<JsonElement>("accountChanged", view => received.Writer.TryWrite(JsonNode.Parse(view.GetRawText())!.AsObject()));
        await connection.StartAsync();

        await cluster.StopRedisAsync();
        try
        {
            var write = await cluster.B.ClientFor("csm").PostAsJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/measurements",
                new { periodStart = "2026-02-01", periodEnd = "2026-02-28", value = 470, source = "system" });
            Assert.Equal(HttpStatusCode.Created, write.StatusCode);
            var stored = await cluster.A.ClientFor("executive").GetFromJsonAsync<JsonObject>($"/api/accounts/{accountId}");
            Assert.Equal(60_000m, (decimal)stored!["realizedValue"]!);
        }
        finally
        {
            await cluster.StartRedisAsync();
        }

        // Losing the backplane may close the node's connections; the client comes back and watches again,
        // and the answer to the watch is the current state.
        await Eventually.Async(async () =>
        {
            if (connection.State == HubConnectionState.Disconnected) await connection.StartAsync();
            return connection.State == HubConnectionState.Connected;
        }, TimeSpan.FromSeconds(60), "the client to be connected again");
        await connection.InvokeAsync("WatchAccount", accountId);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        JsonObject current;
        do current = await received.Reader.ReadAsync(timeout.Token);
        while ((decimal)current["realizedValue"]! != 60_000m);
        Assert.Equal(accountId, current["id"]!.GetValue<Guid>());
    }

    private static async Task<(Guid AccountId, Guid CommitmentId)> OpenAsync(Node node)
    {
        var csm = node.ClientFor("csm");
        var opened = await csm.PostAsJsonAsync("/api/accounts", Account);
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var accountId = (await opened.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        var committed = await csm.PostAsJsonAsync($"/api/accounts/{accountId}/commitments", Commitment);
        Assert.Equal(HttpStatusCode.Created, committed.StatusCode);
        return (accountId, (await committed.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>());
    }
}
