using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ValueLedger.Api.Infrastructure;

public static class Roles
{
    public const string Csm = "csm";
    public const string Executive = "executive";
    public const string Auditor = "auditor";
    public const string Admin = "admin";
    public const string Customer = "customer";
    /// <summary>A service account's machine feed: records and imports system measurements for its granted accounts, nothing else.</summary>
    public const string Feed = "feed";

    public static readonly string[] All = [Csm, Executive, Auditor, Admin, Customer];
    public static readonly string[] Staff = [Csm, Executive, Auditor, Admin];
}

/// <summary>What a customer contact may do on an account: approvers sign off, viewers only read.</summary>
public static class ContactRoles
{
    public const string Approver = "approver";
    public const string Viewer = "viewer";
    public static readonly string[] All = [Approver, Viewer];
}

public static class Policies
{
    /// <summary>One account: staff, or a customer contact of that account.</summary>
    public const string ReadAccount = "read-account";
    /// <summary>Across accounts (lists, portfolio): staff only.</summary>
    public const string ReadPortfolio = "read-portfolio";
    /// <summary>Record and correct values: customer success and admins.</summary>
    public const string WriteValues = "write-values";
    /// <summary>Confirm, dispute, certify: only an approver contact of the account; the customer's own act, so no staff role.</summary>
    public const string SignOff = "sign-off";
    /// <summary>History, verification of the hash chain, exports: auditors and admins.</summary>
    public const string Audit = "audit";
    /// <summary>Operating the ledger itself (signing a checkpoint now): admins only.</summary>
    public const string Administer = "administer";
    /// <summary>Record and import measurements: customer success, admins, and a feed for the accounts it is granted.</summary>
    public const string RecordMeasurements = "record-measurements";

    /// <summary>The accounts a customer may read (one claim per account).</summary>
    public const string AccountIdClaim = "accountId";
    /// <summary>The accounts a customer may sign off on (one claim per account), derived at each request.</summary>
    public const string ApproverOfClaim = "approverOf";
    /// <summary>Local script tokens (ops/token customer): the contact's role on the accounts it names.</summary>
    public const string ContactRoleClaim = "contactRole";
}

/// <summary>The "Auth" configuration section.</summary>
public sealed class AuthSettings
{
    /// <summary>OpenID Connect authority of the production identity provider; unset means the local default.</summary>
    public string? Authority { get; set; }
    public string Audience { get; set; } = LocalTokens.Audience;
    /// <summary>Base64 key that signs local tokens and contact tokens. When unset, a key is created once under the data directory.</summary>
    public string? SigningKey { get; set; }
    /// <summary>Proxies whose X-Forwarded-For and X-Forwarded-Proto headers are trusted (IP addresses); none by default.</summary>
    public string[] KnownProxies { get; set; } = [];
    /// <summary>
    /// Whether the provider's discovery document and keys must come over HTTPS (default). docker-compose.yml turns it
    /// off for its Keycloak, which the nodes reach on the private compose network at http://keycloak:8080.
    /// </summary>
    public bool RequireHttpsMetadata { get; set; } = true;
    /// <summary>How the dashboard signs staff in at the provider.</summary>
    public DashboardSignInSettings Dashboard { get; set; } = new();
    public bool IsLocal => string.IsNullOrWhiteSpace(Authority);

    /// <summary>The issuer as browsers reach it: <see cref="DashboardSignInSettings.Authority"/>, else <see cref="Authority"/>; none in local mode.</summary>
    public Uri? DashboardAuthority =>
        IsLocal ? null : Uri.TryCreate(Dashboard.Authority ?? Authority, UriKind.Absolute, out var uri) ? uri : null;
}

/// <summary>
/// The "Auth:Dashboard" section: the dashboard signs staff in with the authorization code flow and PKCE, as a public
/// client (no secret in a browser), and renews its token with the refresh token the provider gives it.
/// </summary>
public sealed class DashboardSignInSettings
{
    /// <summary>
    /// The provider's issuer as browsers reach it; unset means <see cref="AuthSettings.Authority"/>. Set it when the
    /// nodes reach the provider at another address than browsers do (docker-compose.yml: keycloak:8080 against
    /// localhost:8081).
    /// </summary>
    public string? Authority { get; set; }
    /// <summary>The dashboard's public client at the provider (ops/keycloak's realm defines valueledger-dashboard).</summary>
    public string ClientId { get; set; } = "valueledger-dashboard";
    public string Scope { get; set; } = "openid profile email";
}

