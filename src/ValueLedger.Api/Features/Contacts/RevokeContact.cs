namespace ValueLedger.Api.Features.Contacts;

public static class RevokeContactEndpoint
{
    /// <summary>
    /// Revokes a contact's membership of the account: the contact's next request no longer carries it (memberships
    /// are read at each request), unused links stop working, and the contact's hub connections are closed so a
    /// live view cannot outlive the access.
    /// </summary>
    [Authorize(Policy = Policies.WriteValues)]
    [WolverineDelete("/api/accounts/{accountId}/contacts/{contactId}", Name = "RevokeContact")]
    public static async Task<IResult> Delete(Guid accountId, Guid contactId, HttpContext http, IDocumentSession session,
        ContactConnections connections, TimeProvider clock)
    {
        if (await session.LoadAsync<CustomerContact>(contactId, http.RequestAborted) is not { } contact || contact.On(accountId) is not { } membership)
            return Problems.NotFound("Contact", contactId);
        if (membership.State != ContactState.Revoked)
        {
            membership.State = ContactState.Revoked;
            membership.RevokedAt = clock.GetUtcNow();
            membership.RevokedBy = CurrentUser.NameOf(http.User);
            session.Store(contact);
            session.DeleteWhere<SignInCode>(c => c.ContactId == contactId && c.AccountId == accountId);
            await session.SaveChangesAsync(http.RequestAborted);
        }
        await connections.CloseAsync(contactId.ToString(), http.RequestAborted);
        return Results.Ok(ContactView.Of(contact, membership));
    }
}
