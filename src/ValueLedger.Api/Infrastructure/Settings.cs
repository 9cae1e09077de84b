namespace ValueLedger.Api.Infrastructure;

/// <summary>The "ValueLedger" configuration section.</summary>
public sealed class ValueLedgerSettings
{
    public const string Section = "ValueLedger";

    /// <summary>PostgreSQL schema that holds the ledger (events, snapshots, Wolverine's outbox).</summary>
    public string Schema { get; set; } = "valueledger";

    /// <summary>How far behind the straight path to target a commitment may fall before it is at risk (0.10 = 10 points).</summary>
    public decimal AtRiskTolerance { get; set; } = 0.10m;

    /// <summary>Largest request body accepted, in bytes (bulk imports need more than single writes).</summary>
    public long MaxRequestBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// Several nodes share one database: Wolverine runs in Balanced mode and distributes the async projections so
    /// each runs on exactly one node at a time, moving when a node stops. One node alone needs none of that (Solo).
    /// </summary>
    public bool Cluster { get; set; }

    /// <summary>
    /// Apply schema changes when the app starts. Off when the app connects as the append-only app role: the owner role
    /// applies the schema beforehand (<c>db-apply</c>, as ops/run and the container entry point do; docs/audit.md).
    /// </summary>
    public bool ApplySchemaOnStartup { get; set; } = true;

    /// <summary>Largest number of rows in one bulk import.</summary>
    public int MaxImportRows { get; set; } = 20_000;

    /// <summary>Largest number of accounts in one account import (one transaction opens or updates them all).</summary>
    public int MaxAccountImportRows { get; set; } = 1_000;

    /// <summary>How many account snapshots each node keeps in memory for writing (Marten's aggregate cache).</summary>
    public int AggregateCacheSize { get; set; } = 10_000;

    /// <summary>How long the first answer to an Idempotency-Key is kept for retries (ADR 0010).</summary>
    public TimeSpan IdempotencyKeyLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The folder of the app's own files (signing key, checkpoints, evidence, mail): ValueLedger:DataDirectory, else .data beside the app.</summary>
    public static string DataDirectory(IConfiguration configuration) =>
        configuration[$"{Section}:DataDirectory"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, ".data");

    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Marten")
        ?? configuration["VALUELEDGER_DATABASE"]
        ?? throw new InvalidOperationException(
            "No database configured. Set ConnectionStrings__Marten (or VALUELEDGER_DATABASE) to an Npgsql connection string, or start with ops/run, which runs a private PostgreSQL.");
}
