using System.Security.Cryptography;
using System.Text;

namespace ValueLedger.Api.Features.ServiceAccounts;

/// <summary>
/// A machine client (a customer's ERP export, a data pipeline) that records measurements with <c>source: system</c>
/// for the accounts it is granted. Its API key is shown once; only the key's SHA-256 is kept (the key is 256 random
/// bits, so a fast hash is enough), and <see cref="KeyPrefix"/> lets people tell keys apart.
/// </summary>
public sealed class ServiceAccount
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public List<Guid> AccountIds { get; set; } = [];
    public string KeyHash { get; set; } = "";
    public string KeyPrefix { get; set; } = "";
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }

    public const string KeyScheme = "vlk_";

    public static string NewKey() => KeyScheme + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
