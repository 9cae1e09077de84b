using JasperFx.Events.Daemon;
using Marten.Services;
using Npgsql;
using Weasel.Core;
using Wolverine.Marten;

namespace ValueLedger.Api.Infrastructure;

public static class Persistence
{
    /// <summary>
    /// Marten as the event store (one stream per account, full event metadata) and Wolverine's integration with it. What
    /// each feature stores (projections, documents, indexes, the hash chain's seal) it registers itself with
    /// <c>ConfigureMarten</c> in its own configuration.
    /// </summary>
    public static IServiceCollection AddValueLedgerPersistence(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(ValueLedgerSettings.Section).Get<ValueLedgerSettings>() ?? new ValueLedgerSettings();
        var connectionString = ValueLedgerSettings.ConnectionString(configuration);

        var marten = services.AddMarten(opts =>
            {
                opts.Connection(connectionString);
                opts.DatabaseSchemaName = settings.Schema;
                // The append-only app role may not change the schema; the owner role applied it (db-apply).
                if (!settings.ApplySchemaOnStartup) opts.AutoCreateSchemaObjects = JasperFx.AutoCreate.None;
                opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase, o => Json.Configure(o));

                opts.Events.StreamIdentity = StreamIdentity.AsGuid;
                opts.Events.MetadataConfig.CorrelationIdEnabled = true;
                opts.Events.MetadataConfig.CausationIdEnabled = true;
                opts.Events.MetadataConfig.HeadersEnabled = true;
                opts.Events.MetadataConfig.UserNameEnabled = true;
                opts.Events.EnableSideEffectsOnInlineProjections = true;
                opts.Events.AddEventTypes([
                    typeof(AccountOpened), typeof(AccountPrioritised), typeof(ValueCommitted), typeof(CommitmentRevised),
                    typeof(CommitmentWithdrawn), typeof(MeasurementRecorded), typeof(MeasurementCorrected),
                    typeof(MeasurementConfirmed), typeof(MeasurementDisputed), typeof(MeasurementsWentStale),
                    typeof(AccountExternalIdLinked), typeof(AccountDetailsChanged), typeof(ExchangeRateRecorded)
                ]);
                opts.Events.AddEventTypes(OutcomeEvents.Types);
                opts.Events.AddEventTypes(VerificationEvents.Types);

                opts.Schema.For<IdempotentRequest>().Index(r => r.ExpiresAt);
            })
            .UseLightweightSessions()
            .IntegrateWithWolverine(w => w.UseWolverineManagedEventSubscriptionDistribution = settings.Cluster);
        services.ConfigureMarten((sp, opts) => opts.Logger(new MartenCommandLog(sp.GetRequiredService<ILogger<IDocumentStore>>())));
        if (settings.ApplySchemaOnStartup) marten.ApplyAllDatabaseChangesOnStartup();
        // On one node Marten's own daemon runs every async projection; in a cluster Wolverine assigns them.
        if (!settings.Cluster) marten.AddAsyncDaemon(DaemonMode.Solo);
        services.AddHostedService<IdempotencyExpiry>();
        return services;
    }
}

/// <summary>
/// Marten's command log, without the conflicts optimistic concurrency expects: two writers on one account make one of
/// them fail its append (MT003, or the stream-and-version key), Wolverine retries it, and a lost race is no error.
/// Marten's default logger writes each such failure at Error with its stack; under contention that was most of the
/// log (430 MB in two minutes of the push benchmark) and much of the CPU. Every other failure is logged as before.
/// </summary>
public sealed class MartenCommandLog(ILogger<IDocumentStore> logger) : IMartenLogger, IMartenSessionLogger
{
    public IMartenSessionLogger StartSession(IQuerySession session) => this;
    public void SchemaChange(string sql) => logger.LogInformation("Executed schema change: {Sql}", sql);

    public void LogSuccess(NpgsqlCommand command) { }
    public void LogSuccess(NpgsqlBatch batch) { }
    public void OnBeforeExecute(NpgsqlCommand command) { }
    public void OnBeforeExecute(NpgsqlBatch batch) { }
    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit) { }

    public void LogFailure(NpgsqlCommand command, Exception ex)
    {
        if (!IsLostRace(ex)) logger.LogError(ex, "Marten encountered an exception executing {Sql}", command.CommandText);
    }

    public void LogFailure(NpgsqlBatch batch, Exception ex)
    {
        if (!IsLostRace(ex))
            logger.LogError(ex, "Marten encountered an exception executing {Sql}", string.Join(";\n", batch.BatchCommands.Cast<NpgsqlBatchCommand>().Select(c => c.CommandText)));
    }

    public void LogFailure(Exception ex, string message)
    {
        if (!IsLostRace(ex)) logger.LogError(ex, "{Message}", message);
    }

    public static bool IsLostRace(Exception ex) => ex is PostgresException
    {
        SqlState: "MT003"
    } or PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "pk_mt_events_stream_and_version" };
}
