using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CsvHelper;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using ValueLedger.Api.Features.Audit;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Domain;

namespace ValueLedger.Api.Tests.Audit;

public sealed class when_an_auditor_reads_an_account_history(AppFixture app) : AuditContext(app)
{
    [Fact]
    public async Task it_lists_every_event_oldest_first_with_who_why_and_its_seal()
    {
        var (accountId, _, _) = await BuildAccountAsync();

        var history = (await GetAsAuditorAsync($"/api/accounts/{accountId}/history")).AsArray();

        Assert.Equal(
            ["account_opened", "value_committed", "measurement_recorded", "measurement_recorded", "measurement_corrected", "account_prioritised"],
            history.Select(e => (string)e!["type"]!));
        Assert.Equal([1L, 2, 3, 4, 5, 6], history.Select(e => (long)e!["version"]!));
        Assert.Equal(history.Select(e => (long)e!["sequence"]!).Order(), history.Select(e => (long)e!["sequence"]!));
        Assert.All(history, e => Assert.Equal("valueledger-local|casey.csm", (string)e!["recordedBy"]!));
        Assert.All(history, e => Assert.False(string.IsNullOrEmpty((string?)e!["correlationId"])));
        Assert.Equal("ERP export double-counted one line", (string)history[4]!["reason"]!);
        Assert.Equal("CFO tracks TCO", (string)history[5]!["reason"]!);
        Assert.Null(history[2]!["reason"]);
        Assert.Equal(91m, (decimal)history[4]!["data"]!["value"]!);

        Assert.Equal("", (string)history[0]!["previousHash"]!);
        for (var i = 1; i < history.Count; i++)
            Assert.Equal((string)history[i - 1]!["hash"]!, (string)history[i]!["previousHash"]!);
        Assert.All(history, e => Assert.Matches("^[0-9a-f]{64}$", (string)e!["hash"]!));
    }

    [Fact]
    public async Task the_json_lines_and_csv_exports_carry_the_same_events()
    {
        var (accountId, _, _) = await BuildAccountAsync();
        var history = (await GetAsAuditorAsync($"/api/accounts/{accountId}/history")).AsArray();

        var jsonl = await Auditor.GetAsync($"/api/accounts/{accountId}/history?format=jsonl");
        Assert.Equal(HttpStatusCode.OK, jsonl.StatusCode);
        Assert.Equal("application/x-ndjson", jsonl.Content.Headers.ContentType!.MediaType);
        var lines = (await jsonl.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(history.Count, lines.Length);
        for (var i = 0; i < lines.Length; i++) Assert.True(JsonNode.DeepEquals(history[i], JsonNode.Parse(lines[i])));

        var csv = await Auditor.GetAsync($"/api/accounts/{accountId}/history?format=csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"history-{accountId}.csv", csv.Content.Headers.ContentDisposition!.FileNameStar ?? csv.Content.Headers.ContentDisposition.FileName);
        await using var reader = CsvReader.Create(await csv.Content.ReadAsStreamAsync());
        var rows = reader.GetRecords<HistoryCsvRow>().ToList();
        Assert.Equal(history.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var (row, entry) = (rows[i], history[i]!);
            Assert.Equal(((long)entry["sequence"]!, (long)entry["version"]!, (string)entry["type"]!), (row.Sequence, row.Version, row.Type));
            // CSV has no null: an absent reason is an empty field.
            Assert.Equal(((string?)entry["recordedBy"], (string?)entry["reason"] ?? "", (string?)entry["correlationId"]), (row.RecordedBy, row.Reason ?? "", row.CorrelationId));
            Assert.Equal(((string)entry["hash"]!, (string)entry["previousHash"]!), (row.Hash, row.PreviousHash ?? ""));
            Assert.Equal((DateTimeOffset)entry["recordedAt"]!, row.RecordedAt);
            Assert.True(JsonNode.DeepEquals(entry["data"], JsonNode.Parse(row.Data)));
        }
    }

    [Fact]
    public async Task a_long_history_streams_out_whole_in_every_format()
    {
        var accountId = await OpenAccountAsync();
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        const int prioritisations = 3000;
        for (var batch = 0; batch < prioritisations / 500; batch++)
        {
            await using var session = store.LightweightSession();
            session.LastModifiedBy = "bulk.loader";
            session.Events.Append(accountId, Enumerable.Range(0, 500).Select(i =>
                (object)new AccountPrioritised(accountId, Level.High, Level.Medium, PriorityTier.ValueProspect, $"review {batch * 500 + i}", AppFixture.Today)));
            await session.SaveChangesAsync();
        }
        var total = prioritisations + 1;

        var json = (await GetAsAuditorAsync($"/api/accounts/{accountId}/history")).AsArray();
        Assert.Equal(Enumerable.Range(1, total).Select(v => (long)v), json.Select(e => (long)e!["version"]!));
        var jsonl = await (await Auditor.GetAsync($"/api/accounts/{accountId}/history?format=jsonl")).Content.ReadAsStringAsync();
        Assert.Equal(total, jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        await using var reader = CsvReader.Create(await (await Auditor.GetAsync($"/api/accounts/{accountId}/history?format=csv")).Content.ReadAsStreamAsync());
        Assert.Equal(total, reader.GetRecords<HistoryCsvRow>().Count());

        var verification = await GetAsAuditorAsync($"/api/audit/verification?accountId={accountId}");
        Assert.True((bool)verification["verified"]!, verification.ToJsonString());
        Assert.Equal(total, (long)verification["eventsChecked"]!);
    }

    [Fact]
    public async Task archiving_an_account_is_refused_because_it_would_rewrite_sealed_events()
    {
        // Marten archives a stream by updating is_archived on its events; the archive flag is sealed and sealed rows
        // are append-only, so the ledger refuses and the account keeps its history and its chain, untouched.
        var (accountId, _, _) = await BuildAccountAsync();
        await using (var session = Host.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.Events.ArchiveStream(accountId);
            var refused = await Assert.ThrowsAsync<Marten.Exceptions.MartenCommandException>(() => session.SaveChangesAsync());
            Assert.Contains("append-only", refused.Message);
        }

        Assert.Equal(6, (await GetAsAuditorAsync($"/api/accounts/{accountId}/history")).AsArray().Count);
        Assert.True((bool)(await GetAsAuditorAsync($"/api/audit/verification?accountId={accountId}"))["verified"]!);
    }

    [Fact]
    public async Task only_auditors_and_admins_read_history_and_a_customer_not_even_its_own()
    {
        var (accountId, _, _) = await BuildAccountAsync();
        var url = $"/api/accounts/{accountId}/history";

        Assert.Equal(HttpStatusCode.OK, (await App.ClientFor(Roles.Admin).GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await App.ClientFor(Roles.Csm).GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await App.ClientFor(Roles.Executive).GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await App.ClientFor(Roles.Customer, "jane@buyer.example", accountId).GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await App.ClientFor(Roles.Customer, "jane@buyer.example", accountId).GetAsync($"{url}?format=csv")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.ClientFor(null).GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task an_unknown_account_is_404_and_an_unknown_format_400()
    {
        var (accountId, _, _) = await BuildAccountAsync();

        var unknown = await Auditor.GetAsync($"/api/accounts/{Guid.NewGuid()}/history?format=csv");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType!.MediaType);

        var format = await Auditor.GetAsync($"/api/accounts/{accountId}/history?format=xlsx");
        Assert.Equal(HttpStatusCode.BadRequest, format.StatusCode);
        Assert.NotNull((await ReadAsync(format))["errors"]!["format"]);
    }
}
