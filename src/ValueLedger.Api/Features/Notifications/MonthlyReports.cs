using System.Globalization;
using ValueLedger.Api.Features.Accounts;
using ValueLedger.Api.Features.Contacts;
using ValueLedger.Api.Features.Reports;
using ValueLedger.Api.Features.Verification;
using Wolverine.Attributes;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace ValueLedger.Api.Features.Notifications;

/// <summary>Send every account's value report for the month that has ended (<c>yyyy-MM</c>).</summary>
public sealed record SendMonthlyReports(string Month);

/// <summary>One account's monthly value report to one recipient (its owner or an approver contact), named so it is sent once.</summary>
public sealed record MailAccountReport(Guid AccountId, string Month, string ToName, string ToEmail)
{
    [DeduplicationIdentity]
    public string MailId => $"report/{AccountId:N}/{Month}/{ToEmail.ToLowerInvariant()}";
}

public static class SendMonthlyReportsHandler
{
    /// <summary>For each account, its owners who want monthly reports and its approver contacts: one <see cref="MailAccountReport"/> each.</summary>
    public static async Task<OutgoingMessages> Handle(SendMonthlyReports reports, IQuerySession session, CancellationToken cancellation)
    {
        // Three reads whatever the number of accounts: the accounts' owners, everyone's settings, every contact.
        var mails = new OutgoingMessages();
        var accounts = await session.Query<Account>().Where(a => a.Summary != null).Select(a => a.Summary!).ToListAsync(cancellation);
        var settings = await session.Query<NotificationSettings>().ToListAsync(cancellation);
        var contacts = await session.Query<CustomerContact>().ToListAsync(cancellation);
        foreach (var account in accounts)
        {
            var owners = OwnerRecipients.Of(settings, account.Owner, MailKind.MonthlyReport);
            var approvers = contacts.Where(c => c.On(account.Id) is { Role: ContactRoles.Approver, State: not ContactState.Revoked })
                .Select(c => (c.Name, c.Email));
            foreach (var (name, email) in owners.Concat(approvers).DistinctBy(r => r.Item2.ToLowerInvariant()))
                mails.Add(new MailAccountReport(account.Id, reports.Month, name, email));
        }
        return mails;
    }
}

public static class MailAccountReportHandler
{
    public static void Configure(HandlerChain chain) =>
        SmtpRetries.Apply(chain);

    /// <summary>
    /// The account's value report as it stands when the month's reports go out, as a PDF (the printable HTML when this
    /// node cannot print), with a short summary in the body and a link to the account.
    /// </summary>
    [Deduplicated]
    public static async Task Handle(MailAccountReport mail, IQuerySession session, ReceiptBuilder receipts, ReportRenderer renderer,
        PdfPrinter printer, ContactMailer mailer, MailLinks links, TimeProvider clock, ILogger<MailAccountReport> logger, CancellationToken cancellation)
    {
        if (await session.LoadAsync<Account>(mail.AccountId, cancellation) is not { } account) return;
        var now = clock.GetUtcNow();
        var view = AccountValueView.Of(account, now);
        var receipt = await receipts.ForAsync(session, account.Id, account.Version, cancellation);
        var report = AccountReport.Of(account, view, receipt, now, "ValueLedger (monthly report)", true);
        var html = await renderer.RenderAsync<AccountReportPage>(new Dictionary<string, object?> { [nameof(AccountReportPage.Report)] = report });
        var name = $"value-report-{ReportOutput.Slug(account.Name)}-{mail.Month}";
        (string, string, byte[]) attachment;
        try
        {
            attachment = ($"{name}.pdf", GetAccountReportEndpoint.Pdf, await printer.PrintAsync(html,
                $"{account.Name} · as it stood {ReportFormat.Moment(now)} · version {account.Version}", cancellation));
        }
        catch (PrinterUnavailableException e)
        {
            logger.LogWarning(e, "No PDF printer on this node: the monthly report of {Account} goes out as HTML", account.Name);
            attachment = ($"{name}.html", GetAccountReportEndpoint.Html, System.Text.Encoding.UTF8.GetBytes(html));
        }
        var month = DateOnly.ParseExact(mail.Month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("MMMM yyyy", CultureInfo.InvariantCulture);
        var rate = view.RealizationRate is { } r ? r.ToString("P0", CultureInfo.InvariantCulture) : "not yet measured";
        var text = $"""
            Hello {mail.ToName},

            The value report of {account.Name} for {month} is attached: promised {view.PromisedValue.ToString("N0", CultureInfo.InvariantCulture)} {account.Currency}, realized {view.RealizedValue.ToString("N0", CultureInfo.InvariantCulture)} {account.Currency} of {view.PromisedToDate.ToString("N0", CultureInfo.InvariantCulture)} promised to date ({rate}).
            Its last page carries the hashes to verify it with ops/verify.

            The account: {links.Account(account.Id)}
            """;
        var body = $"<p>Hello {System.Net.WebUtility.HtmlEncode(mail.ToName)},</p><p>The value report of <strong>{System.Net.WebUtility.HtmlEncode(account.Name)}</strong> for {month} is attached: " +
                   $"realized {view.RealizedValue.ToString("N0", CultureInfo.InvariantCulture)} {account.Currency} of {view.PromisedToDate.ToString("N0", CultureInfo.InvariantCulture)} promised to date ({rate}).</p>" +
                   $"<p><a href=\"{links.Account(account.Id)}\">Open the account</a></p>";
        await mailer.SendAsync(mail.ToName, mail.ToEmail, $"{account.Name}: value report for {month}", text, body, [attachment], cancellation);
    }
}

/// <summary>Admins send a month's reports now (again, they reach nobody twice): by default the month just ended.</summary>
public static class SendMonthlyReportsEndpoint
{
    [Authorize(Policy = Policies.Administer)]
    [WolverinePost("/api/reports/monthly", Name = "SendMonthlyReports")]
    public static async Task<IResult> Post(HttpContext http, IMessageBus bus, TimeProvider clock)
    {
        var month = StaffMailSchedule.LastMonth(clock.GetUtcNow());
        if (http.Request.Query.TryGetValue("month", out var text))
        {
            if (!DateOnly.TryParseExact($"{text}-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first) ||
                first >= StaffMailSchedule.FirstOfMonth(clock.GetUtcNow()))
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["month"] = ["Give a month that has ended, as yyyy-MM."] },
                    title: "Invalid month");
            month = first.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        }
        await bus.PublishAsync(new SendMonthlyReports(month));
        return Results.Accepted(value: new { month });
    }
}
