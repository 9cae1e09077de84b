using System.Security.Claims;

namespace ValueLedger.Api.Infrastructure;

public static class CurrentUser
{
    /// <summary>Who is acting, from the authenticated identity only (never from a request body).</summary>
    public static string NameOf(ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true } identity
            ? identity.Name ?? user.FindFirstValue("sub") ?? "authenticated"
            : "anonymous";
}
