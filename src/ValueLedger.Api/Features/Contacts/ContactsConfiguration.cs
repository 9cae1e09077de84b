namespace ValueLedger.Api.Features.Contacts;

public static class ContactsConfiguration
{
    /// <summary>Customer contacts: their documents, the mailer, the per-request membership check and hub connection tracking.</summary>
    public static IServiceCollection AddValueLedgerContacts(this IServiceCollection services, IConfiguration configuration)
    {
        var smtp = configuration.GetSection("Smtp").Get<SmtpSettings>() ?? new SmtpSettings();
        var dataDirectory = ValueLedgerSettings.DataDirectory(configuration);
        var pickup = smtp.PickupDirectory ?? Path.Combine(dataDirectory, "mail");
        services.Configure<ContactSettings>(configuration.GetSection("Contacts"));
        services.AddSingleton(smtp);
        services.AddSingleton(sp => new ContactMailer(smtp, pickup, sp.GetRequiredService<ILogger<ContactMailer>>()));
        services.AddSingleton<Invitations>();
        services.AddSingleton<ContactConnections>();
        services.AddHostedService<ContactRevocationSweep>();
        services.AddSingleton<IContactDirectory, ContactDirectory>();
        services.ConfigureMarten(opts =>
        {
            opts.Schema.For<CustomerContact>().UniqueIndex(c => c.Email);
            opts.Schema.For<SignInCode>().UseOptimisticConcurrency(true).Index(c => c.ContactId);
        });
        return services;
    }
}

public static class CustomerAccessConfiguration
{
    /// <summary>Program.cs's one line for issue 12: customer contacts and the sign-off slice (receipts).</summary>
    public static IServiceCollection AddValueLedgerCustomerAccess(this IServiceCollection services, IConfiguration configuration) =>
        Verification.VerificationConfiguration.AddValueLedgerVerification(services.AddValueLedgerContacts(configuration));
}
