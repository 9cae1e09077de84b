using System.Globalization;
using ValueLedger.Api.Features.Reports;

namespace ValueLedger.Api.Features.Notifications;

/// <summary>A commitment of an account turned at risk or was missed: its owner (the account's customer success manager) hears of it by e-mail.</summary>
public sealed record OwnerAlert(Guid AccountId, string AccountName, string Owner, Guid CommitmentId, string Metric, string Reason,
    MailKind Kind, string Currency, decimal AtRiskValue, long Version);

/// <summary>What an alert e-mail shows (the HTML body is <see cref="AlertMail"/>, the text says the same).</summary>
public sealed record AlertMailModel(string Greeting, string Headline, string AccountName, string Metric, string Reason, string? AtRisk,
    string AccountLink, string SettingsLink);

public static class OwnerAlertHandler
{
    /// <summary>
    /// The recipients are the staff whose e-mail settings name the account's owner (as owner name or e-mail) and
    /// want this kind; an owner who is an e-mail address and has no settings gets it at that address. One
    /// <see cref="MailStaff"/> per recipient, named by commitment, kind, version and address, so it is sent once.
    /// </summary>
    public static async Task<OutgoingMessages> Handle(OwnerAlert alert, IQuerySession session, ReportRenderer renderer, MailLinks links,
        CancellationToken cancellation)
    {
        var mails = new OutgoingMessages();
        foreach (var (name, email) in await OwnerRecipients.OfAsync(session, alert.Owner, alert.Kind, cancellation))
        {
            var headline = alert.Kind == MailKind.Missed ? $"{alert.Metric} missed its target" : $"{alert.Metric} is at risk";
            var atRisk = alert.AtRiskValue > 0 ? $"{alert.AtRiskValue.ToString("N0", CultureInfo.InvariantCulture)} {alert.Currency} at risk" : null;
            var model = new AlertMailModel($"Hello {name},", headline, alert.AccountName, alert.Metric, alert.Reason, atRisk,
                links.Account(alert.AccountId), links.Settings);
            var html = await renderer.RenderAsync<AlertMail>(new Dictionary<string, object?> { [nameof(AlertMail.Model)] = model });
            var text = $"""
                {model.Greeting}

                {alert.AccountName}: {headline}.
                {alert.Reason}{(atRisk is null ? "" : $"\n{atRisk}.")}

                Open the account: {model.AccountLink}

                You get this because you own the account. Change what you receive: {model.SettingsLink}
                """;
            mails.Add(new MailStaff($"alert/{alert.CommitmentId:N}/{alert.Kind}/{alert.Version}/{email.ToLowerInvariant()}", name, email,
                $"{alert.AccountName}: {headline}", text, html));
        }
        return mails;
    }
}

/// <summary>Who hears about an account as its owner, for one kind of mail.</summary>
public static class OwnerRecipients
{
    /// <summary>
    /// The staff whose settings name the owner (as owner name or address) and want the kind; with no such settings,
    /// an owner written as an e-mail address, at that address.
    /// </summary>
    public static async Task<IReadOnlyList<(string Name, string Email)>> OfAsync(IQuerySession session, string owner, MailKind kind,
        CancellationToken cancellation)
    {
        var key = NotificationSettings.Key(owner);
        if (key.Length == 0) return [];
        return Of(await session.Query<NotificationSettings>().Where(s => s.OwnerKey == key || s.EmailKey == key).ToListAsync(cancellation), owner, kind);
    }

    /// <summary>The same, among settings already read.</summary>
    public static IReadOnlyList<(string Name, string Email)> Of(IEnumerable<NotificationSettings> settings, string owner, MailKind kind)
    {
        var key = NotificationSettings.Key(owner);
        if (key.Length == 0) return [];
        var matching = settings.Where(s => s.OwnerKey == key || s.EmailKey == key).ToList();
        List<(string Name, string Email)> recipients = matching.Count > 0
            ? matching.Where(s => s.Wants(kind)).Select(s => (s.Name, s.Email)).ToList()
            : MimeKit.MailboxAddress.TryParse(owner, out var address) && address.Address.Contains('@')
                ? [(owner, address.Address)]
                : [];
        return recipients.DistinctBy(r => r.Email.ToLowerInvariant()).ToList();
    }
}
