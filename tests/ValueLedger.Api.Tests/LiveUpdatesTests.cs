using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace ValueLedger.Api.Tests;

public sealed class when_a_client_watches_an_account(AppFixture app) : IntegrationContext(app)
{
    [Fact]
    public async Task it_gets_the_current_view_at_once_and_accountChanged_after_a_measurement()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var server = Host.Server;
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "/hubs/value"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                var token = App.TokenFor("executive");
                o.WebSocketFactory = async (context, cancellation) =>
                {
                    var client = server.CreateWebSocketClient();
                    client.ConfigureRequest = request => request.Headers.Authorization = $"Bearer {token}";
                    return await client.ConnectAsync(context.Uri, cancellation);
                };
            })
            .Build();
        var received = Channel.CreateUnbounded<JsonNode>();
        connection.On<JsonElement>("accountChanged", view => received.Writer.TryWrite(JsonNode.Parse(view.GetRawText())!));
        await connection.StartAsync();

        await connection.InvokeAsync("WatchAccount", accountId);
        var initial = await NextAsync(received);
        Assert.Equal(2, (long)initial["version"]!);

        await RecordAsync(accountId, commitmentId, AMonth(1, 90));

        var pushed = await NextAsync(received, until: v => (long)v["version"]! >= 3);
        Assert.Equal(10000m, (decimal)pushed["realizedValue"]!);
        Assert.Equal(accountId, (Guid)pushed["id"]!);
    }

    private static async Task<JsonNode> NextAsync(Channel<JsonNode> channel, Func<JsonNode, bool>? until = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            var view = await channel.Reader.ReadAsync(timeout.Token);
            if (until is null || until(view)) return view;
        }
    }
}
