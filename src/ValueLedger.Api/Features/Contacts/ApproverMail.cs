using Microsoft.Extensions.Options;
using Wolverine.Attributes;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace ValueLedger.Api.Features.Contacts;

/// <summary>An approver contact of an account, as a request addresses them.</summary>
public sealed record Approver(string Name, string Email);

/// <summary>
/// One e-mail to one approver that a recorded request (a confirmation or certification request) sends: cascaded by the
/// request's handler, so it leaves through Wolverine's outbox only when the request's event is committed. The request
/// is event <see cref="RequestVersion"/> of the account's stream; with the recipient that names the e-mail, and
/// Wolverine refuses to handle that identity twice (<see cref="ApproverMailHandler"/>), so a re-delivered message
/// does not mail anyone again.
/// </summary>
public sealed record MailApprover(Guid AccountId, long RequestVersion, Approver To, string Subject, string Text, string? SignInUrl = null)
{
    [DeduplicationIdentity]
    public string MailId => $"{AccountId:N}/{RequestVersion}/{To.Email.ToLowerInvariant()}";
}

public static class ApproverMail
{
    /// <summary>The account's approver contacts who may still sign in (invited or active, not revoked).</summary>
    public static async Task<IReadOnlyList<Approver>> ApproversOfAsync(IQuerySession session, Guid accountId, CancellationToken cancellation)
    {
        var contacts = await session.Query<CustomerContact>().Where(c => c.Memberships.Any(m => m.AccountId == accountId))
            .OrderBy(c => c.Email).ToListAsync(cancellation);
        return contacts.Where(c => c.On(accountId) is { Role: Infrastructure.ContactRoles.Approver, State: not ContactState.Revoked })
            .Select(c => new Approver(c.Name, c.Email)).ToList();
    }

    /// <summary>Where an approver signs off on the account in the portal: the configured public address, else the request's.</summary>
    public static string PortalUrl(IOptions<ContactSettings> settings, HttpRequest request, Guid accountId)
    {
        var baseUrl = settings.Value.PublicUrl is { Length: > 0 } configured
            ? configured.TrimEnd('/')
            : $"{request.Scheme}://{request.Host}{request.PathBase}";
        return $"{baseUrl}/#/accounts/{accountId}/verify";
    }

    /// <summary>Where an e-mailed sign-in code is exchanged (the portal then opens the account the code is for).</summary>
    public static string SignInUrl(IOptions<ContactSettings> settings, HttpRequest request)
    {
        var baseUrl = settings.Value.PublicUrl is { Length: > 0 } configured
            ? configured.TrimEnd('/')
            : $"{request.Scheme}://{request.Host}{request.PathBase}";
        return $"{baseUrl}/#/contact-sign-in";
    }

    /// <summary>The e-mails of a request recorded at <paramref name="requestVersion"/>, one per approver.</summary>
    public static OutgoingMessages To(IEnumerable<Approver> approvers, Guid accountId, long requestVersion, string subject, Func<Approver, string> text,
        string? signInUrl = null)
    {
        var mails = new OutgoingMessages();
        mails.AddRange(approvers.Select(a => new MailApprover(accountId, requestVersion, a, subject, text(a), signInUrl)));
        return mails;
    }
}

public static class ApproverMailHandler
{
    /// <summary>A mail server that is down or refuses for now is tried again a little later, then for half an hour, then the message is dead-lettered.</summary>
    public static void Configure(HandlerChain chain) =>
        SmtpRetries.Apply(chain);

    /// <summary>
    /// Sends the e-mail. <c>[Deduplicated]</c> claims the message's logical id (<see cref="MailApprover.MailId"/>) in
    /// Wolverine's deduplication table before sending and gives it back if sending fails, so an SMTP failure is retried
    /// while a second delivery of a sent e-mail is discarded.
    /// With <see cref="MailApprover.SignInUrl"/>, the e-mail also carries a fresh single-use sign-in link for the approver's
    /// membership (saved before the e-mail leaves; it replaces the membership's unused earlier links), so an approver
    /// who is not signed in can act on it; a contact revoked since the request gets no link and no e-mail.
    /// </summary>
    [Deduplicated]
    public static async Task Handle(MailApprover mail, ContactMailer mailer, IDocumentStore store, Invitations invitations, CancellationToken cancellation)
    {
        var text = mail.Text;
        if (mail.SignInUrl is { Length: > 0 } signIn)
        {
            await using var session = store.LightweightSession();
            var email = CustomerContact.Normalise(mail.To.Email);
            var contact = await session.Query<CustomerContact>().FirstOrDefaultAsync(c => c.Email == email, cancellation);
            if (contact?.On(mail.AccountId) is not { State: not ContactState.Revoked } membership) return;
            var (code, expires) = invitations.Issue(session, contact, membership);
            await session.SaveChangesAsync(cancellation);
            text += $"""


                Not signed in? This link signs you in once, until {expires:yyyy-MM-dd HH:mm} UTC:
                {signIn}?code={code}
                """;
        }
        await mailer.SendAsync(mail.To.Name, mail.To.Email, mail.Subject, text, cancellation);
    }
}
