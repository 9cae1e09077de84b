using Npgsql;

namespace ValueLedger.Api.Tests.Audit;

/// <summary>The app's database role (ops/lib/roles.sql, as ops/run grants it) appends and reads events, and nothing more.</summary>
public sealed class when_the_app_connects_as_its_append_only_role(AppFixture app) : AuditContext(app)
{
    private const string AppRole = "vl_tests_app";

    private static string RolesSql()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "ValueLedger.sln"))) folder = folder.Parent;
        return File.ReadAllText(Path.Combine(folder!.FullName, "ops", "lib", "roles.sql"));
    }

    /// <summary>roles.sql with its psql variables and meta-commands spelled out, run as the superuser.</summary>
    private static async Task GrantAsync()
    {
        var sql = string.Join('\n', RolesSql().Split('\n').Where(l => !l.StartsWith('\\')))
            .Replace(":\"schema\"", Schema).Replace(":\"app_role\"", AppRole);
        await ExecuteSqlAsync($"""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{AppRole}') THEN CREATE ROLE {AppRole} LOGIN; END IF;
            END $$;
            {sql}
            """);
    }

    private static async Task<NpgsqlConnection> ConnectAsAppAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("ConnectionStrings__Marten")) { Username = AppRole, Password = null };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<PostgresException> RefusedAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
    }

    [Fact]
    public async Task it_reads_and_appends_events_but_cannot_update_delete_or_truncate_them()
    {
        var accountId = await OpenAccountAsync();
        await GrantAsync();
        await using var connection = await ConnectAsAppAsync();

        await using (var read = new NpgsqlCommand($"select count(*) from {Schema}.mt_events where stream_id = '{accountId}'", connection))
            Assert.Equal(1L, (long)(await read.ExecuteScalarAsync())!);
        await using (var append = new NpgsqlCommand($"""
            insert into {Schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type)
            select nextval('{Schema}.mt_events_sequence'), gen_random_uuid(), stream_id, 2, data, 'account_prioritised', now(), tenant_id, mt_dotnet_type
            from {Schema}.mt_events where stream_id = '{accountId}' and version = 1
            """, connection))
            Assert.Equal(1, await append.ExecuteNonQueryAsync());

        var where = $"where stream_id = '{accountId}'";
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await RefusedAsync(connection, $"update {Schema}.mt_events set data = '{{}}' {where}")).SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await RefusedAsync(connection, $"delete from {Schema}.mt_events {where}")).SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await RefusedAsync(connection, $"truncate {Schema}.mt_events")).SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await RefusedAsync(connection, $"delete from {Schema}.mt_streams where id = '{accountId}'")).SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege,
            (await RefusedAsync(connection, $"alter table {Schema}.mt_events disable trigger vl_refuse_sealed_change")).SqlState);
    }

    [Fact]
    public async Task even_a_role_allowed_to_update_cannot_change_a_sealed_event()
    {
        // The trigger holds whoever asks, short of someone who may switch triggers off (the owner or a superuser).
        var accountId = await OpenAccountAsync();
        var refused = await Assert.ThrowsAsync<PostgresException>(() =>
            ExecuteSqlAsync($"update {Schema}.mt_events set data = '{{}}' where stream_id = @s", ("s", accountId)));
        Assert.Contains("append-only", refused.MessageText);
        refused = await Assert.ThrowsAsync<PostgresException>(() =>
            ExecuteSqlAsync($"delete from {Schema}.mt_events where stream_id = @s", ("s", accountId)));
        Assert.Contains("append-only", refused.MessageText);
    }
}
