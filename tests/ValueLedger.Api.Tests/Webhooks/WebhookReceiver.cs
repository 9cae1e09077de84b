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
    private CancellationTokenSource _stopping = new();

    public int Port { get; } = FreePort();
    public string Url => $"http://127.0.0.1:{Port}/hooks/valueledger";
    public int Answer { get; set; } = 204;
    /// <summary>Never answer: keep every request open until the caller gives up (or the receiver stops).</summary>
    public bool Hangs { get; set; }
    /// <summary>What <see cref="ReceivedWebhook.AnsweredWith"/> says of a request the receiver kept open.</summary>
    public const int NeverAnswered = 0;
    public IReadOnlyList<ReceivedWebhook> Received => _received.ToList();
    public IEnumerable<ReceivedWebhook> Answered => _received.Where(r => r.AnsweredWith != NeverAnswered);

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
            var body = await reader.ReadToEndAsync();
            var headers = new HeaderDictionary(request.Headers.ToDictionary(h => h.Key, h => h.Value));
            if (Hangs)
            {
                _received.Enqueue(new ReceivedWebhook(headers, body, NeverAnswered));
                using var either = CancellationTokenSource.CreateLinkedTokenSource(request.HttpContext.RequestAborted, _stopping.Token);
                await Task.Delay(Timeout.Infinite, either.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                request.HttpContext.Abort();
                return Results.Empty;
            }
            var answer = Answer;
            _received.Enqueue(new ReceivedWebhook(headers, body, answer));
            return Results.StatusCode(answer);
        });
        await app.StartAsync();
        _app = app;
    }

    public async Task StopAsync()
    {
        if (_app is null) return;
        await _stopping.CancelAsync();
        _stopping = new CancellationTokenSource();
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
