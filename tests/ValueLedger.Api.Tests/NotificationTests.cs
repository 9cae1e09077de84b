using System.Net;
using System.Net.Http.Json;
using MimeKit;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests;

/// <summary>E-mail to staff (issue 17, item 2): alerts to an account's owner, the weekly digest, and settings per user and kind.</summary>
public sealed class when_staff_get_e_mail(AppFixture app) : IntegrationContext(app)
{
    private readonly string _tag = Guid.NewGuid().ToString("N")[..8];
    private string Address(string who) => $"{who}.{_tag}@seller.example";

    private async Task SaveSettingsAsync(HttpClient client, string email, string? ownerName = null, bool atRisk = true, bool missed = true, bool digest = false)
    {
        var saved = await client.PutAsJsonAsync("/api/me/notifications",
            new { email, ownerName, atRiskAlerts = atRisk, missedAlerts = missed, weeklyDigest = digest });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
    }

    [Fact]
    public async Task the_owner_of_an_account_hears_when_a_commitment_turns_at_risk_and_an_opted_out_colleague_does_not()
    {
        var owner = $"maria-{_tag}";
        await SaveSettingsAsync(App.ClientFor(Roles.Csm, "Maria"), Address("maria"), ownerName: owner);
        await SaveSettingsAsync(App.ClientFor(Roles.Csm, "Mario"), Address("mario"), ownerName: owner, atRisk: false, digest: true);
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync(AnAccount("Alerted Foods", owner: owner));
        await RecordAsync(accountId, commitmentId, AMonth(1, 96)); // on track
        await RecordAsync(accountId, commitmentId, AMonth(2, 99)); // behind the path by more than the tolerance

        var alert = await App.Mail.WaitForAsync(Address("maria"));
        Assert.Equal("Alerted Foods: Scrap rate is at risk", alert.Subject);
        Assert.Contains($"/#/accounts/{accountId}", alert.TextBody);
        Assert.Contains("Alerted Foods", alert.HtmlBody);
        Assert.Contains("Open the account", alert.HtmlBody);

        // Mario wants no alerts; the digest asked for after the alert reaches him, and nothing else does.
        Assert.Equal(HttpStatusCode.Accepted, (await Http.SendAsync(AsAdmin(HttpMethod.Post, $"/api/digests/weekly?weekEnding={NextMonday(App.Clock.Now):yyyy-MM-dd}"))).StatusCode);
        await App.Mail.WaitForAsync(Address("mario"));
        Assert.All(App.Mail.To(Address("mario")), m => Assert.StartsWith("ValueLedger weekly", m.Subject));
    }

    [Fact]
    public async Task the_owner_hears_when_a_commitment_misses_its_target()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync(AnAccount("Missed Mills", owner: Address("owner")));
        await RecordAsync(accountId, commitmentId, AMonth(1, 96));
        await RecordAsync(accountId, commitmentId, AMonth(12, 95)); // the period has ended at 25 % of the improvement

        Assert.Equal("missed", (string)(await GetJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}"))["status"]!);
        var alert = await App.Mail.WaitForAsync(Address("owner"), m => m.Subject.Contains("missed"));
        Assert.Equal("Missed Mills: Scrap rate missed its target", alert.Subject);
        Assert.Contains("The period ended with", alert.TextBody);
    }

    [Fact]
    public async Task an_owner_given_as_an_e_mail_address_is_alerted_there_without_settings()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync(AnAccount("Direct Mail Co", owner: Address("owner")));
        await RecordAsync(accountId, commitmentId, AMonth(1, 96));
        await RecordAsync(accountId, commitmentId, AMonth(2, 99));

