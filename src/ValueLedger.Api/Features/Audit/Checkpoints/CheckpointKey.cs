using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using NSec.Cryptography;

namespace ValueLedger.Api.Features.Audit.Checkpoints;

/// <summary>A public key that signs (or signed) checkpoints, as <c>GET /api/audit/public-key</c> lists it.</summary>
public sealed record PublishedKey(string KeyId, string Algorithm, string PublicKey, DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil, bool Current);

/// <summary>
/// The Ed25519 key that signs checkpoints. It lives outside the database on purpose: whoever controls the database
/// cannot sign a forged history. Production passes it in configuration; locally it is a file made once, mode 0600,
/// written atomically (a temporary file renamed into place, so a crash never leaves half a key).
/// </summary>
public sealed class CheckpointKey : IDisposable
{
    public const string Algorithm = "ed25519";
    public const string DefaultFileName = "checkpoint-key";

    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;
    private readonly Key _key;
    private readonly IReadOnlyList<PublishedKey> _published;

    public CheckpointKey(IOptions<CheckpointSettings> options, IConfiguration configuration)
    {
        var settings = options.Value;
        var seed = settings.PrivateKey is { Length: > 0 } configured
            ? Convert.FromBase64String(configured)
            : LoadOrCreate(settings.KeyFile ?? Path.Combine(ValueLedgerSettings.DataDirectory(configuration), DefaultFileName));
        _key = Key.Import(Ed25519, seed, KeyBlobFormat.RawPrivateKey);
        CryptographicOperations.ZeroMemory(seed);
        PublicKeyBytes = _key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        KeyId = IdOf(PublicKeyBytes);
        _published =
        [
            new PublishedKey(KeyId, Algorithm, Convert.ToBase64String(PublicKeyBytes), null, null, true),
            .. settings.RetiredKeys.Select(k => new PublishedKey(k.KeyId, Algorithm, k.PublicKey, k.ValidFrom, k.ValidUntil, false))
        ];
    }

    public string KeyId { get; }
    public byte[] PublicKeyBytes { get; }
    public IReadOnlyList<PublishedKey> Published => _published;

    /// <summary>A key's id: the first 16 hex digits of SHA-256 over its raw public key, so anyone can recompute it.</summary>
    public static string IdOf(byte[] publicKey) => Convert.ToHexStringLower(SHA256.HashData(publicKey))[..16];

    public byte[] Sign(string canonicalText) => Ed25519.Sign(_key, System.Text.Encoding.UTF8.GetBytes(canonicalText));

    public static bool Verify(byte[] publicKey, string canonicalText, byte[] signature) =>
        PublicKey.TryImport(Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out var key) && key is not null
        && Ed25519.Verify(key, System.Text.Encoding.UTF8.GetBytes(canonicalText), signature);

    private static byte[] LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            using var fresh = Key.Create(Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var writer = new StreamWriter(temporary, options))
            {
                writer.Write(Convert.ToBase64String(fresh.Export(KeyBlobFormat.RawPrivateKey)));
                writer.Flush();
                ((FileStream)writer.BaseStream).Flush(flushToDisk: true);
            }
            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary); // another process made the key first; use theirs
            }
        }
        return Convert.FromBase64String(File.ReadAllText(path).Trim());
    }

    public void Dispose() => _key.Dispose();
}
