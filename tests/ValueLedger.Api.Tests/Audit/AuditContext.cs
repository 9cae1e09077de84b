using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests.Audit;

/// <summary>Audit tests speak as an auditor, build a small ledger through the API and reach into PostgreSQL directly.</summary>
public abstract class AuditContext(AppFixture app) : IntegrationContext(app)
{
    public const string Schema = "vl_tests";

    protected HttpClient Auditor => App.ClientFor(Roles.Auditor, "ada.auditor");

    protected async Task<JsonNode> GetAsAuditorAsync(string url)
    {
        var response = await Auditor.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await ReadAsync(response);
    }

    /// <summary>
    /// An account with six events: opened, committed, January and February measured, January corrected with a reason,
    /// the account prioritised.
    /// </summary>
    protected async Task<(Guid AccountId, Guid CommitmentId, Guid January)> BuildAccountAsync()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var january = await RecordAsync(accountId, commitmentId, AMonth(1, 90));
        await RecordAsync(accountId, commitmentId, AMonth(2, 86));
        await CorrectAsync(accountId, commitmentId, january, 91, "ERP export double-counted one line");
        Assert.Equal(HttpStatusCode.Created, (await PostAsync($"/api/accounts/{accountId}/prioritisation",
            new { abilityToPay = "high", willingnessToPay = "medium", note = "CFO tracks TCO" })).StatusCode);
        return (accountId, commitmentId, january);
    }

    protected async Task CorrectAsync(Guid accountId, Guid commitmentId, Guid measurementId, decimal value, string reason) =>
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(
            $"/api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}/corrections",
            new { value, reason, evidenceUrl = "https://erp.example/scrap/2026/fixed" })).StatusCode);

    protected static async Task<NpgsqlConnection> OpenDatabaseAsync()
    {
        var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("ConnectionStrings__Marten"));
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Runs SQL straight against PostgreSQL, as someone with write access to the tables could.</summary>
    protected static async Task<int> ExecuteSqlAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenDatabaseAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// An attack mounted as a database superuser: the trigger that refuses to change sealed rows is switched off for
    /// it (a superuser can), the sealing trigger stays on (it seals whatever the attacker inserts).
    /// </summary>
    protected static Task<int> AttackAsync(string sql, params (string Name, object Value)[] parameters) => ExecuteSqlAsync(
        $"alter table {Schema}.mt_events disable trigger vl_refuse_sealed_change;\n{sql};\nalter table {Schema}.mt_events enable trigger vl_refuse_sealed_change;",
        parameters);

    /// <summary>The ledger database's clock, the one event times are compared with.</summary>
    protected static async Task<DateTimeOffset> DatabaseNowAsync()
    {
        await using var connection = await OpenDatabaseAsync();
        await using var command = new NpgsqlCommand("select clock_timestamp()", connection);
        return new DateTimeOffset((DateTime)(await command.ExecuteScalarAsync())!, TimeSpan.Zero);
    }

    protected static string Iso(DateTimeOffset time) => Uri.EscapeDataString(time.ToString("O"));
}