        var alert = await App.Mail.WaitForAsync(Address("owner"));
        Assert.Equal("Direct Mail Co: Scrap rate is at risk", alert.Subject);
    }

    [Fact]
    public async Task the_weekly_digest_names_what_turned_at_risk_and_what_the_customer_confirmed_or_disputed()
    {
        App.Clock.FollowSystemClock(); // the events' times are the database's: the digest's week is on the same clock
        await SaveSettingsAsync(App.ClientFor(Roles.Executive, "Erin"), Address("erin"), digest: true);
        var (accountId, commitmentId) = await OpenAccountWithRecentCommitmentAsync(AnAccount("Digest Dairy"));
        var measurementId = await RecordAsync(accountId, commitmentId, LastMonth(100)); // no improvement: at risk
        var customer = App.ClientFor(Roles.Customer, "jane@buyer.example", accountId);
        var disputed = await customer.PostAsJsonAsync(
            $"/api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}/dispute", new { reason = "Line 3 was down for a week" });
        Assert.True(disputed.IsSuccessStatusCode, await disputed.Content.ReadAsStringAsync());
        Assert.Equal("atRisk", (string)(await GetJsonAsync($"/api/accounts/{accountId}"))["status"]!);

        var weekEnding = NextMonday(DateTimeOffset.UtcNow);
        Assert.Equal(HttpStatusCode.Accepted, (await Http.SendAsync(AsAdmin(HttpMethod.Post, $"/api/digests/weekly?weekEnding={weekEnding:yyyy-MM-dd}"))).StatusCode);

        var digest = await App.Mail.WaitForAsync(Address("erin"));
        Assert.StartsWith("ValueLedger weekly", digest.Subject);
        Assert.Contains("Turned at risk", digest.TextBody);
        Assert.Contains("- Digest Dairy: Scrap rate.", digest.TextBody);
        Assert.Contains("- Digest Dairy: 1, 0, 0, 1", digest.TextBody); // recorded, corrected, confirmed, disputed
        Assert.Contains("Digest Dairy", digest.HtmlBody);

        // Asked for again, the week's digest reaches nobody twice.
        await Http.SendAsync(AsAdmin(HttpMethod.Post, $"/api/digests/weekly?weekEnding={weekEnding:yyyy-MM-dd}"));
        await Http.SendAsync(AsAdmin(HttpMethod.Post, $"/api/digests/weekly?weekEnding={weekEnding.AddDays(7):yyyy-MM-dd}"));
        await App.Mail.WaitForAsync(Address("erin"), skip: 1); // next week's
        Assert.Equal(2, App.Mail.To(Address("erin")).Count);
    }

    [Fact]
    public async Task each_account_s_monthly_report_goes_to_its_owner_and_approvers_as_a_pdf_once()
    {
        var owner = $"olga-{_tag}";
        await SaveSettingsAsync(App.ClientFor(Roles.Csm, "Olga"), Address("olga"), ownerName: owner);
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync(AnAccount("Reported Rolls", owner: owner));
        await RecordAsync(accountId, commitmentId, AMonth(1, 90));
        var invited = await Http.PostAsJsonAsync($"/api/accounts/{accountId}/contacts", new { email = Address("buyer"), name = "Bea Buyer", role = "approver" });
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);

        Assert.Equal(HttpStatusCode.Accepted, (await Http.SendAsync(AsAdmin(HttpMethod.Post, "/api/reports/monthly?month=2026-01"))).StatusCode);

        foreach (var recipient in new[] { Address("olga"), Address("buyer") })
        {
            var report = await App.Mail.WaitForAsync(recipient, m => m.Subject.Contains("value report"));
            Assert.Equal("Reported Rolls: value report for January 2026", report.Subject);
            var attachment = Assert.Single(report.Attachments.OfType<MimePart>());
            Assert.Equal("value-report-reported-rolls-2026-01.pdf", attachment.FileName);
            using var content = new MemoryStream();
            await attachment.Content.DecodeToAsync(content);
            Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(content.ToArray(), 0, 4));
            Assert.Contains("realized 10,000 EUR of 20,000 promised to date", report.TextBody);
        }

        // Asked for again, nobody gets it twice; a month not yet ended is refused, naming the field.
        await Http.SendAsync(AsAdmin(HttpMethod.Post, "/api/reports/monthly?month=2026-01"));
        var notEnded = await Http.SendAsync(AsAdmin(HttpMethod.Post, "/api/reports/monthly?month=2026-02"));
        Assert.Equal(HttpStatusCode.BadRequest, notEnded.StatusCode);
        Assert.NotNull((await ReadAsync(notEnded))["errors"]!["month"]);
        Assert.Single(App.Mail.To(Address("olga")), m => m.Subject.Contains("value report"));
    }

    [Fact]
    public async Task settings_default_from_the_token_are_saved_per_user_and_bad_ones_are_named()
    {
        var erin = App.ClientFor(Roles.Executive, "Erin");
        var defaults = await ReadAsync(await erin.GetAsync("/api/me/notifications"));
        Assert.Equal((false, true, "Erin"), ((bool)defaults["saved"]!, (bool)defaults["weeklyDigest"]!, (string)defaults["ownerName"]!));

        await SaveSettingsAsync(erin, Address("erin"), digest: false);
        var saved = await ReadAsync(await erin.GetAsync("/api/me/notifications"));
        Assert.Equal((true, false, Address("erin")), ((bool)saved["saved"]!, (bool)saved["weeklyDigest"]!, (string)saved["email"]!));
        Assert.False((bool)(await ReadAsync(await App.ClientFor(Roles.Executive, "Otto").GetAsync("/api/me/notifications")))["saved"]!);

        var bad = await erin.PutAsJsonAsync("/api/me/notifications", new { email = "not an address", atRiskAlerts = true });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await ReadAsync(bad))["errors"]!.AsObject().Select(e => e.Key.ToLowerInvariant()).ToList();
        Assert.Contains("email", errors);
        Assert.Contains("weeklydigest", errors);

        var notMonday = await Http.SendAsync(AsAdmin(HttpMethod.Post, "/api/digests/weekly?weekEnding=2026-02-11"));
        Assert.Equal(HttpStatusCode.BadRequest, notMonday.StatusCode);
        Assert.NotNull((await ReadAsync(notMonday))["errors"]!["weekEnding"]);
    }

    private HttpRequestMessage AsAdmin(HttpMethod method, string url)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", App.TokenFor(Roles.Admin));
        return request;
    }

    /// <summary>The Monday after <paramref name="now"/>'s day: its week holds <paramref name="now"/>.</summary>
    private static DateOnly NextMonday(DateTimeOffset now)
    {
        var day = DateOnly.FromDateTime(now.UtcDateTime).AddDays(1);
        while (day.DayOfWeek != DayOfWeek.Monday) day = day.AddDays(1);
        return day;
    }
}
