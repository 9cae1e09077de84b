using ValueLedger.Api.Features.Audit.Checkpoints;

namespace ValueLedger.Api.Features.Audit;

public static class AuditConfiguration
{
    /// <summary>The hash chain's seal on every append, and signed checkpoints over the ledger tree: the key, the documents, the recurring job and the sinks (docs/audit.md).</summary>
    public static IServiceCollection AddValueLedgerAudit(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<CheckpointSettings>(configuration.GetSection(CheckpointSettings.Section));
        services.AddSingleton<CheckpointKey>();
        services.AddSingleton<ILedgerCheckpoints, LedgerCheckpoints>();
        services.AddHostedService<CheckpointSchedule>();
        services.AddHttpClient(CheckpointWitnessSinkHandler.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.ConfigureMarten(opts =>
        {
            opts.Storage.Add(new EventSealing(opts)); // the hash chain sealed in each append's transaction (ADR 0004)
            opts.Schema.For<StoredCheckpoint>().Index(c => c.TreeSize).Index(c => c.Timestamp);
            opts.Schema.For<LedgerLeaf>().UniqueIndex(l => l.Index);
            opts.Schema.For<LedgerNode>();
        });
        return services;
    }
}
