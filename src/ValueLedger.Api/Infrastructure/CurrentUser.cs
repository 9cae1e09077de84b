using System.Security.Claims;

namespace ValueLedger.Api.Infrastructure;

/// <summary>
/// Who is acting, from the authenticated identity only (never from a request body). The identity is the token's
/// issuer and subject (<see cref="Id"/>): two providers may both have a subject "42", and a display name is neither
/// unique nor stable. <see cref="Name"/> is for showing people.
/// </summary>
public sealed record Actor(string Issuer, string Subject, string Name, string? Email)
{
    public string Id => $"{Issuer}|{Subject}";

    /// <summary>The signer of a customer's sign-off, as the events keep it.</summary>
    public Signer AsSigner() => new(Subject, Issuer, Name, Email);
}

public static class CurrentUser
{
    public const string SubjectClaim = "sub";
    public const string IssuerClaim = "iss";
    public const string NameClaim = "name";
    public const string EmailClaim = "email";

    /// <summary>The Wolverine header that carries the acting identity to the handler, which stamps it on the events.</summary>
    public const string AuthorHeader = "valueledger-author";

    /// <summary>The caller's identity; null when not signed in (the authentication handlers refuse tokens without sub).</summary>
    public static Actor? Of(ClaimsPrincipal user)
    {
        if (user.Identity is not { IsAuthenticated: true } identity) return null;
        var subject = user.FindFirstValue(SubjectClaim);
        if (string.IsNullOrWhiteSpace(subject)) return null;
        var issuer = user.FindFirstValue(IssuerClaim) ?? user.FindFirst(SubjectClaim)!.Issuer;
        var email = user.FindFirstValue(EmailClaim);
        var name = identity.Name is { Length: > 0 } shown ? shown : email ?? subject;
        return new Actor(issuer, subject, name, email);
    }

    /// <summary>The stable identity id (issuer|subject): event authors, idempotency scope, rate-limit partitions.</summary>
    public static string IdOf(ClaimsPrincipal user) => Of(user)?.Id ?? "anonymous";

    /// <summary>The display name, for the author fields people read inside events and views.</summary>
    public static string NameOf(ClaimsPrincipal user) => Of(user)?.Name ?? "anonymous";

    /// <summary>Delivery options that carry the caller's identity id to the command handler (see RecordedByMiddleware).</summary>
    public static DeliveryOptions AsAuthor(ClaimsPrincipal user) => new() { Headers = { [AuthorHeader] = IdOf(user) } };
}