/// <summary>
/// Who may do what. Two kinds of bearer token: staff tokens of the identity provider (or, in local mode, of the
/// installation's key), and contact tokens this app issues to customer contacts when they open a sign-in link
/// (Features/Contacts). A policy scheme picks the handler by the token's issuer. Every endpoint names its policy;
/// the fallback requires an authenticated caller for anything else.
/// </summary>
public static class Security
{
    public const string Scheme = "ValueLedger";
    public const string StaffScheme = JwtBearerDefaults.AuthenticationScheme;
    public const string ContactScheme = "Contact";
    /// <summary>Service accounts (Features/ServiceAccounts registers the handler): the key in <see cref="ApiKeyHeader"/>.</summary>
    public const string ApiKeyScheme = "ApiKey";
    public const string ApiKeyHeader = "X-Api-Key";
    /// <summary>The claim that carries roles, in staff tokens (the identity provider maps its roles into it) and in the app's own.</summary>
    public const string RoleClaim = "role";

    /// <summary>How far clocks may disagree: enough for real clocks, little enough that expiry means something.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public static IServiceCollection AddValueLedgerSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        var auth = configuration.GetSection("Auth").Get<AuthSettings>() ?? new AuthSettings();
        if (!auth.IsLocal && auth.DashboardAuthority is not { Scheme: "https" or "http" })
            throw new InvalidOperationException(
                $"Auth:Dashboard:Authority (or Auth:Authority) must be the identity provider's issuer as an absolute http(s) address, not '{auth.Dashboard.Authority ?? auth.Authority}'.");
        services.AddSingleton(auth);
        services.AddValueLedgerLocalMode(auth);
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            // Only the configured proxies (nginx in docker-compose.yml) may say who the client is and how it connected;
            // the framework's default of trusting loopback is dropped, so nothing is trusted unless configured.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in auth.KnownProxies) o.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
        });
        var appKey = LocalTokens.Key(configuration, auth);
        services.AddSingleton(new AppSigningKey(appKey));
        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Staff or contact token, or a service account's key", o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.ContainsKey(ApiKeyHeader) ? ApiKeyScheme
                : ContactTokens.IsContactToken(TokenOf(http.Request)) ? ContactScheme : StaffScheme)
            .AddJwtBearer(StaffScheme, o =>
            {
                Harden(o);
                if (auth.IsLocal)
                {
                    o.TokenValidationParameters.ValidIssuer = LocalTokens.Issuer;
                    o.TokenValidationParameters.ValidAudience = LocalTokens.Audience;
                    o.TokenValidationParameters.IssuerSigningKey = appKey;
                    o.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
                }
                else
                {
                    o.Authority = auth.Authority;
                    o.Audience = auth.Audience;
                    o.RequireHttpsMetadata = auth.RequireHttpsMetadata;
                    // The provider signs asymmetrically; refusing HS* rules out a token signed with a public key as a secret.
                    o.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.EcdsaSha256];
                }
                o.Events = Events(http => Task.FromResult(StaffClaims(http.Principal!, auth)));
            })
            .AddJwtBearer(ContactScheme, o =>
            {
                Harden(o);
                o.TokenValidationParameters.ValidIssuer = ContactTokens.Issuer;
                o.TokenValidationParameters.ValidAudience = LocalTokens.Audience;
                o.TokenValidationParameters.IssuerSigningKey = appKey;
                o.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
                // Memberships are read at every request, so a revocation is effective on the next one.
                o.Events = Events(context => context.HttpContext.RequestServices.GetRequiredService<IContactDirectory>()
                    .ClaimsOfAsync(context.Principal!, context.HttpContext.RequestAborted));
            });

        services.AddSingleton<IAuthorizationHandler, AccountScopeHandler>();
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.ReadPortfolio, p => p.RequireRole(Roles.Staff))
            .AddPolicy(Policies.WriteValues, p => p.RequireRole(Roles.Csm, Roles.Admin))
            .AddPolicy(Policies.RecordMeasurements, p => p.RequireRole(Roles.Csm, Roles.Admin, Roles.Feed)
                .AddRequirements(new AccountScope([Roles.Csm, Roles.Admin], Policies.AccountIdClaim)))
            .AddPolicy(Policies.ReadAccount, p => p.RequireRole(Roles.All).AddRequirements(new AccountScope(Roles.Staff, Policies.AccountIdClaim)))
            .AddPolicy(Policies.SignOff, p => p.RequireRole(Roles.Customer).AddRequirements(new AccountScope([], Policies.ApproverOfClaim)))
            .AddPolicy(Policies.Audit, p => p.RequireRole(Roles.Auditor, Roles.Admin))
            .AddPolicy(Policies.Administer, p => p.RequireRole(Roles.Admin));
        return services;
    }

    private static void Harden(JwtBearerOptions o)
    {
        o.MapInboundClaims = false;
        var p = o.TokenValidationParameters;
        p.NameClaimType = CurrentUser.NameClaim;
        p.RoleClaimType = RoleClaim;
        p.ClockSkew = ClockSkew;
        p.RequireExpirationTime = true;
        p.RequireSignedTokens = true;
        p.ValidateIssuer = true;
        p.ValidateAudience = true;
        p.ValidateLifetime = true;
    }

    /// <summary>
    /// Shared token events: browsers cannot set headers on WebSockets, so the SignalR client sends the token as
    /// access_token; a token without a subject is refused (identity is issuer + subject); then the scheme's own
    /// claims (<paramref name="claims"/>) replace the identity, or refuse it with a reason.
    /// </summary>
    private static JwtBearerEvents Events(Func<TokenValidatedContext, Task<ClaimsPrincipalOrRefusal>> claims) => new()
    {
        OnMessageReceived = context =>
        {
            if (context.HttpContext.Request.Path.StartsWithSegments("/hubs") &&
                context.Request.Query["access_token"].ToString() is { Length: > 0 } token)
                context.Token = token;
            return Task.CompletedTask;
        },
        OnTokenValidated = async context =>
        {
            if (string.IsNullOrWhiteSpace(context.Principal?.FindFirstValue(CurrentUser.SubjectClaim)))
            {
                context.Fail("The token has no subject (sub): identity is the issuer and the subject.");
                return;
            }
            var result = await claims(context);
            if (result.Refusal is { } refusal) context.Fail(refusal);
            else context.Principal = result.Principal;
        }
    };

    /// <summary>
    /// Staff tokens pass as they are. A customer role from the identity provider is not trusted (buyers are contacts
    /// of this app, not users of the seller's provider); in local mode a script token (ops/token customer) names
    /// its accounts and its contact role, and approvers get the right to sign off on those accounts.
    /// </summary>
    private static ClaimsPrincipalOrRefusal StaffClaims(ClaimsPrincipal principal, AuthSettings auth)
    {
        if (!principal.IsInRole(Roles.Customer)) return new(principal, null);
        if (!auth.IsLocal) return new(null, "Customers sign in through their contact link, not the staff identity provider.");
        var identity = (ClaimsIdentity)principal.Identity!;
        if (principal.FindFirstValue(Policies.ContactRoleClaim) == ContactRoles.Approver)
            foreach (var account in principal.FindAll(Policies.AccountIdClaim).Select(c => c.Value).ToList())
                identity.AddClaim(new Claim(Policies.ApproverOfClaim, account));
        return new(principal, null);
    }

    public static string? TokenOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        return request.Path.StartsWithSegments("/hubs") && request.Query["access_token"].ToString() is { Length: > 0 } token ? token : null;
    }

    public static bool MayRead(ClaimsPrincipal user, Guid accountId) =>
        Roles.Staff.Any(user.IsInRole) || user.IsInRole(Roles.Customer) && OwnAccounts(user).Contains(accountId);

    /// <summary>The accounts a customer contact may read.</summary>
    public static IReadOnlySet<Guid> OwnAccounts(ClaimsPrincipal user) => Accounts(user, Policies.AccountIdClaim);

    public static bool IsCustomer(ClaimsPrincipal user) => user.IsInRole(Roles.Customer) && !Roles.Staff.Any(user.IsInRole);

    public static IReadOnlySet<Guid> Accounts(ClaimsPrincipal user, string claim) =>
        user.FindAll(claim).Select(c => Guid.TryParse(c.Value, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).ToHashSet();
}

