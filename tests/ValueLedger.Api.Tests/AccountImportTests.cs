using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using MiniExcelLibs;

namespace ValueLedger.Api.Tests;

/// <summary>A CRM's accounts in bulk, keyed by its ids (issue 17, item 4): CSV, .xlsx or JSON, all or nothing.</summary>
public sealed class when_accounts_are_imported_from_a_crm(AppFixture app) : IntegrationContext(app)
{
    private const string Header = "system,externalId,name,industry,segment,currency,approach,owner";
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private Task<HttpResponseMessage> ImportCsvAsync(params string[] lines) =>
        Http.PostAsync("/api/accounts/import", new StringContent(string.Join('\n', [Header, .. lines]), Encoding.UTF8, "text/csv"));

    [Fact]
    public async Task new_ids_open_accounts_known_ones_update_and_unchanged_ones_are_left_alone()
    {
        await PutAsync("/api/accounts/by-external-id/salesforce/001B", AnAccount("Bravo"));
        await PutAsync("/api/accounts/by-external-id/salesforce/001C", AnAccount("Charlie"));

        var response = await ImportCsvAsync(
            "salesforce,001A,Alpha,Food processing,enterprise,EUR,processCentric,maria",
            "salesforce,001B,Bravo Group,Food processing,enterprise,EUR,processCentric,maria",
            "salesforce,001C,Charlie,Food processing,enterprise,EUR,processCentric,maria");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await ReadAsync(response);
        Assert.Equal((1, 1, 1), ((int)result["created"]!, (int)result["updated"]!, (int)result["unchanged"]!));
        var rows = result["accounts"]!.AsArray();
        Assert.Equal(["created", "updated", "unchanged"], rows.Select(r => (string)r!["outcome"]!));
        Assert.Equal(["line 2", "line 3", "line 4"], rows.Select(r => (string)r!["row"]!));
        var alpha = await GetJsonAsync($"/api/accounts/{(Guid)rows[0]!["id"]!}");
        Assert.Equal(("Alpha", "001A"), ((string)alpha["name"]!, (string)alpha["externalIds"]!["salesforce"]!));
        Assert.Equal("Bravo Group", (string)(await GetJsonAsync("/api/accounts/by-external-id/salesforce/001B"))["name"]!);
        Assert.Equal(2, (long)(await GetJsonAsync("/api/accounts/by-external-id/salesforce/001C"))["version"]!);
        Assert.Equal(3, (int)(await GetJsonAsync("/api/accounts"))["totalItems"]!);
    }

    [Fact]
    public async Task an_excel_workbook_imports_like_csv()
    {
        using var workbook = new MemoryStream();
        await workbook.SaveAsAsync(new[]
        {
            new Dictionary<string, object> { ["system"] = "hubspot", ["externalId"] = 4711, ["name"] = "Delta", ["industry"] = "Steel",
                ["segment"] = "midMarket", ["currency"] = "EUR", ["approach"] = "outcomeCentric", ["owner"] = "ann" }
        }, excelType: ExcelType.XLSX);
        var content = new ByteArrayContent(workbook.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue(Xlsx);

        var response = await Http.PostAsync("/api/accounts/import", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var delta = await GetJsonAsync("/api/accounts/by-external-id/hubspot/4711");
        Assert.Equal(("Delta", "outcomeCentric"), ((string)delta["name"]!, (string)delta["approach"]!));
    }

    [Fact]
    public async Task every_bad_row_is_named_with_its_field_and_nothing_is_imported()
    {
        var response = await ImportCsvAsync(
            "salesforce,001A,Alpha,Food processing,enterprise,EUR,processCentric,maria",
            "Sales Force,001B,Bravo,Food processing,enterprise,EURO,magicCentric,maria",
            "salesforce,001A,Alpha again,Food processing,enterprise,EUR,processCentric,maria");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await ReadAsync(response))["errors"]!.AsObject().Select(e => e.Key).Order().ToList();
        Assert.Equal(["line 3.approach", "line 3.currency", "line 3.system", "line 4.externalId"], errors);
        Assert.Equal(0, (int)(await GetJsonAsync("/api/accounts"))["totalItems"]!);
    }

    [Fact]
    public async Task a_row_the_account_refuses_refuses_the_whole_import()
    {
        await PutAsync("/api/accounts/by-external-id/salesforce/001B", AnAccount("Bravo"));

        var response = await ImportCsvAsync(
            "salesforce,001A,Alpha,Food processing,enterprise,EUR,processCentric,maria",
            "salesforce,001B,Bravo,Food processing,enterprise,USD,processCentric,maria");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await ReadAsync(response);
        Assert.StartsWith("Currency cannot change", (string)problem["errors"]!["line 3"]![0]!);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/api/accounts/by-external-id/salesforce/001A")).StatusCode);
        Assert.Equal(1, (int)(await GetJsonAsync("/api/accounts"))["totalItems"]!);
    }

    [Fact]
    public async Task json_rows_and_a_missing_column_are_answered_too()
    {
        var json = await Http.PostAsJsonAsync("/api/accounts/import", new
        {
            rows = new[] { new { system = "salesforce", externalId = "9", name = "Echo", industry = "Retail", segment = "smb", currency = "eur", approach = "productCentric", owner = "li" } }
        });
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        Assert.Equal("EUR", (string)(await GetJsonAsync("/api/accounts/by-external-id/salesforce/9"))["currency"]!);

        var missing = await Http.PostAsync("/api/accounts/import", new StringContent("system,externalId,name\nsalesforce,1,A", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("industry", (string)(await ReadAsync(missing))["errors"]!["header"]![0]!);

        var broken = new ByteArrayContent("not a zip"u8.ToArray());
        broken.Headers.ContentType = new MediaTypeHeaderValue(Xlsx);
        var unreadable = await Http.PostAsync("/api/accounts/import", broken);
        Assert.Equal(HttpStatusCode.BadRequest, unreadable.StatusCode);
        Assert.NotNull((await ReadAsync(unreadable))["errors"]!["xlsx"]);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType,
            (await Http.PostAsync("/api/accounts/import", new StringContent("x", Encoding.UTF8, "text/plain"))).StatusCode);
    }

    private Task<HttpResponseMessage> PutAsync(string url, object body) => Http.PutAsJsonAsync(url, body, JsonOptions);
}
