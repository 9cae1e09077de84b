using System.Net;
using System.Net.Http.Json;
using Marten;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using ValueLedger.Api.Features.Contacts;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests.Contacts;

public sealed class when_staff_invite_a_customer_contact(AppFixture app) : ContactsContext(app)
{
    [Fact]
    public async Task the_invitation_arrives_its_link_signs_the_contact_in_and_the_approver_confirms()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var measurementId = await RecordAsync(accountId, commitmentId, AMonth(1, 90));

        var (contactId, mail) = await InviteAsync(accountId, "Jane@Buyer.example");
        Assert.Equal("value@seller.example", mail.From.Mailboxes.Single().Address);
        Assert.Contains("Acme Foods", mail.Subject);
        Assert.Equal("invited", (string)(await ContactAsync(accountId, contactId))["state"]!);

        var signIn = await SignInAsync(CodeIn(mail));
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var session = await ReadAsync(signIn);
        Assert.Equal("jane@buyer.example", (string)session["email"]!);
        Assert.Equal(accountId, (Guid)session["accounts"]![0]!["accountId"]!);
        Assert.Equal("approver", (string)session["accounts"]![0]!["role"]!);
        Assert.Equal("active", (string)(await ContactAsync(accountId, contactId))["state"]!);

        var customer = App.ClientWith((string)session["token"]!);
        Assert.Equal(HttpStatusCode.OK, (await customer.GetAsync($"/api/accounts/{accountId}")).StatusCode);
        var confirmation = await customer.PostAsJsonAsync($"{Measurement(accountId, commitmentId, measurementId)}/confirmation",
            new { confirmedBy = "Somebody Else (CFO)", comment = "Matches our books" });
        Assert.Equal(HttpStatusCode.Created, confirmation.StatusCode);
        var answer = await ReadAsync(confirmation);
        Assert.Equal(contactId.ToString(), (string)answer["signer"]!["subject"]!);
        Assert.Equal(ContactTokens.Issuer, (string)answer["signer"]!["issuer"]!);

        // The body's confirmedBy is ignored: the signer is who the token says.
        var measurement = await GetJsonAsync(Measurement(accountId, commitmentId, measurementId));
        Assert.Equal("confirmed", (string)measurement["verification"]!);
        Assert.Equal("Jane Buyer", (string)measurement["verifiedBy"]!["by"]!);
        Assert.Equal("jane@buyer.example", (string)measurement["verifiedBy"]!["signer"]!["email"]!);
        Assert.Equal("Matches our books", (string)measurement["verifiedBy"]!["comment"]!);
        Assert.DoesNotContain("Somebody Else", measurement.ToJsonString());
    }

    [Fact]
    public async Task a_link_works_once_and_only_until_it_expires_and_a_new_one_replaces_the_old()
    {
        var accountId = await OpenAccountAsync();
        var (contactId, first) = await InviteAsync(accountId, "max@buyer.example", "Max Buyer", "viewer");
        await SignInWithAsync(first);
        var reused = await SignInAsync(CodeIn(first));
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.NotNull((await ReadAsync(reused))["errors"]!["code"]);

        var resent = await PostAsync($"/api/accounts/{accountId}/contacts/{contactId}/invitation", new { });
        Assert.Equal(HttpStatusCode.Created, resent.StatusCode);
        var second = await App.Mail.WaitForAsync("max@buyer.example", skip: 1);
        var third = await PostAsync($"/api/accounts/{accountId}/contacts/{contactId}/invitation", new { });
        Assert.Equal(HttpStatusCode.Created, third.StatusCode);
        var latest = await App.Mail.WaitForAsync("max@buyer.example", skip: 2);
        Assert.Equal(HttpStatusCode.BadRequest, (await SignInAsync(CodeIn(second))).StatusCode); // replaced by the newer link

        App.Clock.Now = App.Clock.Now.AddHours(24).AddMinutes(1);
        Assert.Equal(HttpStatusCode.BadRequest, (await SignInAsync(CodeIn(latest))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await SignInAsync("not-a-code")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await App.ClientFor(null).PostAsJsonAsync("/api/contacts/sign-in", new { })).StatusCode);
    }

    [Fact]
    public async Task bad_invitations_name_the_field_and_a_second_invitation_is_a_conflict()
    {
        var accountId = await OpenAccountAsync();
        var bad = await PostAsync($"/api/accounts/{accountId}/contacts", new { email = "not-an-address", name = "X", role = "owner" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await ReadAsync(bad))["errors"]!;
        Assert.NotNull(errors["email"]);
        Assert.NotNull(errors["role"]);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync($"/api/accounts/{Guid.NewGuid()}/contacts",
            new { email = "a@b.example", name = "A", role = "viewer" })).StatusCode);

        await InviteAsync(accountId, "erik@buyer.example", "Erik");
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync($"/api/accounts/{accountId}/contacts",
            new { email = "ERIK@buyer.example", name = "Erik", role = "viewer" })).StatusCode);
        Assert.Single((await GetJsonAsync($"/api/accounts/{accountId}/contacts")).AsArray());
    }

    [Fact]
    public async Task one_contact_may_belong_to_several_accounts()
    {
        var first = await OpenAccountAsync(AnAccount("Acme Foods Nord"));
        var second = await OpenAccountAsync(AnAccount("Acme Foods Süd"));
        var (contactId, mail) = await InviteAsync(first, "cfo@acme.example", "Ana CFO");
        var (sameContact, _) = await InviteAsync(second, "cfo@acme.example", "Ana CFO", "viewer");
        Assert.Equal(contactId, sameContact);

        var customer = App.ClientWith(await SignInWithAsync(mail));
        Assert.Equal(HttpStatusCode.OK, (await customer.GetAsync($"/api/accounts/{first}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await customer.GetAsync($"/api/accounts/{second}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync($"/api/accounts/{await OpenAccountAsync(AnAccount("Other"))}")).StatusCode);
    }
}

