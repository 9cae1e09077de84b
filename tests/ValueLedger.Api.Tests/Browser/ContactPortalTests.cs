using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MimeKit;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests.Browser;

/// <summary>A customer contact's way in: the e-mailed sign-in link opened in Chromium, then its figures to sign off.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class when_a_contact_opens_its_sign_in_link(BrowserFixture app)
{
    [Fact]
    public async Task it_lands_in_the_portal_confirms_and_gets_the_receipt_and_the_ledger_names_the_contact()
    {
        var accountId = await AccountIdAsync("Fjordline Seafood");
        const string email = "ingrid.solberg@fjordline.example";
        var staff = await app.SignedInPageAsync(Roles.Csm, name: "sam.okafor");
        await staff.GotoAsync(new Uri(app.BaseAddress, $"/#/accounts/{accountId}").ToString());
        var invite = staff.GetByRole(AriaRole.Form, new() { Name = "Invite a contact" });
        await invite.GetByLabel("Name").FillAsync("Ingrid Solberg");
        await invite.GetByLabel("E-mail").FillAsync(email);
        await invite.GetByLabel("Role").SelectOptionAsync("approver");
        await invite.GetByRole(AriaRole.Button, new() { Name = "Send invitation" }).ClickAsync();
        await Assertions.Expect(staff.GetByTestId("contacts-status")).ToContainTextAsync($"Invitation sent to {email}");
        var row = staff.GetByTestId("contacts").Locator("tr", new() { HasText = email });
        await Assertions.Expect(row).ToContainTextAsync("Invited");
        await Assertions.Expect(row).ToContainTextAsync("Approver");
        var contactId = Guid.Parse((await row.GetAttributeAsync("data-contact"))!);
        var mail = await app.Mail.WaitForAsync(email);
        Assert.Contains("sam.okafor invites you", mail.TextBody);

        var page = await app.NewPageAsync();
        await page.GotoAsync(LinkIn(mail));

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your value report: Fjordline Seafood" })).ToBeVisibleAsync();
        Assert.DoesNotContain("code=", page.Url);
        var item = page.GetByTestId("pending").Locator("[data-measurement]").First;
        var measurementId = await item.GetAttributeAsync("data-measurement");
        await item.GetByLabel("Comment, or why you dispute it").FillAsync("Agrees with our plant meters.");
        await item.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("verify-status")).ToContainTextAsync("Confirmed:");
        var receipt = page.GetByTestId("receipt");
        await Assertions.Expect(receipt.GetByRole(AriaRole.Heading, new() { Name = "Your receipt" })).ToBeVisibleAsync();
        await Assertions.Expect(receipt).ToContainTextAsync("signed by Ingrid Solberg");
        var download = await page.RunAndWaitForDownloadAsync(() => receipt.GetByRole(AriaRole.Link, new() { Name = "Download receipt (JSON)" }).ClickAsync());
        var saved = JsonNode.Parse(await File.ReadAllTextAsync((await download.PathAsync())!))!;
        Assert.Equal(accountId, (Guid)saved["accountId"]!);
        Assert.Contains("confirmed", (string)saved["eventType"]!, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(await receipt.GetByTestId("receipt-hash").TextContentAsync(), (string)saved["eventHash"]!);
        Assert.Matches(@"^receipt-[0-9a-f-]{36}-v\d+\.json$", download.SuggestedFilename);

        var measurement = await FindMeasurementAsync(accountId, measurementId!);
        Assert.Equal("confirmed", (string)measurement["verification"]!);
        Assert.Equal("Ingrid Solberg", (string)measurement["verifiedBy"]!["by"]!);
        Assert.Equal(contactId.ToString(), (string)measurement["verifiedBy"]!["signer"]!["subject"]!);
        Assert.Equal(ContactTokens.Issuer, (string)measurement["verifiedBy"]!["signer"]!["issuer"]!);
        Assert.Equal("Agrees with our plant meters.", (string)measurement["verifiedBy"]!["comment"]!);
        await BrowserFixture.ScreenshotAsync(page, "contact-receipt.png");

        await staff.ReloadAsync();
        await Assertions.Expect(staff.GetByTestId("contacts").Locator("tr", new() { HasText = email })).ToContainTextAsync("Signed in");
    }

    [Fact]
    public async Task staff_resend_a_link_and_revoke_a_contact_from_the_account_page()
    {
        var accountId = await AccountIdAsync("Fjordline Seafood");
        const string email = "per.hansen@fjordline.example";
        var (_, first) = await InviteAsync(accountId, email, "Per Hansen", "approver");
        var staff = await app.SignedInPageAsync(Roles.Csm, name: "sam.okafor");
        await staff.GotoAsync(new Uri(app.BaseAddress, $"/#/accounts/{accountId}").ToString());
        var row = staff.GetByTestId("contacts").Locator("tr", new() { HasText = email });
        await row.GetByRole(AriaRole.Button, new() { Name = "Resend link to Per Hansen" }).ClickAsync();
        await Assertions.Expect(staff.GetByTestId("contacts-status")).ToContainTextAsync($"A new sign-in link went to {email}");
        var second = await app.Mail.WaitForAsync(email, skip: 1);
        Assert.NotEqual(LinkIn(first), LinkIn(second));

        var customerView = await app.SignedInPageAsync(Roles.Csm, name: "sam.okafor");
        await customerView.GotoAsync(new Uri(app.BaseAddress, $"/#/accounts/{accountId}/verify").ToString());
        await customerView.GetByTestId("pending").GetByRole(AriaRole.Button, new() { Name = "Request confirmation" }).First.ClickAsync();
        await Assertions.Expect(customerView.GetByTestId("verify-status")).ToContainTextAsync("Confirmation requested");
        var request = await app.Mail.WaitForAsync(email, m => m.Subject.StartsWith("Please confirm"));
        Assert.Contains("sam.okafor asks you to confirm", request.TextBody);

        staff.Dialog += (_, dialog) => dialog.AcceptAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke Per Hansen" }).ClickAsync();
        await Assertions.Expect(row).ToContainTextAsync("Revoked by sam.okafor");
        await Assertions.Expect(row.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);

        var customer = await app.NewPageAsync();
        await customer.GotoAsync(LinkIn(second));
        await Assertions.Expect(customer.GetByRole(AriaRole.Heading, new() { Name = "This sign-in link does not work" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task a_used_link_says_so_and_how_to_get_a_new_one()
    {
        var accountId = await AccountIdAsync("Fjordline Seafood");
        var (_, mail) = await InviteAsync(accountId, "ola.nordmann@fjordline.example", "Ola Nordmann", "viewer");
        var first = await app.NewPageAsync();
        await first.GotoAsync(LinkIn(mail));
        await Assertions.Expect(first.GetByRole(AriaRole.Heading, new() { Name = "Your value report: Fjordline Seafood" })).ToBeVisibleAsync();
        // A viewer sees the figures but is offered nothing to sign.
        await Assertions.Expect(first.GetByTestId("verify-status")).ToContainTextAsync("as a viewer");
        await Assertions.Expect(first.GetByTestId("pending").Locator("[data-measurement]").First).ToBeVisibleAsync();
        await Assertions.Expect(first.GetByRole(AriaRole.Button, new() { Name = "Confirm" })).ToHaveCountAsync(0);

        var again = await app.NewPageAsync();
        await again.GotoAsync(LinkIn(mail));
        await Assertions.Expect(again.GetByRole(AriaRole.Heading, new() { Name = "This sign-in link does not work" })).ToBeVisibleAsync();
        await Assertions.Expect(again.GetByTestId("contact-sign-in-error")).ToContainTextAsync("already used or expired");
        await Assertions.Expect(again.GetByText("resend your invitation")).ToBeVisibleAsync();
        Assert.Null(await again.EvaluateAsync<string?>("() => sessionStorage.getItem('valueledger.token')"));
    }

    private async Task<(Guid ContactId, MimeMessage Mail)> InviteAsync(Guid accountId, string email, string name, string role)
    {
        var response = await BrowserFixture.PostJsonAsync(app.ClientFor(Roles.Csm), $"/api/accounts/{accountId}/contacts", new { email, name, role });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var contactId = (Guid)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!;
        return (contactId, await app.Mail.WaitForAsync(email));
    }

    /// <summary>The link exactly as the e-mail carries it.</summary>
    private string LinkIn(MimeMessage mail)
    {
        var link = LinkPattern().Match(mail.TextBody ?? "").Value;
        Assert.StartsWith(app.BaseAddress.ToString().TrimEnd('/'), link);
        return link;
    }

    [GeneratedRegex(@"https?://\S+/#/contact-sign-in\?code=\S+")]
    private static partial Regex LinkPattern();

    private async Task<Guid> AccountIdAsync(string name) =>
        (Guid)(await app.GetJsonAsync(app.ClientFor(Roles.Executive), "/api/accounts?pageSize=200"))["items"]!.AsArray().First(a => (string)a!["name"]! == name)!["id"]!;

    private async Task<JsonNode> FindMeasurementAsync(Guid accountId, string measurementId)
    {
        var client = app.ClientFor(Roles.Auditor);
        foreach (var commitment in (await app.GetJsonAsync(client, $"/api/accounts/{accountId}"))["commitments"]!.AsArray())
        {
            var view = await app.GetJsonAsync(client, $"/api/accounts/{accountId}/commitments/{commitment!["id"]}");
            if (view["measurements"]!.AsArray().FirstOrDefault(m => (string)m!["id"]! == measurementId) is { } found) return found;
        }
        throw new InvalidOperationException($"No measurement {measurementId} in account {accountId}.");
    }
}
