using System.Security.Claims;

namespace ValueLedger.Api.Features.Contacts;

/// <summary>
/// Turns a verified contact token into the contact's current rights: one accountId claim per membership that is
/// not revoked and one approverOf claim per approver membership. Read at every request, so inviting, changing
/// and revoking take effect on the next one; a contact with nothing left is refused (401).
/// </summary>
public sealed class ContactDirectory(IDocumentStore store) : IContactDirectory
{
    public async Task<ClaimsPrincipalOrRefusal> ClaimsOfAsync(ClaimsPrincipal token, CancellationToken cancellation)
    {
        if (!Guid.TryParse(token.FindFirstValue(CurrentUser.SubjectClaim), out var contactId))
            return new(null, "A contact token names its contact by id.");
        await using var session = store.QuerySession();
        var contact = await session.LoadAsync<CustomerContact>(contactId, cancellation);
        var memberships = contact?.Memberships.Where(m => m.State != ContactState.Revoked).ToList() ?? [];
        if (memberships.Count == 0) return new(null, "This contact has no access any more.");

        var identity = (ClaimsIdentity)token.Identity!;
        foreach (var claim in identity.FindAll(c => c.Type is Policies.AccountIdClaim or Policies.ApproverOfClaim or "role").ToList())
            identity.RemoveClaim(claim);
        identity.AddClaim(new Claim("role", Roles.Customer));
        foreach (var m in memberships)
        {
            identity.AddClaim(new Claim(Policies.AccountIdClaim, m.AccountId.ToString()));
            if (m.Role == ContactRoles.Approver) identity.AddClaim(new Claim(Policies.ApproverOfClaim, m.AccountId.ToString()));
        }
        return new(token, null);
    }
}
