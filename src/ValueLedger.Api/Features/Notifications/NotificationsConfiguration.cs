namespace ValueLedger.Api.Features.Notifications;

public static class NotificationsConfiguration
{
    /// <summary>E-mail to staff (issue 17, item 2): settings per user, owner alerts, the weekly digest, the monthly reports and their hourly check.</summary>
    public static IServiceCollection AddValueLedgerNotifications(this IServiceCollection services)
    {
        services.AddSingleton<MailLinks>();
        services.AddHostedService<StaffMailSchedule>();
        services.ConfigureMarten(opts =>
        {
            opts.Schema.For<NotificationSettings>().Index(s => s.OwnerKey).Index(s => s.EmailKey);
            opts.Schema.For<CommitmentStatusRecord>().Index(r => r.At);
            opts.Schema.For<DigestRun>();
        });
        return services;
    }
}
