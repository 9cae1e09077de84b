using JasperFx;
using Microsoft.AspNetCore.Mvc;

namespace ValueLedger.Api.Features.Contacts;

public sealed record ContactSignInRequest(string? Code);

public sealed class ContactSignInValidator : AbstractValidator<ContactSignInRequest>
{
    public ContactSignInValidator() => RuleFor(r => r.Code).NotEmpty().MaximumLength(200);
}

public sealed record ContactAccount(Guid AccountId, string Name, string Role);

public sealed record ContactSession(string Token, DateTimeOffset ExpiresAt, Guid ContactId, string Name, string Email,
    IReadOnlyList<ContactAccount> Accounts);

public static class ContactSignInEndpoint
{

    /// <summary>
    /// Exchanges a sign-in link's code for a contact token. The code works once and until it expires; every refusal
    /// is the same 400 on the field <c>code</c>, so a guesser learns nothing about which codes exist.
    /// </summary>
    [AllowAnonymous]
    [WolverinePost("/api/contacts/sign-in", Name = "ContactSignIn")]
    public static async Task<IResult> Post(ContactSignInRequest r, HttpContext http, IDocumentSession session, AppSigningKey key,
        TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var code = await session.LoadAsync<SignInCode>(SignInCode.HashOf(r.Code!.Trim()), http.RequestAborted);
        var contact = code is null ? null : await session.LoadAsync<CustomerContact>(code.ContactId, http.RequestAborted);
        if (code is null || code.UsedAt is not null || code.ExpiresAt <= now || contact?.On(code.AccountId) is not { State: not ContactState.Revoked } membership)
            return Refused();

        code.UsedAt = now;
        session.Store(code);
        if (membership.State == ContactState.Invited) membership.State = ContactState.Active;
        membership.SignedInAt = now;
        session.Store(contact);
        try
        {
            await session.SaveChangesAsync(http.RequestAborted);
        }
        catch (ConcurrencyException)
        {
            return Refused(); // the same link, opened twice at once: only the first one signs in
        }

        var accountIds = contact.Memberships.Where(m => m.State != ContactState.Revoked).Select(m => m.AccountId).ToArray();
        var accounts = await session.LoadManyAsync<Account>(http.RequestAborted, accountIds);
        // The token's lifetime is checked by the JWT handler against the system clock, so it is minted on that clock too.
        var issuedAt = TimeProvider.System.GetUtcNow();
        var token = ContactTokens.Create(key.Key, contact.Id, contact.Name, contact.Email, issuedAt);
        return Results.Ok(new ContactSession(token, issuedAt.Add(ContactTokens.Lifetime), contact.Id, contact.Name, contact.Email,
            accounts.Select(a => new ContactAccount(a.Id, a.Name, contact.On(a.Id)!.Role)).ToList()));
    }

    private static IResult Refused() => Results.ValidationProblem(
        new Dictionary<string, string[]> { ["code"] = ["This sign-in link is unknown, already used or expired. Ask your contact for a new one."] },
        title: "The sign-in link does not work");
}
