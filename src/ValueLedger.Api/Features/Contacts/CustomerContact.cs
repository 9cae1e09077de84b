using System.Security.Cryptography;
using System.Text;

namespace ValueLedger.Api.Features.Contacts;

public enum ContactState { Invited, Active, Revoked }

/// <summary>
/// A person at a customer who may read (viewer) or sign off (approver) the accounts they are a contact of. One
/// document per e-mail address, so one person at a customer organisation with several accounts is one contact with
/// several memberships. Contacts are access data, not value facts, so they are documents beside the ledger, and
/// each membership keeps who invited and who revoked it and when.
/// </summary>
public sealed class CustomerContact
{
    public Guid Id { get; set; }
    /// <summary>Lower-cased; unique.</summary>
    public string Email { get; set; } = "";
    public string Name { get; set; } = "";
    public List<ContactMembership> Memberships { get; set; } = [];

    public ContactMembership? On(Guid accountId) => Memberships.Find(m => m.AccountId == accountId);

    public static string Normalise(string email) => email.Trim().ToLowerInvariant();
}

public sealed class ContactMembership
{
    public Guid AccountId { get; set; }
    public string Role { get; set; } = "";
    public ContactState State { get; set; }
    public string InvitedBy { get; set; } = "";
    public DateTimeOffset InvitedAt { get; set; }
    public DateTimeOffset? LastInvitationSentAt { get; set; }
    public DateTimeOffset? SignedInAt { get; set; }
    public string? RevokedBy { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>
/// A sign-in link's code, stored only as its SHA-256 (a database reader cannot sign in with it), used once
/// (optimistic concurrency on the document makes a second, concurrent use fail) and only before it expires.
/// </summary>
public sealed class SignInCode
{
    /// <summary>Hex SHA-256 of the code.</summary>
    public string Id { get; set; } = "";
    public Guid ContactId { get; set; }
    public Guid AccountId { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }

    public static string NewCode() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string HashOf(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>A contact as staff see it on one account.</summary>
public sealed record ContactView(Guid Id, Guid AccountId, string Email, string Name, string Role, ContactState State,
    string InvitedBy, DateTimeOffset InvitedAt, DateTimeOffset? LastInvitationSentAt, DateTimeOffset? SignedInAt,
    string? RevokedBy, DateTimeOffset? RevokedAt)
{
    public static ContactView Of(CustomerContact c, ContactMembership m) => new(c.Id, m.AccountId, c.Email, c.Name, m.Role, m.State,
        m.InvitedBy, m.InvitedAt, m.LastInvitationSentAt, m.SignedInAt, m.RevokedBy, m.RevokedAt);
}

public static class ContactRoutes
{
    public static string Contacts(Guid accountId) => $"/api/accounts/{accountId}/contacts";
    public static string Contact(Guid accountId, Guid contactId) => $"{Contacts(accountId)}/{contactId}";
}
