using Npgsql;

namespace ValueLedger.Harness;

/// <summary>Direct reads of the event store tables, to check what the API says against what is stored.</summary>
public sealed class Ledger(NpgsqlDataSource db, string schema = "valueledger")
{
    public NpgsqlDataSource Db { get; } = db;
    public string Schema { get; } = schema;

    public async Task<long> ScalarAsync(string sql, params object[] parameters)
    {
        await using var command = Db.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? 0 : Convert.ToInt64(value);
    }

    public Task<long> EventCountAsync() => ScalarAsync($"select count(*) from {Schema}.mt_events");

    /// <summary>The highest committed event sequence (0 when empty): rises with every committed event.</summary>
    public Task<long> HighestSequenceAsync() => ScalarAsync($"select coalesce(max(seq_id), 0) from {Schema}.mt_events");

    public async Task<List<(long Version, string Type, string Data)>> EventsOfAsync(Guid streamId)
    {
        var events = new List<(long, string, string)>();
        await using var command = Db.CreateCommand($"select version, type, data::text from {Schema}.mt_events where stream_id = $1 order by version");
        command.Parameters.Add(new NpgsqlParameter { Value = streamId });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) events.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        return events;
    }

    /// <summary>
    /// The account streams, oldest first. (Marten also keeps an empty "tombstone" stream per process that saw a failed
    /// append, with a random id and no type: it is not an account.)
    /// </summary>
    public async Task<List<Guid>> AccountIdsAsync()
    {
        var ids = new List<Guid>();
        await using var command = Db.CreateCommand($"select id from {Schema}.mt_streams where type = 'account' order by created");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
        return ids;
    }
}
