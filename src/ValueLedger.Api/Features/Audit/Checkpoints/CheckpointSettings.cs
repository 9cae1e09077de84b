namespace ValueLedger.Api.Features.Audit.Checkpoints;

/// <summary>The "ValueLedger:Checkpoints" configuration section (docs/audit.md, "Signed checkpoints").</summary>
public sealed class CheckpointSettings
{
    public const string Section = "ValueLedger:Checkpoints";

    /// <summary>How often the job looks whether the ledger moved and, if so, signs a checkpoint. Zero switches the job off.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Production: the Ed25519 private key (base64 of the 32-byte seed) from a secret store or the environment. Without
    /// it, a key file under the data directory is created once (mode 0600) and used.
    /// </summary>
    public string? PrivateKey { get; set; }

    /// <summary>Where the local key file lives; default <c>&lt;DataDirectory&gt;/checkpoint-key</c>.</summary>
    public string? KeyFile { get; set; }

    /// <summary>Keys that signed earlier checkpoints and stay published for them (rotation).</summary>
    public List<RetiredKey> RetiredKeys { get; set; } = [];

    /// <summary>Append-only files that receive every checkpoint; default <c>&lt;DataDirectory&gt;/checkpoints</c>. Empty string: none.</summary>
    public string? Directory { get; set; }

    /// <summary>An HTTP witness that receives every checkpoint as a JSON POST (optional).</summary>
    public string? WitnessUrl { get; set; }
}

/// <summary>A key that no longer signs: its public half and the time it signed until.</summary>
public sealed class RetiredKey
{
    public string KeyId { get; set; } = "";
    public string PublicKey { get; set; } = "";
    public DateTimeOffset? ValidFrom { get; set; }
    public DateTimeOffset ValidUntil { get; set; }
}
