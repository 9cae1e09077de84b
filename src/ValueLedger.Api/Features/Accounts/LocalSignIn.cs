using Microsoft.AspNetCore.Mvc;
using Microsoft.IdentityModel.Tokens;

namespace ValueLedger.Api.Features.Accounts;

public sealed record LocalSignInRequest(string? Role, Guid? AccountId, string? Name);

public sealed class LocalSignInValidator : AbstractValidator<LocalSignInRequest>
{
    public LocalSignInValidator()
    {
        RuleFor(r => r.Role).NotEmpty().Must(r => Roles.All.Contains(r)).WithMessage($"Use one of: {string.Join(", ", Roles.All)}.");
        RuleFor(r => r.AccountId).NotNull().When(r => r.Role == Roles.Customer).WithMessage("A customer signs in for one account.");
        RuleFor(r => r.Name).MaximumLength(100);
    }
}

public sealed record LocalToken(string Token, string Role, string Name, Guid? AccountId, DateTimeOffset ExpiresAt);

/// <summary>
/// The local default's sign-in: picks a role and returns a token signed with the installation's key. It exists
/// only when no identity provider is configured (Auth:Authority unset); production signs in at the provider.
/// </summary>
public static class LocalSignInEndpoint
{
    /// <summary>The fields are checked by <see cref="RequestValidationPolicy"/>; this says whether the route exists at all.</summary>
    public static ProblemDetails Validate(AuthSettings auth) =>
        auth.IsLocal
            ? WolverineContinue.NoProblems
            : new ProblemDetails { Status = 404, Title = "Local sign-in is off", Detail = "Sign in at the configured identity provider." };

    [AllowAnonymous]
    [WolverinePost("/api/local/sign-in", Name = "LocalSignIn")]
    public static LocalToken Post(LocalSignInRequest request, IConfiguration configuration, AuthSettings auth, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var lifetime = TimeSpan.FromHours(12);
        var name = string.IsNullOrWhiteSpace(request.Name) ? $"local-{request.Role}" : request.Name.Trim();
        var accountId = request.Role == Roles.Customer ? request.AccountId : null;
        var key = LocalTokens.Key(configuration, auth);
        // A local customer is an approver contact of the account it picked, so the demo can sign off.
        var token = accountId is { } account
            ? LocalTokens.CreateCustomer(key, name.Contains('@') ? name : $"{name.ToLowerInvariant().Replace(' ', '.')}@customer.local", name, [account],
                ContactRoles.Approver, now, lifetime)
            : LocalTokens.Create(key, request.Role!, name, null, now, lifetime);
        return new LocalToken(token, request.Role!, name, accountId, now.Add(lifetime));
    }
}
