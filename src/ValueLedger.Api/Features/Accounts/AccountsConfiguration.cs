using JasperFx.Events.Projections;

namespace ValueLedger.Api.Features.Accounts;

public static class AccountsConfiguration
{
    /// <summary>
    /// The account's read side in Marten: its snapshot and summaries projected inline with each append, the snapshot
    /// cached for writing, the list's filters indexed, and the external-id links of the systems of record.
    /// </summary>
    public static IServiceCollection AddValueLedgerAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(ValueLedgerSettings.Section).Get<ValueLedgerSettings>() ?? new ValueLedgerSettings();
        services.ConfigureMarten(opts =>
        {
            opts.Projections.Add<AccountProjection>(ProjectionLifecycle.Inline);
            // The snapshot each write starts from stays in memory after its commit, so the next command on that
            // account reads only the stream version, not the document (Marten takes it out while in use and puts
            // it back only after a successful commit, and uses it only at the exact version).
            opts.Events.CacheAggregatesForWriting<Account>(settings.AggregateCacheSize);
            opts.Schema.For<Account>().Index(a => a.Name).Index(a => a.Approach).Index(a => a.Segment).Index(a => a.Owner);
            opts.Schema.For<ExternalIdLink>().Index(l => l.AccountId);
        });
        return services;
    }
}
