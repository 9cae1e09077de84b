using System.Net;
using System.Net.Http.Json;
using ValueLedger.Api.Features.Contacts;
using ValueLedger.Api.Infrastructure;
using Wolverine.Tracking;

namespace ValueLedger.Api.Tests.Contacts;

public sealed class a_confirmation_request(AppFixture app) : ContactsContext(app)
{
    [Fact]
    public async Task is_recorded_with_who_asked_and_mails_each_active_approver_only()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var january = await RecordAsync(accountId, commitmentId, AMonth(1, 90));
        var suffix = Guid.NewGuid().ToString("N")[..8];
        string approver = $"approver-{suffix}@buyer.example", viewer = $"viewer-{suffix}@buyer.example", revoked = $"gone-{suffix}@buyer.example";
        await InviteAsync(accountId, approver, "Ann Approver");
        await InviteAsync(accountId, viewer, "Val Viewer", "viewer");
        var (gone, _) = await InviteAsync(accountId, revoked, "Gus Gone");
        Assert.Equal(HttpStatusCode.OK, (await Http.DeleteAsync($"/api/accounts/{accountId}/contacts/{gone}")).StatusCode);

        var route = Measurement(accountId, commitmentId, january);
        var response = await PostAsync($"{route}/confirmation-request", new { message = "The January figure is ready.", requestedBy = "someone else" });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());

        var mail = await App.Mail.WaitForAsync(approver, m => m.Subject.StartsWith("Please confirm"));
        Assert.Contains("casey.csm asks you to confirm", mail.TextBody);
        Assert.Contains("The January figure is ready.", mail.TextBody);
        Assert.Contains($"/#/accounts/{accountId}/verify", mail.TextBody);
        // An approver who is not signed in can act on the e-mail alone: its single-use link signs them in.
        var approverToken = await SignInWithAsync(mail);
        Assert.Equal(HttpStatusCode.Created, (await App.ClientWith(approverToken).PostAsJsonAsync($"{route}/confirmation", new { comment = "Agreed" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await SignInAsync(CodeIn(mail))).StatusCode); // used once
        Assert.DoesNotContain(App.Mail.To(viewer), m => m.Subject.StartsWith("Please confirm"));
        Assert.DoesNotContain(App.Mail.To(revoked), m => m.Subject.StartsWith("Please confirm"));

        var history = (await App.ClientFor(Roles.Auditor).GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>($"/api/accounts/{accountId}/history"))!;
        var requested = history.Single(e => (string)e!["type"]! == "measurement_confirmation_requested")!;
        Assert.Equal("casey.csm", (string)requested["data"]!["requestedBy"]!);
        Assert.Equal([approver], requested["data"]!["recipients"]!.AsArray().Select(r => (string)r!));
    }

    [Fact]
    public async Task is_refused_without_an_approver_and_once_the_figure_is_confirmed()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var route = Measurement(accountId, commitmentId, await RecordAsync(accountId, commitmentId, AMonth(1, 90)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PostAsync($"{route}/confirmation-request", new { })).StatusCode);

        var customer = App.ClientFor(Roles.Customer, "Jane Buyer", accountId);
        Assert.Equal(HttpStatusCode.Created, (await customer.PostAsJsonAsync($"{route}/confirmation", new { comment = "Fine" })).StatusCode);
        await InviteAsync(accountId, $"late-{Guid.NewGuid():N}@buyer.example", "Late Approver");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PostAsync($"{route}/confirmation-request", new { })).StatusCode);
    }

    private static bool IsRequest(MimeKit.MimeMessage m) => m.Subject.StartsWith("Please confirm");

    /// <summary>Runs <paramref name="act"/> and waits (bounded) until every message it caused, e-mails included, is handled.</summary>
    private Task<ITrackedSession> SettledAsync(Func<Task> act) =>
        Host.TrackActivity().Timeout(TimeSpan.FromSeconds(30)).ExecuteAndWaitAsync((Func<Wolverine.IMessageContext, Task>)(_ => act()));

    [Fact]
    public async Task retried_with_its_idempotency_key_mails_each_approver_once()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var route = $"{Measurement(accountId, commitmentId, await RecordAsync(accountId, commitmentId, AMonth(1, 90)))}/confirmation-request";
        var suffix = Guid.NewGuid().ToString("N")[..8];
        string ann = $"ann-{suffix}@buyer.example", bob = $"bob-{suffix}@buyer.example";
        await InviteAsync(accountId, ann, "Ann Approver");
        await InviteAsync(accountId, bob, "Bob Approver");
        void Key(HttpRequestMessage request) => request.Headers.Add(IdempotencyMiddleware.Header, $"ask-january-{suffix}");

        HttpResponseMessage first = null!, retry = null!;
        await SettledAsync(async () => first = await PostAsync(route, new { message = "Ready" }, Key));
        await SettledAsync(async () => retry = await PostAsync(route, new { message = "Ready" }, Key));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues(IdempotentAnswers.ReplayedHeader).Single());
        Assert.Single(App.Mail.To(ann), IsRequest);
        Assert.Single(App.Mail.To(bob), IsRequest);
    }

    [Fact]
    public async Task a_redelivered_mail_message_is_recognised_and_not_sent_again()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var route = $"{Measurement(accountId, commitmentId, await RecordAsync(accountId, commitmentId, AMonth(1, 90)))}/confirmation-request";
        var ann = $"ann-{Guid.NewGuid():N}@buyer.example";
        await InviteAsync(accountId, ann, "Ann Approver");

        var requested = await SettledAsync(async () => Assert.Equal(HttpStatusCode.Created, (await PostAsync(route, new { })).StatusCode));
        var mail = requested.Executed.SingleMessage<MailApprover>();
        Assert.Single(App.Mail.To(ann), IsRequest);

        // The same message again, as the outbox or a broker would deliver it after a crash before its acknowledgement.
        await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(30)).DoNotAssertOnExceptionsDetected()
            .ExecuteAndWaitAsync((Func<Wolverine.IMessageContext, Task>)(bus => bus.PublishAsync(mail with { }).AsTask()));

        Assert.Single(App.Mail.To(ann), IsRequest);
    }
}
