using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Alba;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace ValueLedger.Api.Tests;

/// <summary>A SignalR client of /hubs/value on the test server that records every message it hears, by name.</summary>
public sealed class LiveClient : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Channel<JsonNode>> _received = new();
    private readonly ConcurrentDictionary<string, int> _counts = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<JsonNode>> _all = new();

    /// <summary>Every message of this name heard so far, whether or not a NextAsync read it.</summary>
    public IReadOnlyList<JsonNode> Received(string name) => _all.TryGetValue(name, out var all) ? all.ToList() : [];

    public HubConnection Connection { get; }

    private LiveClient(HubConnection connection) => Connection = connection;

    public static async Task<LiveClient> ConnectAsync(IAlbaHost host, string token)
    {
        var server = host.Server;
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
        var live = new LiveClient(connection);
        // Every message the hub sends (the constants of LiveMessages), so a new kind of push is heard too.
        foreach (var name in typeof(Api.Features.Live.LiveMessages).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
                     .Select(f => (string)f.GetRawConstantValue()!))
            connection.On<JsonElement>(name, payload =>
            {
                var message = JsonNode.Parse(payload.GetRawText())!;
                live._counts.AddOrUpdate(name, 1, (_, n) => n + 1);
                live._all.GetOrAdd(name, _ => new ConcurrentQueue<JsonNode>()).Enqueue(message);
                live.Channel(name).Writer.TryWrite(message);
            });
        await connection.StartAsync();
        return live;
    }

    /// <summary>How many messages of this name arrived so far.</summary>
    public int Count(string name) => _counts.GetValueOrDefault(name);

    /// <summary>The next message of this name that satisfies the condition (earlier ones are skipped), within 30 s.</summary>
    public async Task<JsonNode> NextAsync(string name, Func<JsonNode, bool>? until = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var message = await Channel(name).Reader.ReadAsync(timeout.Token);
            if (until is null || until(message)) return message;
        }
    }

    private Channel<JsonNode> Channel(string name) => _received.GetOrAdd(name, _ => System.Threading.Channels.Channel.CreateUnbounded<JsonNode>());

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
