using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ValueLedger.Api.Tests.Webhooks;

/// <summary>A request the receiver got: its headers and body as sent over the wire.</summary>
public sealed record ReceivedWebhook(IHeaderDictionary Headers, string Body, int AnsweredWith)
{
    public string Id => Headers["webhook-id"].ToString();
}

/// <summary>
/// A real HTTP receiver on loopback (Kestrel): keeps every request and answers <see cref="Answer"/>. It can be
/// stopped and started again on the same port, as a receiver that goes down and comes back.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private WebApplication? _app;

    public int Port { get; } = FreePort();
    public string Url => $"http://127.0.0.1:{Port}/hooks/valueledger";
    public int Answer { get; set; } = 204;
    public IReadOnlyList<ReceivedWebhook> Received => _received.ToList();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        await receiver.StartAgainAsync();
        return receiver;
    }

    public async Task StartAgainAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, Port));
        var app = builder.Build();
        app.MapPost("/hooks/valueledger", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var answer = Answer;
            _received.Enqueue(new ReceivedWebhook(new HeaderDictionary(request.Headers.ToDictionary(h => h.Key, h => h.Value)),
                await reader.ReadToEndAsync(), answer));
            return Results.StatusCode(answer);
        });
        await app.StartAsync();
        _app = app;
    }

    public async Task StopAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
