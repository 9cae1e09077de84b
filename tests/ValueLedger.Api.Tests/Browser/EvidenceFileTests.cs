using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests.Browser;

/// <summary>
/// Evidence files (issue 16, item 1): uploaded to an account, kept by the SHA-256 of their bytes, named by that hash in
/// the measurement's event, downloaded by whoever may read the account. Through the app on a real Kestrel socket,
/// because the download is a streamed file.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class when_evidence_files_are_uploaded(BrowserFixture app)
{
    private readonly HttpClient _csm = app.ClientFor(Roles.Csm, "sam.okafor");
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    [Fact]
    public async Task a_file_is_kept_by_its_hash_named_in_the_measurement_and_downloaded_by_those_who_may_read_the_account()
    {
        var (accountId, commitmentId) = await OpenAsync();
        var upload = await UploadAsync(_csm, accountId, "scrap-2026-01.pdf", Pdf);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var uploaded = JsonNode.Parse(await upload.Content.ReadAsStringAsync())!;
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(Pdf));
        Assert.Equal(sha256, (string)uploaded["sha256"]!);
        Assert.Equal($"sha256:{sha256}", (string)uploaded["reference"]!);
        Assert.Equal(("scrap-2026-01.pdf", "application/pdf", Pdf.Length), ((string)uploaded["fileName"]!, (string)uploaded["contentType"]!, (int)uploaded["size"]!));
        Assert.Equal($"/api/accounts/{accountId}/evidence/{sha256}", upload.Headers.Location!.ToString());

        // The same bytes again: the same file, the same reference.
        var again = JsonNode.Parse(await (await UploadAsync(_csm, accountId, "copy.pdf", Pdf)).Content.ReadAsStringAsync())!;
        Assert.Equal((string)uploaded["reference"]!, (string)again["reference"]!);
        Assert.Equal("scrap-2026-01.pdf", (string)again["fileName"]!);

        var recorded = await BrowserFixture.PostJsonAsync(_csm, $"/api/accounts/{accountId}/commitments/{commitmentId}/measurements", new
        {
            periodStart = "2026-01-01", periodEnd = "2026-01-31", value = 90, evidenceUrl = $"sha256:{sha256}"
        });
        Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
        var measurement = await app.GetJsonAsync(_csm, recorded.Headers.Location!.ToString());
        Assert.Equal($"sha256:{sha256}", (string)measurement["evidenceUrl"]!);

        foreach (var reader in new[] { _csm, app.ClientFor(Roles.Auditor), app.ClientFor(Roles.Customer, "Jane Buyer", accountId) })
        {
            var download = await reader.GetAsync($"/api/accounts/{accountId}/evidence/{sha256}");
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync());
            Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
            Assert.Equal("scrap-2026-01.pdf", download.Content.Headers.ContentDisposition!.FileNameStar ?? download.Content.Headers.ContentDisposition.FileName);
            Assert.Equal("nosniff", Assert.Single(download.Headers.GetValues("X-Content-Type-Options")));
        }
        var otherCustomer = await app.ClientFor(Roles.Customer, "Someone Else", Guid.NewGuid()).GetAsync($"/api/accounts/{accountId}/evidence/{sha256}");
        Assert.Equal(HttpStatusCode.Forbidden, otherCustomer.StatusCode);
        // A file of one account is not a file of another, even with the same bytes.
        var (otherAccount, _) = await OpenAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await _csm.GetAsync($"/api/accounts/{otherAccount}/evidence/{sha256}")).StatusCode);
    }

    [Fact]
    public async Task what_is_not_accepted_is_refused_at_its_field_and_nothing_is_written()
    {
        var (accountId, commitmentId) = await OpenAsync();

        var disguised = await UploadAsync(_csm, accountId, "invoice.pdf", Encoding.ASCII.GetBytes("MZ\u0090\0 not a pdf at all"));
        await AssertFieldProblemAsync(disguised, HttpStatusCode.UnsupportedMediaType, "file", "content must match");
        var script = await UploadAsync(_csm, accountId, "run.sh", Encoding.ASCII.GetBytes("#!/bin/sh\necho hi\n"));
        await AssertFieldProblemAsync(script, HttpStatusCode.UnsupportedMediaType, "file", "PDF, PNG, JPEG");
        var tooLarge = new byte[5 * 1024 * 1024 + 1];
        Pdf.CopyTo(tooLarge, 0);
        await AssertFieldProblemAsync(await UploadAsync(_csm, accountId, "big.pdf", tooLarge), HttpStatusCode.RequestEntityTooLarge, "file", "at most 5 MB");
        var broken = new StringContent("--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF-", Encoding.ASCII);
        broken.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=x");
        await AssertFieldProblemAsync(await _csm.PostAsync($"/api/accounts/{accountId}/evidence", broken), HttpStatusCode.BadRequest, "file", "multipart/form-data part");
        var notAForm = await BrowserFixture.PostJsonAsync(_csm, $"/api/accounts/{accountId}/evidence", new { file = "x" });
        await AssertFieldProblemAsync(notAForm, HttpStatusCode.UnsupportedMediaType, "file", "multipart");

        var unknown = new string('a', 64);
        var refused = await BrowserFixture.PostJsonAsync(_csm, $"/api/accounts/{accountId}/commitments/{commitmentId}/measurements", new
        {
            periodStart = "2026-01-01", periodEnd = "2026-01-31", value = 90, evidenceUrl = $"sha256:{unknown}"
        });
        await AssertFieldProblemAsync(refused, HttpStatusCode.BadRequest, "evidenceUrl", "upload it first");
        Assert.Equal(0, (int)(await app.GetJsonAsync(_csm, $"/api/accounts/{accountId}/commitments/{commitmentId}"))["measurementCount"]!);
        Assert.Equal(HttpStatusCode.BadRequest, (await _csm.GetAsync($"/api/accounts/{accountId}/evidence/not-a-hash")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _csm.GetAsync($"/api/accounts/{accountId}/evidence/{unknown}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(app.ClientFor(Roles.Executive), accountId, "scrap.pdf", Pdf)).StatusCode);
    }

    [Fact]
    public async Task customer_success_records_a_measurement_with_an_uploaded_file_in_the_console()
    {
        var (accountId, commitmentId) = await OpenAsync();
        var page = await app.SignedInPageAsync(Roles.Csm, name: "sam.okafor");
        await page.GotoAsync(new Uri(app.BaseAddress, $"/#/accounts/{accountId}").ToString());
        var panel = page.Locator("section.commitment", new() { HasText = "Scrap rate" });
        await panel.GetByText("Record a measurement").ClickAsync();
        var record = panel.GetByTestId("measurement-form");
        await record.GetByLabel("Period from").FillAsync("2026-01-01");
        await record.GetByLabel("Period to").FillAsync("2026-01-31");
        await record.GetByLabel("Measured value").FillAsync("90");

        // A file that is not what its name says is refused at the file's field, and nothing is recorded.
        await record.GetByLabel("Or an evidence file").SetInputFilesAsync(new Microsoft.Playwright.FilePayload
            { Name = "scrap.pdf", MimeType = "application/pdf", Buffer = Encoding.ASCII.GetBytes("not a pdf") });
        await record.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Record measurement" }).ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(record.Locator("[data-error-for=file]")).ToContainTextAsync("content must match");
        Assert.Equal(0, (int)(await app.GetJsonAsync(_csm, $"/api/accounts/{accountId}/commitments/{commitmentId}"))["measurementCount"]!);

        await record.GetByLabel("Or an evidence file").SetInputFilesAsync(new Microsoft.Playwright.FilePayload
            { Name = "scrap-2026-01.pdf", MimeType = "application/pdf", Buffer = Pdf });
        await record.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Record measurement" }).ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(panel.Locator("details.measurements summary")).ToHaveTextAsync("1 measurements");
        await Microsoft.Playwright.Assertions.Expect(panel.GetByTestId("evidence-file")).ToHaveCountAsync(1);
        var recorded = (await app.GetJsonAsync(_csm, $"/api/accounts/{accountId}/commitments/{commitmentId}/measurements"))["items"]![0]!;
        Assert.Equal($"sha256:{Convert.ToHexStringLower(SHA256.HashData(Pdf))}", (string)recorded["evidenceUrl"]!);
        await BrowserFixture.ScreenshotAsync(page, "console-evidence-file.png");
    }

    private static async Task AssertFieldProblemAsync(HttpResponseMessage response, HttpStatusCode status, string field, string says)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var message = string.Join(" ", JsonNode.Parse(body)!["errors"]![field]!.AsArray().Select(m => (string)m!));
        Assert.Contains(says, message);
    }

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, Guid accountId, string fileName, byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return client.PostAsync($"/api/accounts/{accountId}/evidence", new MultipartFormDataContent { { content, "file", fileName } });
    }

    private async Task<(Guid AccountId, Guid CommitmentId)> OpenAsync()
    {
        var account = await BrowserFixture.PostJsonAsync(_csm, "/api/accounts", new
        {
            name = $"Evidence Works {Guid.NewGuid().ToString("N")[..6]}", industry = "Packaging", segment = "enterprise", currency = "EUR",
            approach = "processCentric", owner = "sam.okafor"
        });
        Assert.Equal(HttpStatusCode.Created, account.StatusCode);
        var accountId = (Guid)JsonNode.Parse(await account.Content.ReadAsStringAsync())!["id"]!;
        var commitment = await BrowserFixture.PostJsonAsync(_csm, $"/api/accounts/{accountId}/commitments", new
        {
            driver = "cost", metric = "Scrap rate", unit = "%", direction = "lowerIsBetter",
            baseline = new { value = 100, asOf = "2025-12-31", source = "ERP report" },
            target = 80, unitValue = 1000, periodStart = "2026-01-01", periodEnd = "2026-12-31", cadence = "monthly", owner = "joint", confidence = "medium"
        });
        Assert.Equal(HttpStatusCode.Created, commitment.StatusCode);
        return (accountId, (Guid)JsonNode.Parse(await commitment.Content.ReadAsStringAsync())!["id"]!);
    }
}
