using Microsoft.AspNetCore.Mvc;

namespace ValueLedger.Api.Features.Contacts;

public sealed record InviteContactRequest(string? Email, string? Name, string? Role);

public sealed class InviteContactValidator : AbstractValidator<InviteContactRequest>
{
    public InviteContactValidator()
    {
        RuleFor(r => r.Email).NotEmpty().MaximumLength(254).EmailAddress();
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Role).NotEmpty().Must(r => ContactRoles.All.Contains(r)).WithMessage("Use approver or viewer.");
    }
}

public static class InviteContactEndpoint
{

    /// <summary>Staff invite a customer contact to an account; an e-mail with a single-use, expiring sign-in link goes out.</summary>
    [Authorize(Policy = Policies.WriteValues)]
    [WolverinePost("/api/accounts/{accountId}/contacts", Name = "InviteContact")]
    public static async Task<IResult> Post(Guid accountId, InviteContactRequest r, HttpContext http, IDocumentSession session,
        Invitations invitations, TimeProvider clock)
    {
        if (await session.LoadAsync<Account>(accountId, http.RequestAborted) is not { } account) return Problems.NotFound("Account", accountId);
        var email = CustomerContact.Normalise(r.Email!);
        var contact = await session.Query<CustomerContact>().FirstOrDefaultAsync(c => c.Email == email, http.RequestAborted)
                      ?? new CustomerContact { Id = Guid.CreateVersion7(), Email = email, Name = r.Name!.Trim() };
        if (contact.On(accountId) is { State: not ContactState.Revoked } existing)
            return Results.Problem(statusCode: 409, title: "Already a contact of this account",
                detail: $"{email} is already {existing.State.ToString().ToLowerInvariant()} on this account. To send a new link: POST {ContactRoutes.Contact(accountId, contact.Id)}/invitation.",
                extensions: new Dictionary<string, object?> { ["contactId"] = contact.Id });

        // A revoked contact may be invited again: the old membership is replaced, its history stays in the audit log of requests.
        contact.Memberships.RemoveAll(m => m.AccountId == accountId);
        var membership = new ContactMembership
        {
            AccountId = accountId, Role = r.Role!, State = ContactState.Invited, InvitedBy = CurrentUser.NameOf(http.User),
            InvitedAt = clock.GetUtcNow()
        };
        contact.Memberships.Add(membership);
        try
        {
            await invitations.SendAsync(session, http.Request, contact, membership, account.Name, http.RequestAborted);
        }
        catch (Exception e) when (e is MailKit.ServiceNotConnectedException or MailKit.Net.Smtp.SmtpCommandException
                                      or MailKit.Net.Smtp.SmtpProtocolException or System.Net.Sockets.SocketException or IOException)
        {
            return MailFailed(accountId, contact.Id, e);
        }
        return Results.Created(ContactRoutes.Contact(accountId, contact.Id), ContactView.Of(contact, membership));
    }

    /// <summary>The contact is saved; only the e-mail failed, so the answer says how to send it again.</summary>
    public static IResult MailFailed(Guid accountId, Guid contactId, Exception e) =>
        Results.Problem(statusCode: 502, title: "The invitation e-mail could not be sent",
            detail: $"The contact is saved, but the mail server refused or could not be reached ({e.GetType().Name}). Send a new link with POST {ContactRoutes.Contact(accountId, contactId)}/invitation.",
            extensions: new Dictionary<string, object?> { ["contactId"] = contactId });
}
