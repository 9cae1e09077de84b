using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests.Outcomes;

/// <summary>
/// Helpers to speak the outcome-contract routes: an outcome-centric account with the scrap-rate commitment
/// (20 points × 1,000 EUR a month, so 60,000 EUR promised a quarter), contract terms, confirmed measurements.
/// </summary>
public abstract class OutcomeContext(AppFixture app) : IntegrationContext(app)
{
    /// <summary>NEC-style bands: 0% below 97.5%, 50% to 102.5%, 100% above; fee base 100,000, floor -30,000, cap 30,000.</summary>
    public static object BandedTerms(string currency = "EUR", string settlementPeriod = "quarterly", decimal? cap = 30_000, string? reason = null) => new
    {
        currency, feeBase = 100_000, settlementPeriod, model = "banded",
        bands = new object[]
        {
            new { from = (decimal?)null, to = 0.975m, rate = 0m },
            new { from = 0.975m, to = 1.025m, rate = 0.5m },
            new { from = 1.025m, to = (decimal?)null, rate = 1m }
        },
        floor = -30_000, cap, reason
    };

    protected async Task<(Guid AccountId, Guid CommitmentId)> OpenOutcomeCommitmentAsync()
    {
        var accountId = await OpenAccountAsync(AnAccount(approach: "outcomeCentric"));
        var response = await PostAsync($"/api/accounts/{accountId}/commitments", AScrapRateCommitment());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (accountId, (await ReadAsync(response))["id"]!.GetValue<Guid>());
    }

    protected static string Commitment(Guid accountId, Guid commitmentId) => $"/api/accounts/{accountId}/commitments/{commitmentId}";

    protected Task<HttpResponseMessage> PutContractAsync(Guid accountId, Guid commitmentId, object terms, HttpClient? client = null) =>
        (client ?? Http).SendAsync(new HttpRequestMessage(HttpMethod.Put, $"{Commitment(accountId, commitmentId)}/contract")
        {
            Content = new StringContent(JsonSerializer.Serialize(terms, JsonOptions), Encoding.UTF8, "application/json")
        });

    protected async Task AgreeAsync(Guid accountId, Guid commitmentId, object? terms = null) =>
        Assert.Equal(HttpStatusCode.Created, (await PutContractAsync(accountId, commitmentId, terms ?? BandedTerms())).StatusCode);

    protected async Task ConfirmAsync(Guid accountId, Guid commitmentId, Guid measurementId)
    {
        var customer = App.ClientFor(Roles.Customer, "jane@buyer.example", accountId);
        var response = await customer.PostAsJsonAsync($"{Commitment(accountId, commitmentId)}/measurements/{measurementId}/confirmation", new { confirmedBy = "Jane Buyer" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>January to March at the given levels, each confirmed by the customer unless told otherwise.</summary>
    protected async Task<List<Guid>> RecordQuarterAsync(Guid accountId, Guid commitmentId, decimal[] levels, bool confirm = true)
    {
        var ids = new List<Guid>();
        for (var month = 1; month <= levels.Length; month++)
        {
            var id = await RecordAsync(accountId, commitmentId, AMonth(month, levels[month - 1]));
            if (confirm) await ConfirmAsync(accountId, commitmentId, id);
            ids.Add(id);
        }
        return ids;
    }

    protected static object TheFirstQuarter(object[]? exchangeRates = null) => new { periodStart = "2026-01-01", periodEnd = "2026-03-31", exchangeRates };

    protected static DateTimeOffset AfterTheFirstQuarter => new(2026, 4, 10, 9, 0, 0, TimeSpan.Zero);

    protected static List<string> ErrorKeys(JsonNode problem) =>
        problem["errors"]!.AsObject().Select(e => e.Key.ToLowerInvariant()).ToList();

    /// <summary>Polls a read until it holds, for at most 15 seconds (for work done by messages after a write).</summary>
    protected async Task<JsonNode> EventuallyAsync(string url, Func<JsonNode, bool> holds)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            var node = await GetJsonAsync(url);
            if (holds(node)) return node;
            await Task.Delay(50, timeout.Token);
        }
    }

    /// <summary>A real SignalR client on the test server, watching an account and collecting one kind of push.</summary>
    protected async Task<(HubConnection Connection, Channel<JsonNode> Received)> WatchAsync(Guid accountId, string message)
    {
        var server = Host.Server;
        var token = App.TokenFor(Roles.Csm);
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "/hubs/value"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.WebSocketFactory = async (context, cancellation) =>
                {
                    var client = server.CreateWebSocketClient();
                    client.ConfigureRequest = request => request.Headers.Authorization = $"Bearer {token}";
                    return await client.ConnectAsync(context.Uri, cancellation);
                };
            })
            .Build();
        var received = Channel.CreateUnbounded<JsonNode>();
        connection.On<JsonElement>(message, payload => received.Writer.TryWrite(JsonNode.Parse(payload.GetRawText())!));
        await connection.StartAsync();
        await connection.InvokeAsync("WatchAccount", accountId);
        return (connection, received);
    }

    protected static async Task<JsonNode> NextAsync(Channel<JsonNode> channel, Func<JsonNode, bool> matches)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            var node = await channel.Reader.ReadAsync(timeout.Token);
            if (matches(node)) return node;
        }
    }
}
