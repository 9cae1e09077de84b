using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ValueLedger.Api.Features.Audit;
using ValueLedger.Domain.Audit;
using Weasel.Core;

namespace ValueLedger.Api.Tests.Audit;

public sealed class when_events_are_appended(AppFixture app) : AuditContext(app)
{
    [Fact]
    public async Task the_seal_is_part_of_the_schema_marten_manages_and_needs_no_further_change()
    {
        var store = (DocumentStore)Host.Services.GetRequiredService<IDocumentStore>();
        var migration = await store.Storage.Database.CreateMigrationAsync(store.Options.Storage.FindFeature(typeof(EventSealing)), CancellationToken.None);
        Assert.Equal(SchemaPatchDifference.None, migration.Difference);
    }

    [Fact]
    public async Task each_event_row_carries_its_seal_inside_the_transaction_that_writes_it()
    {
        var accountId = await OpenAccountAsync();
        await using var connection = await OpenDatabaseAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand($"""
            insert into {Schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, user_name, correlation_id)
            select nextval('{Schema}.mt_events_sequence'), gen_random_uuid(), stream_id, 2, data, 'account_prioritised', now(), 'psql', 'req "7"'
            from {Schema}.mt_events where stream_id = @stream and version = 1
            returning headers ->> 'previousHash', headers ->> 'hash', data::text, timestamp,
              (select headers ->> 'hash' from {Schema}.mt_events where stream_id = @stream and version = 1), id
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("stream", accountId);
            await using var row = await insert.ExecuteReaderAsync();
            Assert.True(await row.ReadAsync());
            var (previous, hash, data, time, first, id) = (row.GetString(0), row.GetString(1), row.GetString(2),
                row.GetFieldValue<DateTimeOffset>(3), row.GetString(4), row.GetGuid(5));
            Assert.Equal(first, previous);
            Assert.Equal(EventSeal.Hash(previous, accountId, 2, "account_prioritised", time, "psql", data,
                new EventMetadata(id, false, "req \"7\"", null)), hash);
        }
        await transaction.RollbackAsync();

        var history = (await GetAsAuditorAsync($"/api/accounts/{accountId}/history")).AsArray();
        Assert.Single(history);
    }
}
