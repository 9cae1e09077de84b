using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ValueLedger.Api.Features.ServiceAccounts;

/// <summary>
/// The third way in, beside staff tokens and contact tokens: <c>X-Api-Key</c> of a service account, looked up (by
/// its hash) at every request, so a revoked key fails on its next use. The identity is the service account
/// (issuer <see cref="Issuer"/>, subject its id), with the role <c>feed</c> and an <c>accountId</c> claim per
/// granted account.
/// </summary>
public sealed class ApiKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IDocumentStore store) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public new const string Scheme = Security.ApiKeyScheme;
    public const string Header = Security.ApiKeyHeader;
    public const string Issuer = "valueledger-service-accounts";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Headers[Header].ToString() is not { Length: > 0 } key) return AuthenticateResult.NoResult();
        if (!key.StartsWith(ServiceAccount.KeyScheme, StringComparison.Ordinal) || key.Length > 100)
            return AuthenticateResult.Fail("The X-Api-Key is not a ValueLedger service account key.");
        await using var session = store.QuerySession();
        var hash = ServiceAccount.HashOf(key);
        var account = await session.Query<ServiceAccount>().FirstOrDefaultAsync(s => s.KeyHash == hash, Context.RequestAborted);
        if (account is null) return AuthenticateResult.Fail("Unknown API key.");
        if (account.RevokedAt is not null) return AuthenticateResult.Fail("This API key was revoked.");
        var claims = new List<Claim>
        {
            new(CurrentUser.SubjectClaim, account.Id.ToString()), new(CurrentUser.IssuerClaim, Issuer), new(CurrentUser.NameClaim, account.Name),
            new(Security.RoleClaim, Roles.Feed)
        };
        claims.AddRange(account.AccountIds.Select(id => new Claim(Policies.AccountIdClaim, id.ToString())));
        var identity = new ClaimsIdentity(claims, Scheme, CurrentUser.NameClaim, Security.RoleClaim);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme));
    }
}
