using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
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

    public static readonly string[] All = [Csm, Executive, Auditor, Admin, Customer];
    public static readonly string[] Staff = [Csm, Executive, Auditor, Admin];
}

public static class Policies
{
    /// <summary>One account: staff, or the customer whose accountId claim names it.</summary>
    public const string ReadAccount = "read-account";
    /// <summary>Across accounts (lists, portfolio): staff only.</summary>
    public const string ReadPortfolio = "read-portfolio";
    /// <summary>Record and correct values: customer success and admins.</summary>
    public const string WriteValues = "write-values";
    /// <summary>Confirm or dispute measurements: the account's customer, customer success, admins.</summary>
    public const string VerifyValues = "verify-values";
    /// <summary>History, verification of the hash chain, exports: auditors and admins.</summary>
    public const string Audit = "audit";
    /// <summary>Operating the ledger itself (signing a checkpoint now): admins only.</summary>
    public const string Administer = "administer";

    public const string AccountIdClaim = "accountId";
}

/// <summary>The "Auth" configuration section.</summary>
public sealed class AuthSettings
{
    /// <summary>OpenID Connect authority of the production identity provider; unset means the local default.</summary>
    public string? Authority { get; set; }
    public string Audience { get; set; } = LocalTokens.Audience;
    /// <summary>Local mode: base64 signing key. When unset, a key is created once under the data directory.</summary>
    public string? SigningKey { get; set; }
    public bool IsLocal => string.IsNullOrWhiteSpace(Authority);
}

/// <summary>
/// Who may do what: roles from the bearer token's "role" claim, an account scope from its "accountId" claim for
/// customers. Every endpoint names its policy; the fallback requires an authenticated caller for anything else.
/// </summary>
public static class Security
{
    public static IServiceCollection AddValueLedgerSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        var auth = configuration.GetSection("Auth").Get<AuthSettings>() ?? new AuthSettings();
        services.AddSingleton(auth);
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters.NameClaimType = "name";
            o.TokenValidationParameters.RoleClaimType = "role";
            if (auth.IsLocal)
            {
                o.TokenValidationParameters.ValidIssuer = LocalTokens.Issuer;
                o.TokenValidationParameters.ValidAudience = LocalTokens.Audience;
                o.TokenValidationParameters.IssuerSigningKey = LocalTokens.Key(configuration, auth);
            }
            else
            {
                o.Authority = auth.Authority;
                o.Audience = auth.Audience;
            }
            // Browsers cannot set headers on WebSockets: the SignalR client sends the token as access_token.
            o.Events = new JwtBearerEvents
            {
                OnMessageReceived = context =>
                {
                    if (context.HttpContext.Request.Path.StartsWithSegments("/hubs") &&
                        context.Request.Query["access_token"].ToString() is { Length: > 0 } token)
                        context.Token = token;
                    return Task.CompletedTask;
                }
            };
        });

        services.AddSingleton<IAuthorizationHandler, AccountScopeHandler>();
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.ReadPortfolio, p => p.RequireRole(Roles.Staff))
            .AddPolicy(Policies.WriteValues, p => p.RequireRole(Roles.Csm, Roles.Admin))
            .AddPolicy(Policies.ReadAccount, p => p.RequireRole(Roles.All).AddRequirements(new AccountScope(Roles.Staff, CustomersOwnAccount: true)))
            .AddPolicy(Policies.VerifyValues, p => p.RequireRole(Roles.Customer, Roles.Csm, Roles.Admin)
                .AddRequirements(new AccountScope([Roles.Csm, Roles.Admin], CustomersOwnAccount: true)))
            .AddPolicy(Policies.Audit, p => p.RequireRole(Roles.Auditor, Roles.Admin))
            .AddPolicy(Policies.Administer, p => p.RequireRole(Roles.Admin));
        return services;
    }

    public static bool MayRead(ClaimsPrincipal user, Guid accountId) =>
        Roles.Staff.Any(user.IsInRole) || user.IsInRole(Roles.Customer) && OwnAccount(user) == accountId;

    public static Guid? OwnAccount(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(Policies.AccountIdClaim), out var id) ? id : null;
}

/// <summary>Staff roles pass; a customer passes only for the account named by the route's accountId.</summary>
public sealed record AccountScope(string[] StaffRoles, bool CustomersOwnAccount = false) : IAuthorizationRequirement;

public sealed class AccountScopeHandler : AuthorizationHandler<AccountScope>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AccountScope requirement)
    {
        var user = context.User;
        if (requirement.StaffRoles.Any(user.IsInRole))
        {
            context.Succeed(requirement);
        }
        else if (requirement.CustomersOwnAccount && user.IsInRole(Roles.Customer) && context.Resource is HttpContext http &&
                 Guid.TryParse(http.GetRouteValue("accountId")?.ToString(), out var routeAccount) &&
                 Security.OwnAccount(user) == routeAccount)
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}

/// <summary>
/// Tokens of the local default: HS256, signed with a key made once per installation (under the data directory,
/// readable only by its owner), so ops/token and the dashboard's local sign-in mint tokens the app accepts.
/// </summary>
public static class LocalTokens
{
    public const string Issuer = "valueledger-local";
    public const string Audience = "valueledger";
    public const string KeyFileName = "signing-key";

    public static SymmetricSecurityKey Key(IConfiguration configuration, AuthSettings auth)
    {
        if (!string.IsNullOrWhiteSpace(auth.SigningKey)) return new SymmetricSecurityKey(Convert.FromBase64String(auth.SigningKey));

        var directory = configuration[$"{ValueLedgerSettings.Section}:DataDirectory"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, ".data");
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

    public static string Create(SecurityKey key, string role, string name, Guid? accountId, DateTimeOffset now, TimeSpan lifetime)
    {
        var claims = new Dictionary<string, object> { ["role"] = role, ["name"] = name, ["sub"] = name };
        if (accountId is { } id) claims[Policies.AccountIdClaim] = id.ToString();
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer, Audience = Audience, Claims = claims,
            IssuedAt = now.UtcDateTime, NotBefore = now.UtcDateTime, Expires = now.Add(lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256)
        });
    }
}
