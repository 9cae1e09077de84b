using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MimeKit;

namespace ValueLedger.Api.Tests.Contacts;

/// <summary>Speaks the contacts API the way staff and a customer do: invite, read the e-mail, open its link.</summary>
public abstract partial class ContactsContext(AppFixture app) : IntegrationContext(app)
{
    protected async Task<(Guid ContactId, MimeMessage Mail)> InviteAsync(Guid accountId, string email, string name = "Jane Buyer", string role = "approver")
    {
        var before = App.Mail.To(email).Count;
        var response = await PostAsync($"/api/accounts/{accountId}/contacts", new { email, name, role });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var contactId = (await ReadAsync(response))["id"]!.GetValue<Guid>();
        return (contactId, await App.Mail.WaitForAsync(email, skip: before));
    }

    protected static string CodeIn(MimeMessage mail) => CodePattern().Match(mail.TextBody).Groups[1].Value;

    protected async Task<HttpResponseMessage> SignInAsync(string code) =>
        await App.ClientFor(null).PostAsJsonAsync("/api/contacts/sign-in", new { code });

    /// <summary>Opens the link of the e-mail: the contact's token.</summary>
    protected async Task<string> SignInWithAsync(MimeMessage mail)
    {
        var response = await SignInAsync(CodeIn(mail));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (string)(await ReadAsync(response))["token"]!;
    }

    protected static string Measurement(Guid accountId, Guid commitmentId, Guid measurementId) =>
        $"/api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}";

    protected async Task<JsonNode> ContactAsync(Guid accountId, Guid contactId) =>
        (await GetJsonAsync($"/api/accounts/{accountId}/contacts")).AsArray().Single(c => (Guid)c!["id"]! == contactId)!;

    [GeneratedRegex(@"contact-sign-in\?code=([A-Za-z0-9_\-]+)")]
    private static partial Regex CodePattern();
}
