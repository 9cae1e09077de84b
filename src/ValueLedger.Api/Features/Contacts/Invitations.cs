using Microsoft.Extensions.Options;

namespace ValueLedger.Api.Features.Contacts;

/// <summary>The "Contacts" section.</summary>
public sealed class ContactSettings
{
    /// <summary>How long a sign-in link works (single use in any case).</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromHours(24);
    /// <summary>The address customers reach the portal at, for links in e-mails; default: the address of the request.</summary>
    public string? PublicUrl { get; set; }
    /// <summary>How often each node closes the hub connections of contacts revoked through any node.</summary>
    public TimeSpan RevocationSweepInterval { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Issues a sign-in link for one membership and e-mails it: a fresh random code, stored hashed, replacing any unused
/// earlier code of the same membership (only the newest link works). The documents are saved before the e-mail
/// leaves, so a link that arrives always works.
/// </summary>
public sealed class Invitations(ContactMailer mailer, IOptions<ContactSettings> settings, TimeProvider clock)
{
    public async Task SendAsync(IDocumentSession session, HttpRequest request, CustomerContact contact, ContactMembership membership,
        string accountName, CancellationToken cancellation)
    {
        var (code, expires) = Issue(session, contact, membership);
        membership.LastInvitationSentAt = clock.GetUtcNow();
        session.Store(contact);
        await session.SaveChangesAsync(cancellation);

        var link = $"{BaseUrl(request)}/#/contact-sign-in?code={code}";
        var text = $"""
            Hello {contact.Name},

            {membership.InvitedBy} invites you to confirm the value delivered to {accountName} in ValueLedger,
            as {(membership.Role == Infrastructure.ContactRoles.Approver ? "an approver (you may confirm or dispute figures)" : "a viewer")}.

            Sign in with this link (it works once, until {expires:yyyy-MM-dd HH:mm} UTC):
            {link}

            If the link has expired, ask your contact for a new one.
            """;
        await mailer.SendAsync(contact.Name, contact.Email, $"Sign in to confirm the value delivered to {accountName}", text, cancellation);
    }

    /// <summary>
    /// A fresh single-use code for the membership, stored hashed in <paramref name="session"/> (saved by the caller
    /// before the link leaves), replacing the membership's unused earlier codes: only the newest link works.
    /// </summary>
    public (string Code, DateTimeOffset ExpiresAt) Issue(IDocumentSession session, CustomerContact contact, ContactMembership membership)
    {
        var now = clock.GetUtcNow();
        var code = SignInCode.NewCode();
        var expires = now.Add(settings.Value.LinkLifetime);
        session.DeleteWhere<SignInCode>(c => c.ContactId == contact.Id && c.AccountId == membership.AccountId && c.UsedAt == null);
        session.Insert(new SignInCode
        {
            Id = SignInCode.HashOf(code), ContactId = contact.Id, AccountId = membership.AccountId, IssuedAt = now, ExpiresAt = expires
        });
        return (code, expires);
    }

    private string BaseUrl(HttpRequest request) =>
        settings.Value.PublicUrl is { Length: > 0 } configured ? configured.TrimEnd('/') : $"{request.Scheme}://{request.Host}{request.PathBase}";
}