public sealed class who_may_sign_off(AppFixture app) : ContactsContext(app)
{
    [Fact]
    public async Task staff_may_not_confirm_or_certify_and_a_viewer_may_only_read()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var measurementId = await RecordAsync(accountId, commitmentId, AMonth(1, 90));
        var route = Measurement(accountId, commitmentId, measurementId);

        foreach (var role in new[] { Roles.Csm, Roles.Admin })
        {
            var staff = App.ClientFor(role);
            Assert.Equal(HttpStatusCode.Forbidden, (await staff.PostAsJsonAsync($"{route}/confirmation", new { confirmedBy = "Jane Buyer (CFO)" })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await staff.PostAsJsonAsync(
                $"/api/accounts/{accountId}/commitments/{commitmentId}/settlements/{Guid.NewGuid()}/certification", new { certifiedBy = "Jane Buyer (CFO)" })).StatusCode);
        }

        var (_, mail) = await InviteAsync(accountId, "vic@buyer.example", "Vic Viewer", "viewer");
        var viewer = App.ClientWith(await SignInWithAsync(mail));
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync(route)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync($"{route}/confirmation", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync($"{route}/dispute", new { reason = "no" })).StatusCode);
        Assert.Equal("unconfirmed", (string)(await GetJsonAsync(route))["verification"]!);
    }

    [Fact]
    public async Task a_token_without_a_subject_is_refused()
    {
        var token = LocalTokens.Create(AppFixture.Key, LocalTokens.Issuer, new Dictionary<string, object> { ["role"] = Roles.Admin, ["name"] = "nobody" },
            DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.ClientWith(token).GetAsync("/api/accounts")).StatusCode);
    }

    [Fact]
    public async Task a_customer_role_is_not_taken_from_a_staff_token_without_a_contact_role()
    {
        var accountId = await OpenAccountAsync();
        // A local customer token that names no contact role is a viewer: it may read but never sign.
        var token = LocalTokens.Create(AppFixture.Key, Roles.Customer, "someone", accountId, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
        var client = App.ClientWith(token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/accounts/{accountId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync(
            $"/api/accounts/{accountId}/commitments/{Guid.NewGuid()}/measurements/{Guid.NewGuid()}/confirmation", new { })).StatusCode);
    }
}

public sealed class when_a_contact_is_revoked(AppFixture app) : ContactsContext(app)
{
    [Fact]
    public async Task its_next_request_is_401_and_its_hub_connection_closes()
    {
        var accountId = await OpenAccountAsync();
        var (contactId, mail) = await InviteAsync(accountId, "gone@buyer.example", "Gone Soon");
        var token = await SignInWithAsync(mail);
        var customer = App.ClientWith(token);
        Assert.Equal(HttpStatusCode.OK, (await customer.GetAsync($"/api/accounts/{accountId}")).StatusCode);

        await using var live = await LiveClient.ConnectAsync(Host, token);
        await live.Connection.InvokeAsync("WatchAccount", accountId);
        await live.NextAsync("accountChanged");
        var closed = new TaskCompletionSource();
        live.Connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };

        var revoked = await Http.DeleteAsync($"/api/accounts/{accountId}/contacts/{contactId}");
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal("revoked", (string)(await ReadAsync(revoked))["state"]!);
        Assert.Equal("casey.csm", (string)(await ReadAsync(revoked))["revokedBy"]!);

        Assert.Equal(HttpStatusCode.Unauthorized, (await customer.GetAsync($"/api/accounts/{accountId}")).StatusCode);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(HubConnectionState.Disconnected, live.Connection.State);
        await Assert.ThrowsAnyAsync<Exception>(() => LiveClient.ConnectAsync(Host, token));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PostAsync($"/api/accounts/{accountId}/contacts/{contactId}/invitation", new { })).StatusCode);
    }
}

public sealed class when_a_contact_is_revoked_through_another_node(AppFixture app) : ContactsContext(app)
{
    [Fact]
    public async Task this_nodes_hub_connections_of_the_contact_close_within_the_sweep()
    {
        var accountId = await OpenAccountAsync();
        var (contactId, mail) = await InviteAsync(accountId, "elsewhere@buyer.example", "Revoked Elsewhere");
        var token = await SignInWithAsync(mail);
        await using var live = await LiveClient.ConnectAsync(Host, token);
        await live.Connection.InvokeAsync("WatchAccount", accountId);
        await live.NextAsync("accountChanged");
        var closed = new TaskCompletionSource();
        live.Connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };

        // Another node revokes: the contact document changes in the database, and this node is not told.
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.LightweightSession())
        {
            var contact = (await session.LoadAsync<CustomerContact>(contactId))!;
            var membership = contact.On(accountId)!;
            membership.State = ContactState.Revoked;
            membership.RevokedAt = App.Clock.GetUtcNow();
            membership.RevokedBy = "node-b";
            session.Store(contact);
            await session.SaveChangesAsync();
        }

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(HubConnectionState.Disconnected, live.Connection.State);
    }
}
