using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ValueLedger.Api.Features.Measurements;
using ValueLedger.Api.Infrastructure;
using Wolverine;

namespace ValueLedger.Api.Tests;

public sealed class when_measurements_keep_arriving(AppFixture app) : IntegrationContext(app)
{
    /// <summary>The scheduled freshness checks Wolverine holds for an account, in PostgreSQL, with when each runs.</summary>
    private async Task<List<DateTimeOffset>> ScheduledChecksAsync(Guid accountId)
    {
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("ConnectionStrings__Marten"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select execution_time from {store.Options.DatabaseSchemaName}.wolverine_incoming_envelopes " +
            "where status = 'Scheduled' and message_type like '%CheckFreshness%' and position(@account in body) > 0 " +
            "order by execution_time", connection);
        command.Parameters.AddWithValue("account", System.Text.Encoding.UTF8.GetBytes(accountId.ToString())); // the message inside the stored envelope
        var times = new List<DateTimeOffset>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) times.Add(new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(0), DateTimeKind.Utc), TimeSpan.Zero));
        return times;
    }

    [Fact]
    public async Task one_freshness_check_stays_outstanding_per_commitment()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        for (var month = 1; month <= 4; month++) await RecordAsync(accountId, commitmentId, AMonth(month, 90 - month));

        // The check scheduled with the commitment, not one more per measurement.
        Assert.Single(await ScheduledChecksAsync(accountId));
    }

    [Fact]
    public async Task a_check_that_finds_it_fresh_schedules_its_successor_for_the_next_due_day()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        for (var month = 1; month <= 4; month++) await RecordAsync(accountId, commitmentId, AMonth(month, 90 - month));
        App.Clock.Now = new DateTimeOffset(2026, 5, 2, 0, 0, 0, TimeSpan.Zero);

        var before = await ScheduledChecksAsync(accountId);

        using var scope = Host.Services.CreateScope();
        var sentAfter = DateTimeOffset.UtcNow;
        await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync<Written>(CheckFreshness.Watch(accountId, commitmentId));
        var sentBefore = DateTimeOffset.UtcNow;

        // April measured: the next one is due by the end of June, so look on July 1st, 60 days after the ledger's
        // "now" (Wolverine's scheduler is handed the delay, on the system clock).
        var successor = Assert.Single((await ScheduledChecksAsync(accountId)).Except(before));
        var untilJuly = TimeSpan.FromDays(60);
        Assert.InRange(successor, sentAfter.Add(untilJuly).AddSeconds(-1), sentBefore.Add(untilJuly).AddSeconds(1));
        Assert.Equal("onTrack", (string)(await GetJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}"))["status"]!);
    }
}
