using Npgsql;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests;

/// <summary>Marten's command log leaves out only the lost races optimistic concurrency expects (Wolverine retries them).</summary>
public sealed class when_marten_logs_a_failed_command
{
    private static PostgresException Failure(string sqlState, string? constraint = null) =>
        new("failed", "ERROR", "ERROR", sqlState, constraintName: constraint);

    [Fact]
    public void a_lost_race_on_a_stream_is_not_an_error_and_every_other_failure_is()
    {
        Assert.True(MartenCommandLog.IsLostRace(Failure("MT003")));
        Assert.True(MartenCommandLog.IsLostRace(Failure(PostgresErrorCodes.UniqueViolation, "pk_mt_events_stream_and_version")));
        // The same key error on another table (a repeated idempotency key, a document inserted twice) is still logged.
        Assert.False(MartenCommandLog.IsLostRace(Failure(PostgresErrorCodes.UniqueViolation, "pkey_mt_doc_idempotentrequest_id")));
        Assert.False(MartenCommandLog.IsLostRace(Failure(PostgresErrorCodes.UniqueViolation, "pkey_mt_events_seq_id")));
        Assert.False(MartenCommandLog.IsLostRace(Failure(PostgresErrorCodes.DeadlockDetected)));
        Assert.False(MartenCommandLog.IsLostRace(new InvalidOperationException("MT003")));
    }
}
