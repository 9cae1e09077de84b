namespace ValueLedger.Api.Features.Contacts;

public static class ResendInvitationEndpoint
{
    /// <summary>A new sign-in link for a contact who is not revoked; earlier unused links stop working.</summary>
    [Authorize(Policy = Policies.WriteValues)]
    [WolverinePost("/api/accounts/{accountId}/contacts/{contactId}/invitation", Name = "ResendInvitation")]
    public static async Task<IResult> Post(Guid accountId, Guid contactId, HttpContext http, IDocumentSession session, Invitations invitations)
    {
        if (await session.LoadAsync<Account>(accountId, http.RequestAborted) is not { } account) return Problems.NotFound("Account", accountId);
        if (await session.LoadAsync<CustomerContact>(contactId, http.RequestAborted) is not { } contact || contact.On(accountId) is not { } membership)
            return Problems.NotFound("Contact", contactId);
        if (membership.State == ContactState.Revoked)
            return Results.Problem(statusCode: 422, title: "Contact revoked",
                detail: $"{contact.Email} was revoked on {membership.RevokedAt:O}. Invite them again with POST {ContactRoutes.Contacts(accountId)}.");
        try
        {
            await invitations.SendAsync(session, http.Request, contact, membership, account.Name, http.RequestAborted);
        }
        catch (Exception e) when (e is MailKit.ServiceNotConnectedException or MailKit.Net.Smtp.SmtpCommandException
                                      or MailKit.Net.Smtp.SmtpProtocolException or System.Net.Sockets.SocketException or IOException)
        {
            return InviteContactEndpoint.MailFailed(accountId, contactId, e);
        }
        return Results.Created(ContactRoutes.Contact(accountId, contactId), ContactView.Of(contact, membership));
    }
}