/// <summary>The installation's key (see <see cref="LocalTokens"/>), read once at start.</summary>
public sealed record AppSigningKey(SymmetricSecurityKey Key);

public sealed record ClaimsPrincipalOrRefusal(ClaimsPrincipal? Principal, string? Refusal);

/// <summary>Reads a contact's memberships at each request (implemented by Features/Contacts).</summary>
public interface IContactDirectory
{
    Task<ClaimsPrincipalOrRefusal> ClaimsOfAsync(ClaimsPrincipal token, CancellationToken cancellation);
}

/// <summary>Staff roles pass; a customer (or a feed) passes only for an account named by the route's accountId in its <see cref="CustomerClaim"/> claims.</summary>
public sealed record AccountScope(string[] StaffRoles, string CustomerClaim) : IAuthorizationRequirement;

public sealed class AccountScopeHandler : AuthorizationHandler<AccountScope>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AccountScope requirement)
    {
        var user = context.User;
        if (requirement.StaffRoles.Any(user.IsInRole))
        {
            context.Succeed(requirement);
        }
        else if ((user.IsInRole(Roles.Customer) || user.IsInRole(Roles.Feed)) && context.Resource is HttpContext http &&
                 Guid.TryParse(http.GetRouteValue("accountId")?.ToString(), out var routeAccount) &&
                 Security.Accounts(user, requirement.CustomerClaim).Contains(routeAccount))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}

