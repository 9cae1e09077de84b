namespace ValueLedger.Api.Features.Contacts;

public static class ListContactsEndpoint
{
    /// <summary>The account's contacts with their state (invited, active, revoked); staff only.</summary>
    [Authorize(Policy = Policies.ReadPortfolio)]
    [WolverineGet("/api/accounts/{accountId}/contacts", Name = "ListContacts")]
    public static async Task<IResult> Get(Guid accountId, HttpContext http, IQuerySession session)
    {
        if (await session.LoadAsync<Account>(accountId, http.RequestAborted) is null) return Problems.NotFound("Account", accountId);
        var contacts = await session.Query<CustomerContact>().Where(c => c.Memberships.Any(m => m.AccountId == accountId))
            .OrderBy(c => c.Email).ToListAsync(http.RequestAborted);
        return Results.Ok(contacts.Select(c => ContactView.Of(c, c.On(accountId)!)).ToList());
    }
}
