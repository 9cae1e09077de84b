using System.Security.Claims;

namespace ValueLedger.Api.Features.Notifications;

/// <summary>
/// One staff user's e-mail settings: where mail goes, the owner name they go by on accounts (alerts about the accounts
/// they own find them by it), and each kind of mail they want. Keyed by the authenticated identity (issuer|subject).
/// </summary>
public sealed class NotificationSettings
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Email { get; set; } = "";
    /// <summary>Lower case, for matching: the e-mail and the owner name.</summary>
    public string EmailKey { get; set; } = "";
    public string OwnerName { get; set; } = "";
    public string OwnerKey { get; set; } = "";
    public bool AtRiskAlerts { get; set; } = true;
    public bool MissedAlerts { get; set; } = true;
    public bool WeeklyDigest { get; set; }
    /// <summary>The monthly value report of each account they own, as a PDF.</summary>
    public bool MonthlyReports { get; set; } = true;
    public DateTimeOffset ChangedAt { get; set; }

    public bool Wants(MailKind kind) => kind switch
    {
        MailKind.AtRisk => AtRiskAlerts,
        MailKind.Missed => MissedAlerts,
        MailKind.WeeklyDigest => WeeklyDigest,
        MailKind.MonthlyReport => MonthlyReports,
        _ => false
    };

    public static string Key(string text) => text.Trim().ToLowerInvariant();
}

/// <summary>The kinds of e-mail a user can opt out of, one by one.</summary>
public enum MailKind { AtRisk, Missed, WeeklyDigest, MonthlyReport }

public sealed record NotificationSettingsRequest(string? Email, string? OwnerName, bool? AtRiskAlerts, bool? MissedAlerts, bool? WeeklyDigest,
    bool? MonthlyReports = null);

public sealed class NotificationSettingsValidator : AbstractValidator<NotificationSettingsRequest>
{
    public NotificationSettingsValidator()
    {
        RuleFor(r => r.Email).NotEmpty().MaximumLength(320).EmailAddress().WithMessage("Give the address your mail goes to, e.g. maria@seller.example.");
        RuleFor(r => r.OwnerName).MaximumLength(200);
        RuleFor(r => r.AtRiskAlerts).NotNull();
        RuleFor(r => r.MissedAlerts).NotNull();
        RuleFor(r => r.WeeklyDigest).NotNull();
    }
}

/// <summary>What the user has set, or what they would get (saved: false) before they save anything.</summary>
public sealed record NotificationSettingsView(string? Email, string OwnerName, bool AtRiskAlerts, bool MissedAlerts, bool WeeklyDigest, bool Saved,
    bool MonthlyReports = true)
{
    public static NotificationSettingsView Of(NotificationSettings s) =>
        new(s.Email, s.OwnerName, s.AtRiskAlerts, s.MissedAlerts, s.WeeklyDigest, true, s.MonthlyReports);

    /// <summary>The defaults: the token's e-mail and name; alerts on; the weekly digest on for executives and admins.</summary>
    public static NotificationSettingsView Default(ClaimsPrincipal user) => new(user.FindFirstValue("email"), CurrentUser.NameOf(user), true, true,
        user.IsInRole(Roles.Executive) || user.IsInRole(Roles.Admin), false);
}

public static class NotificationSettingsEndpoints
{
    [Authorize(Policy = Policies.ReadPortfolio)]
    [WolverineGet("/api/me/notifications", Name = "GetNotificationSettings")]
    public static async Task<IResult> Get(HttpContext http, IQuerySession session) =>
        await session.LoadAsync<NotificationSettings>(CurrentUser.IdOf(http.User), http.RequestAborted) is { } saved
            ? Results.Ok(NotificationSettingsView.Of(saved))
            : Results.Ok(NotificationSettingsView.Default(http.User));

    /// <summary>Saves the caller's own settings (staff only: customers get the mail of their sign-off requests).</summary>
    [Authorize(Policy = Policies.ReadPortfolio)]
    [WolverinePut("/api/me/notifications", Name = "SaveNotificationSettings")]
    public static async Task<IResult> Put(NotificationSettingsRequest request, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var ownerName = string.IsNullOrWhiteSpace(request.OwnerName) ? CurrentUser.NameOf(http.User) : request.OwnerName.Trim();
        var settings = new NotificationSettings
        {
            Id = CurrentUser.IdOf(http.User), Name = CurrentUser.NameOf(http.User), Email = request.Email!.Trim(),
            EmailKey = NotificationSettings.Key(request.Email!), OwnerName = ownerName, OwnerKey = NotificationSettings.Key(ownerName),
            AtRiskAlerts = request.AtRiskAlerts!.Value, MissedAlerts = request.MissedAlerts!.Value, WeeklyDigest = request.WeeklyDigest!.Value,
            MonthlyReports = request.MonthlyReports ?? true,
            ChangedAt = clock.GetUtcNow()
        };
        session.Store(settings);
        await session.SaveChangesAsync(http.RequestAborted);
        return Results.Ok(NotificationSettingsView.Of(settings));
    }
}
