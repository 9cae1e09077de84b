using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace ValueLedger.Api.Features.Contacts;

/// <summary>
/// The "Smtp" section. With <see cref="Host"/> set, mail goes to that SMTP server; without it (local mode only) each
/// message is written as an .eml file to <see cref="PickupDirectory"/> (default: .data/mail), which ops/run prints.
/// </summary>
public sealed class SmtpSettings
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public string From { get; set; } = "ValueLedger <no-reply@valueledger.local>";
    public string? UserName { get; set; }
    public string? Password { get; set; }
    /// <summary>Auto (STARTTLS when offered), StartTls (required), SslOnConnect, None (loopback test servers).</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.Auto;
    public string? PickupDirectory { get; set; }
}

/// <summary>Sends one e-mail with MailKit, or drops it as an .eml file when no SMTP server is configured (local mode).</summary>
public sealed class ContactMailer(SmtpSettings smtp, string pickupDirectory, ILogger<ContactMailer> logger)
{
    public Task SendAsync(string toName, string toEmail, string subject, string text, CancellationToken cancellation) =>
        SendAsync(toName, toEmail, subject, text, null, cancellation);

    /// <summary>With <paramref name="html"/>, the e-mail is multipart/alternative: the text for plain readers, the HTML for the rest.</summary>
    public Task SendAsync(string toName, string toEmail, string subject, string text, string? html, CancellationToken cancellation) =>
        SendAsync(toName, toEmail, subject, text, html, [], cancellation);

    /// <summary>With attachments (a value report's PDF): multipart/mixed around the text and HTML.</summary>
    public async Task SendAsync(string toName, string toEmail, string subject, string text, string? html,
        IReadOnlyList<(string FileName, string ContentType, byte[] Content)> attachments, CancellationToken cancellation)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.From));
        message.To.Add(new MailboxAddress(toName, toEmail));
        message.Subject = subject;
        var body = new BodyBuilder { TextBody = text, HtmlBody = html };
        foreach (var (fileName, contentType, content) in attachments) body.Attachments.Add(fileName, content, ContentType.Parse(contentType));
        message.Body = html is null && attachments.Count == 0 ? new TextPart("plain") { Text = text } : body.ToMessageBody();

        if (string.IsNullOrWhiteSpace(smtp.Host))
        {
            Directory.CreateDirectory(pickupDirectory);
            var path = Path.Combine(pickupDirectory, $"{DateTimeOffset.UtcNow:yyyyMMddTHHmmssfff}-{Guid.NewGuid():N}.eml");
            await message.WriteToAsync(path, cancellation);
            logger.LogInformation("E-mail to {Recipient} written to {Path}", toEmail, path);
            return;
        }

        using var client = new SmtpClient();
        await client.ConnectAsync(smtp.Host, smtp.Port, smtp.Security, cancellation);
        if (!string.IsNullOrEmpty(smtp.UserName)) await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", cancellation);
        await client.SendAsync(message, cancellation);
        await client.DisconnectAsync(true, cancellation);
    }
}

/// <summary>
/// How every e-mail handler retries a failed send: twice at once with short cooldowns (a dropped connection), then
/// rescheduled after 1, 5 and 30 minutes (a server that is down), then the dead-letter queue. Only SMTP and network
/// failures are retried; anything else is a bug and goes to the dead letters at once.
/// </summary>
public static class SmtpRetries
{
    public static void Apply(HandlerChain chain) =>
        chain.OnException(e => e is IOException or System.Net.Sockets.SocketException
                or MailKit.ServiceNotConnectedException or MailKit.Net.Smtp.SmtpCommandException or MailKit.Net.Smtp.SmtpProtocolException)
            .RetryWithCooldown(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5))
            .Then.ScheduleRetry(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30));
}
