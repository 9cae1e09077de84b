using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace ValueLedger.Api.Tests;

/// <summary>
/// A real SMTP server on loopback (the SmtpServer package, in-process) that keeps what it receives, so tests read
/// the e-mail the app sent over SMTP with MailKit, exactly as a mail server would get it.
/// </summary>
public sealed class SmtpSink : MessageStore, IAsyncDisposable
{
    private readonly ConcurrentQueue<MimeMessage> _received = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SmtpServer.SmtpServer _server;
    private readonly Task _running;

    public int Port { get; }

    public SmtpSink()
    {
        Port = FreePort();
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(this);
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
        CancellationToken cancellationToken)
    {
        await using var stream = new MemoryStream(buffer.ToArray());
        _received.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
        return SmtpResponse.Ok;
    }

    /// <summary>The first message to <paramref name="recipient"/> that matches, waiting for it up to a bound.</summary>
    public async Task<MimeMessage> WaitForAsync(string recipient, Func<MimeMessage, bool>? matching = null, int skip = 0)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var found = _received.Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, recipient, StringComparison.OrdinalIgnoreCase)))
                .Where(m => matching?.Invoke(m) ?? true).Skip(skip).FirstOrDefault();
            if (found is not null) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No e-mail to {recipient} arrived within 15 s.");
            await Task.Delay(50);
        }
    }

    public IReadOnlyList<MimeMessage> To(string recipient) =>
        _received.Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, recipient, StringComparison.OrdinalIgnoreCase))).ToList();

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        _server.Shutdown();
        await _stop.CancelAsync();
        try { await _running; } catch (OperationCanceledException) { }
    }
}
