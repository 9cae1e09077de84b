using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Npgsql;

namespace ValueLedger.Cluster.Tests;

/// <summary>
/// docker-compose.yml's database steps, run here without Docker against a fresh database of the test cluster:
/// the postgres image's init script (ops/postgres-init), <c>db-apply</c> as the database's superuser owner, the
/// <c>db-grant</c> service's psql run of ops/lib/roles.sql, then a node connected as <c>valueledger_app</c> with
/// <c>ValueLedger__ApplySchemaOnStartup=false</c>. The node must work, and its role must not rewrite history.
/// </summary>
public sealed class when_deployed_the_way_compose_deploys : IAsyncLifetime
{
    private const string AppRole = "valueledger_app";
    private const string Schema = "valueledger"; // compose leaves the default
    private readonly ClusterFixture cluster = new();
    private readonly string database = $"vl_compose_{Guid.NewGuid():N}"[..24];
    private readonly string dataDirectory = Directory.CreateTempSubdirectory("vl-compose-").FullName;
    private NpgsqlConnectionStringBuilder superuser = null!;
    private Node? node;

    public async Task InitializeAsync()
    {
        superuser = new NpgsqlConnectionStringBuilder(cluster.ConnectionString);
        await using var admin = new NpgsqlConnection(cluster.ConnectionString);
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"create database {database}", admin);
        await create.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        if (node is not null) await node.StopAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(cluster.ConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database if exists {database} with (force)", admin);
        await drop.ExecuteNonQueryAsync();
        Directory.Delete(dataDirectory, recursive: true);
    }

    private string ConnectionAs(string? role) =>
        new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = database, Username = role ?? superuser.Username }.ConnectionString;

    [Fact]
    public async Task the_node_works_as_the_app_role_which_cannot_change_or_delete_events()
    {
        var repo = RepoRoot();
        // 1. postgres image, first start: /docker-entrypoint-initdb.d/10-app-role.sh
        await RunAsync("sh", [Path.Combine(repo, "ops", "postgres-init", "10-app-role.sh")], new()
        {
            ["POSTGRES_USER"] = superuser.Username!, ["POSTGRES_DB"] = database, ["VALUELEDGER_APP_PASSWORD"] = "compose-test",
            ["PGHOST"] = superuser.Host!, ["PGPORT"] = superuser.Port.ToString(), ["PATH"] = $"{PsqlDirectory()}:{Environment.GetEnvironmentVariable("PATH")}"
        });
        // 2. db-apply: the app's own command, as the owner (compose's POSTGRES_USER)
        await RunAsync("dotnet", [ClusterFixture.AppDll(), "db-apply"], new()
        {
            ["ConnectionStrings__Marten"] = ConnectionAs(null), ["ValueLedger__Cluster"] = "true", ["ValueLedger__DataDirectory"] = dataDirectory
        }, Path.GetDirectoryName(ClusterFixture.AppDll()));
        // 3. db-grant: psql -v schema=valueledger -v app_role=valueledger_app -f roles.sql
        await RunAsync(Path.Combine(PsqlDirectory(), "psql"), ["-h", superuser.Host!, "-p", superuser.Port.ToString(), "-U", superuser.Username!,
            "-d", database, "-v", $"schema={Schema}", "-v", $"app_role={AppRole}", "-f", Path.Combine(repo, "ops", "lib", "roles.sql")], []);

        // 4. a node, connected as the app role, never applying the schema itself
        node = new Node("compose", cluster, port => new()
        {
            ["ConnectionStrings__Marten"] = ConnectionAs(AppRole),
            ["ValueLedger__ApplySchemaOnStartup"] = "false",
            ["ValueLedger__Cluster"] = "true",
            ["ValueLedger__DataDirectory"] = dataDirectory,
            ["Auth__SigningKey"] = cluster.SigningKey,
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        await node.StartAsync();
        using var csm = node.ClientFor("csm");
        var opened = await csm.PostAsJsonAsync("/api/accounts", new
        {
            name = "Compose Foods", industry = "Food processing", segment = "enterprise", currency = "EUR", approach = "processCentric", owner = "maria"
        });
        Assert.True(opened.StatusCode == HttpStatusCode.Created, $"{(int)opened.StatusCode}: {await opened.Content.ReadAsStringAsync()}\n{node.Output()}");
        Assert.Equal(HttpStatusCode.OK, (await csm.GetAsync(opened.Headers.Location)).StatusCode);
        using var admin = node.ClientFor("admin");
        Assert.True((await admin.PostAsJsonAsync("/api/audit/checkpoints", new { })).IsSuccessStatusCode, node.Output());

        // The role the node runs as: no superuser, and history is append-only for it.
        await using var app = new NpgsqlConnection(ConnectionAs(AppRole));
        await app.OpenAsync();
        Assert.False((bool)(await Scalar(app, $"select rolsuper from pg_roles where rolname = '{AppRole}'"))!);
        Assert.True((long)(await Scalar(app, $"select count(*) from {Schema}.mt_events"))! >= 1);
        foreach (var sql in new[]
                 {
                     $"update {Schema}.mt_events set data = data",
                     $"delete from {Schema}.mt_events",
                     $"truncate {Schema}.mt_events",
                     $"delete from {Schema}.mt_streams",
                     $"alter table {Schema}.mt_events disable trigger all",
                     $"create table {Schema}.forged (id int)"
                 })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => Scalar(app, sql));
            Assert.True(refused.SqlState is PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {refused.SqlState} {refused.MessageText}");
        }
    }

    private static async Task<object?> Scalar(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static async Task RunAsync(string file, string[] arguments, Dictionary<string, string> environment, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory ?? RepoRoot()
        };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
    }

    /// <summary>psql of the PostgreSQL that ops/test runs (PG_BIN), else the newest Debian install, else PATH.</summary>
    private static string PsqlDirectory()
    {
        if (Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } bin && File.Exists(Path.Combine(bin, "psql"))) return bin;
        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "psql")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).FirstOrDefault()
            : null;
        return installed ?? "/usr/bin";
    }

    private static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ValueLedger.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("ValueLedger.sln not found above the test output");
    }
}
