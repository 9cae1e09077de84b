using System.Net;
using System.Text;

namespace ValueLedger.Api.Tests;

public sealed class when_measurements_are_imported(AppFixture app) : IntegrationContext(app)
{
    /// <summary>The rows cover the first quarter of 2026: only ended periods are measured, so the imports happen after it.</summary>
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        TimePassesUntilEnded(new DateOnly(2026, 3, 31));
    }

    private Task<HttpResponseMessage> ImportCsvAsync(Guid accountId, string csv) =>
        Http.PostAsync($"/api/accounts/{accountId}/measurements/import", new StringContent(csv, Encoding.UTF8, "text/csv"));

    [Fact]
    public async Task a_row_for_a_period_not_ended_is_recorded_when_marked_provisional()
    {
        App.Clock.Now = new DateTimeOffset(2026, 2, 10, 9, 0, 0, TimeSpan.Zero); // February has not ended
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var bad = await Http.PostAsync($"/api/accounts/{accountId}/measurements/import", new StringContent($"""
            commitmentId,periodStart,periodEnd,value,provisional
            {commitmentId},2026-02-01,2026-02-28,85,maybe
            """, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await ReadAsync(bad))["errors"]!.AsObject().ContainsKey("line 2.provisional"));

        var response = await Http.PostAsync($"/api/accounts/{accountId}/measurements/import", new StringContent($"""
            commitmentId,periodStart,periodEnd,value,provisional
            {commitmentId},2026-01-01,2026-01-31,90,
            {commitmentId},2026-02-01,2026-02-28,85,true
            """, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var measurements = (await GetJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}"))["measurements"]!.AsArray();
        Assert.Equal([false, true], measurements.Select(m => (bool)m!["provisional"]!));
        Assert.Equal(10_000m, (decimal)(await GetJsonAsync($"/api/accounts/{accountId}"))["realizedValue"]!); // February counts in no total yet
    }

    [Fact]
    public async Task a_csv_records_every_row_as_an_import()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var csv = $"""
            commitmentId,periodStart,periodEnd,value,source,evidenceUrl,note
            {commitmentId},2026-01-01,2026-01-31,90,,https://erp.example/jan,first
            {commitmentId},2026-02-01,2026-02-28,88,system,,
            {commitmentId},2026-03-01,2026-03-31,86.5,,,"quoted, with comma"
            """;

        var response = await ImportCsvAsync(accountId, csv);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(3, (int)(await ReadAsync(response))["imported"]!);
        var commitment = await GetJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}");
        var measurements = commitment["measurements"]!.AsArray();
        Assert.Equal([90m, 88m, 86.5m], measurements.Select(m => (decimal)m!["value"]!));
        Assert.Equal(["import", "system", "import"], measurements.Select(m => (string)m!["source"]!));
        Assert.Equal("quoted, with comma", (string)measurements[2]!["note"]!);
    }

    [Fact]
    public async Task bad_rows_are_named_by_line_and_field_and_nothing_is_written()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var csv = $"""
            commitmentId,periodStart,periodEnd,value
            {commitmentId},2026-01-01,2026-01-31,90
            {commitmentId},2026-02-30,2026-02-28,88
            {commitmentId},2026-03-01,2026-03-31,eighty
            """;

        var response = await ImportCsvAsync(accountId, csv);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await ReadAsync(response))["errors"]!.AsObject().Select(e => e.Key).ToList();
        Assert.Contains("line 3.periodStart", errors);
        Assert.Contains("line 4.value", errors);
        var commitment = await GetJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}");
        Assert.Empty(commitment["measurements"]!.AsArray());
    }

    [Fact]
    public async Task rows_that_overlap_each_other_or_the_ledger_refuse_the_whole_import()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        await RecordAsync(accountId, commitmentId, AMonth(1, 90));
        var csv = $"""
            commitmentId,periodStart,periodEnd,value
            {commitmentId},2026-02-01,2026-02-28,88
            {commitmentId},2026-01-15,2026-01-31,89
            {commitmentId},2026-02-10,2026-02-20,87
            """;

        var response = await ImportCsvAsync(accountId, csv);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var errors = (await ReadAsync(response))["errors"]!.AsObject().Select(e => e.Key).ToList();
        Assert.Equal(["line 3", "line 4"], errors);
        var commitment = await GetJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}");
        Assert.Single(commitment["measurements"]!.AsArray());
    }

    [Fact]
    public async Task json_rows_import_the_same_way()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var good = await PostAsync($"/api/accounts/{accountId}/measurements/import", new
        {
            rows = Enumerable.Range(1, 12).Select(m => new
            {
                commitmentId, periodStart = new DateOnly(2026, m, 1).ToString("O"),
                periodEnd = new DateOnly(2026, m, 1).AddMonths(1).AddDays(-1).ToString("O"), value = 100 - m
            })
        });
        Assert.Equal(HttpStatusCode.Created, good.StatusCode);

        var bad = await PostRawAsync($"/api/accounts/{accountId}/measurements/import",
            $$"""{"rows":[{"commitmentId":"{{commitmentId}}","periodStart":"2026-01-01"},{"commitmentId":"nope","periodStart":"2026-01-01","periodEnd":"2026-01-31","value":1}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await ReadAsync(bad))["errors"]!.AsObject().Select(e => e.Key).ToList();
        Assert.Contains("rows[0].periodEnd", errors);
        Assert.Contains("rows[0].value", errors);
        Assert.Contains("rows[1].commitmentId", errors);
    }

    [Fact]
    public async Task unknown_formats_empty_imports_and_unknown_commitments_are_refused()
    {
        var accountId = await OpenAccountAsync();
        var xml = await Http.PostAsync($"/api/accounts/{accountId}/measurements/import", new StringContent("<rows/>", Encoding.UTF8, "application/xml"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, xml.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ImportCsvAsync(accountId, "commitmentId,periodStart,periodEnd,value\n")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ImportCsvAsync(accountId, "a,b\n1,2\n")).StatusCode);
        var unknown = await ImportCsvAsync(accountId, $"commitmentId,periodStart,periodEnd,value\n{Guid.NewGuid()},2026-01-01,2026-01-31,90\n");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
    }

    [Fact]
    public async Task a_preview_lists_every_row_with_what_is_wrong_with_it_and_writes_nothing()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        Assert.Equal(HttpStatusCode.Created, (await ImportCsvAsync(accountId, $"""
            commitmentId,periodStart,periodEnd,value
            {commitmentId},2026-01-01,2026-01-31,90
            """)).StatusCode);
        var before = (long)(await GetJsonAsync($"/api/accounts/{accountId}"))["version"]!;

        var preview = await Http.PostAsync($"/api/accounts/{accountId}/measurements/import?preview=true", new StringContent($"""
            commitmentId,periodStart,periodEnd,value
            {commitmentId},2026-02-01,2026-02-28,88
            {commitmentId},2026-03-01,2026-03-31,eighty
            {commitmentId},2026-01-15,2026-01-31,89
            {Guid.NewGuid()},2026-02-01,2026-02-28,70
            """, Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var body = await ReadAsync(preview);
        Assert.Equal((4, 1, 3), ((int)body["rows"]!, (int)body["valid"]!, (int)body["invalid"]!));
        var items = body["items"]!.AsArray();
        Assert.Equal(["line 2", "line 3", "line 4", "line 5"], items.Select(i => (string)i!["label"]!));
        Assert.Empty(items[0]!["errors"]!.AsArray());
        Assert.Equal("Scrap rate", (string)items[0]!["metric"]!);
        Assert.StartsWith("value: Use a decimal number", (string)items[1]!["errors"]![0]!);
        Assert.StartsWith("Period already measured", (string)items[2]!["errors"]![0]!);
        Assert.Single(items[3]!["errors"]!.AsArray());
        Assert.Null(items[3]!["metric"]);
        Assert.Equal(before, (long)(await GetJsonAsync($"/api/accounts/{accountId}"))["version"]!);
    }

    [Fact]
    public async Task an_excel_workbook_imports_with_date_cells_and_the_template_is_one_to_fill_in()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        using var workbook = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(workbook, new[]
        {
            new Dictionary<string, object?> { ["commitmentId"] = commitmentId.ToString(), ["periodStart"] = new DateTime(2026, 1, 1), ["periodEnd"] = new DateTime(2026, 1, 31), ["value"] = 90.5m, ["note"] = "from the plant sheet" },
            new Dictionary<string, object?> { ["commitmentId"] = commitmentId.ToString(), ["periodStart"] = new DateTime(2026, 2, 1), ["periodEnd"] = new DateTime(2026, 2, 28), ["value"] = 88, ["note"] = null }
        }, excelType: MiniExcelLibs.ExcelType.XLSX);
        var content = new ByteArrayContent(workbook.ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

        var response = await Http.PostAsync($"/api/accounts/{accountId}/measurements/import", content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var measurements = (await GetJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}"))["measurements"]!.AsArray();
        Assert.Equal([("2026-01-31", 90.5m), ("2026-02-28", 88m)], measurements.Select(m => ((string)m!["periodEnd"]!, (decimal)m["value"]!)));
        Assert.Equal("from the plant sheet", (string)measurements[0]!["note"]!);

        // The template names the import's columns and the commitment, dated to its latest complete month (March).
        var csv = await Http.GetStringAsync($"/api/accounts/{accountId}/measurements/import/template");
        var lines = csv.Trim().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal("commitmentId,metric,periodStart,periodEnd,value,source,evidenceUrl,note,provisional", lines[0]);
        Assert.Equal($"{commitmentId},Scrap rate,2026-03-01,2026-03-31,,import,,,false", lines[1]);
        var xlsx = await Http.GetAsync($"/api/accounts/{accountId}/measurements/import/template?format=xlsx");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType!.MediaType);
        using var template = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
        var row = Assert.Single(MiniExcelLibs.MiniExcel.Query(template, useHeaderRow: true, excelType: MiniExcelLibs.ExcelType.XLSX).Cast<IDictionary<string, object>>());
        Assert.Equal(commitmentId.ToString(), (string)row["commitmentId"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.GetAsync($"/api/accounts/{accountId}/measurements/import/template?format=pdf")).StatusCode);
    }
}
