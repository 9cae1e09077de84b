using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using ValueLedger.Api.Features.Contacts;
using Wolverine.Attributes;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace ValueLedger.Api.Features.Notifications;

/// <summary>
/// One e-mail to one member of staff (an alert, a digest), cascaded by the handler that decided it, so it leaves
/// through Wolverine's outbox; <see cref="MailId"/> names it, and Wolverine refuses to handle that id twice.
/// </summary>
public sealed record MailStaff(string MailId, string ToName, string ToEmail, string Subject, string Text, string Html)
{
    [DeduplicationIdentity]
    public string Identity => MailId;
}

public static class MailStaffHandler
{
    /// <summary>A mail server that is down is tried again a little later, then for half an hour, then the message is dead-lettered; no write waits for it.</summary>
    public static void Configure(HandlerChain chain) =>
        SmtpRetries.Apply(chain);

    [Deduplicated]
    public static Task Handle(MailStaff mail, ContactMailer mailer, CancellationToken cancellation) =>
        mailer.SendAsync(mail.ToName, mail.ToEmail, mail.Subject, mail.Text, mail.Html, cancellation);
}

/// <summary>Where links in staff e-mails point: Contacts__PublicUrl, else the first address this node listens on.</summary>
public sealed class MailLinks(IOptions<ContactSettings> settings, IServer server)
{
    public string Base => settings.Value.PublicUrl is { Length: > 0 } configured
        ? configured.TrimEnd('/')
        : (server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "").TrimEnd('/');

    public string Account(Guid accountId) => $"{Base}/#/accounts/{accountId}";
    public string Settings => $"{Base}/#/settings";
}