/// <summary>
/// The installation's key: it signs local tokens (ops/token, the dashboard's local sign-in) and the contact tokens
/// the app issues. Made once under the data directory (readable only by its owner) unless Auth:SigningKey is set.
/// </summary>
public static class LocalTokens
{
    public const string Issuer = "valueledger-local";
    public const string Audience = "valueledger";
    public const string KeyFileName = "signing-key";
    /// <summary>The longest a locally minted token lives (ops/token --hours is capped to the same).</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(24);

    public static SymmetricSecurityKey Key(IConfiguration configuration, AuthSettings auth)
    {
        if (!string.IsNullOrWhiteSpace(auth.SigningKey)) return new SymmetricSecurityKey(Convert.FromBase64String(auth.SigningKey));

        var directory = ValueLedgerSettings.DataDirectory(configuration);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, KeyFileName);
        if (!File.Exists(path))
        {
            var fresh = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            try
            {
                using var writer = new StreamWriter(path, options);
                writer.Write(fresh);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process made the key first; use theirs.
            }
        }
        return new SymmetricSecurityKey(Convert.FromBase64String(File.ReadAllText(path).Trim()));
    }

    /// <summary>A staff token of the local default (sub is the name: local mode has no user directory).</summary>
    public static string Create(SecurityKey key, string role, string name, Guid? accountId, DateTimeOffset now, TimeSpan lifetime) =>
        Create(key, Issuer, new Dictionary<string, object>
        {
            ["role"] = role, [CurrentUser.NameClaim] = name, [CurrentUser.SubjectClaim] = name
        }.With(accountId is { } id ? new() { [Policies.AccountIdClaim] = id.ToString() } : []), now, lifetime);

    /// <summary>A customer script token of the local default (ops/token customer): a contact by e-mail, on some accounts.</summary>
    public static string CreateCustomer(SecurityKey key, string email, string? name, IReadOnlyList<Guid> accounts, string contactRole,
        DateTimeOffset now, TimeSpan lifetime) =>
        Create(key, Issuer, new Dictionary<string, object>
        {
            ["role"] = Roles.Customer, [CurrentUser.SubjectClaim] = $"contact:{email.ToLowerInvariant()}",
            [CurrentUser.NameClaim] = name ?? email, [CurrentUser.EmailClaim] = email,
            [Policies.ContactRoleClaim] = contactRole,
            [Policies.AccountIdClaim] = accounts.Count == 1 ? accounts[0].ToString() : accounts.Select(a => a.ToString()).ToArray()
        }, now, lifetime);

    public static string Create(SecurityKey key, string issuer, IDictionary<string, object> claims, DateTimeOffset now, TimeSpan lifetime) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer, Audience = Audience, Claims = claims,
            IssuedAt = now.UtcDateTime, NotBefore = now.UtcDateTime, Expires = now.Add(lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256)
        });

    private static Dictionary<string, object> With(this Dictionary<string, object> claims, Dictionary<string, object> more)
    {
        foreach (var (k, v) in more) claims[k] = v;
        return claims;
    }
}

/// <summary>Contact tokens: issued by this app when a contact opens a sign-in link; sub is the contact's id.</summary>
public static class ContactTokens
{
    public const string Issuer = "valueledger-contacts";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    public static string Create(SecurityKey key, Guid contactId, string name, string email, DateTimeOffset now) =>
        LocalTokens.Create(key, Issuer, new Dictionary<string, object>
        {
            ["role"] = Roles.Customer, [CurrentUser.SubjectClaim] = contactId.ToString(),
            [CurrentUser.NameClaim] = name, [CurrentUser.EmailClaim] = email
        }, now, Lifetime);

    /// <summary>Peeks at the unverified issuer only to choose the handler; the handler then verifies everything.</summary>
    public static bool IsContactToken(string? token)
    {
        if (string.IsNullOrEmpty(token)) return false;
        var handler = new JsonWebTokenHandler();
        if (!handler.CanReadToken(token)) return false;
        try
        {
            return handler.ReadJsonWebToken(token).Issuer == Issuer;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
