namespace ValueLedger.Api.Features.Accounts;

/// <summary>
/// How the dashboard signs staff in. <c>local</c>: no identity provider is configured and the app signs tokens itself
/// (<c>POST /api/local/sign-in</c>, loopback and Development only). <c>identityProvider</c>: the authorization code
/// flow with PKCE at <paramref name="Authority"/> as the public client <paramref name="ClientId"/>, asking for
/// <paramref name="Scope"/>. Customers sign in with the link of their e-mail either way.
/// </summary>
public sealed record SignInOptions(string Mode, string? Authority, string? ClientId, string? Scope);

public static class SignInOptionsEndpoint
{
    public const string Local = "local";
    public const string IdentityProvider = "identityProvider";

    [AllowAnonymous]
    [WolverineGet("/api/auth/sign-in-options", Name = "SignInOptions")]
    public static SignInOptions Get(AuthSettings auth) => auth.IsLocal
        ? new SignInOptions(Local, null, null, null)
        // As configured, not normalised: the browser compares it with the issuer of the provider's discovery document.
        : new SignInOptions(IdentityProvider, auth.Dashboard.Authority ?? auth.Authority, auth.Dashboard.ClientId, auth.Dashboard.Scope);
}
