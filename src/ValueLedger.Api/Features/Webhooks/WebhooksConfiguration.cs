using Wolverine.Configuration;
using Wolverine.ErrorHandling;

namespace ValueLedger.Api.Features.Webhooks;

public static class WebhooksConfiguration
{
    public const string Queue = "webhooks";

    /// <summary>
    /// Webhooks (issue 17): subscriptions and their delivery log as documents, an HTTP client that connects only to
    /// public addresses (unless allowed; local mode allows them) and follows no redirect, a durable local queue
    /// partitioned by subscription (Wolverine's group ids: one lane per subscription at a time, several lanes at once),
    /// and the retry schedule.
    /// </summary>
    public static IServiceCollection AddValueLedgerWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(WebhookSettings.Section).Get<WebhookSettings>() ?? new WebhookSettings();
        var auth = configuration.GetSection("Auth").Get<AuthSettings>() ?? new AuthSettings();
        services.Configure<WebhookSettings>(configuration.GetSection(WebhookSettings.Section));
        var destinations = new Destinations(settings.AllowPrivateNetworks ?? auth.IsLocal);
        services.AddSingleton(destinations);
        services.AddSingleton<UnresponsiveReceivers>();
        services.AddHttpClient(DeliverWebhookHandler.HttpClientName, c => c.Timeout = settings.Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false, UseCookies = false, UseProxy = false, ConnectCallback = destinations.ConnectAsync,
                ConnectTimeout = settings.Timeout, PooledConnectionLifetime = TimeSpan.FromMinutes(5)
            });
        services.ConfigureMarten(opts =>
        {
            opts.Schema.For<WebhookSubscription>();
            opts.Schema.For<WebhookDelivery>().Index(d => d.SubscriptionId).Index(d => d.CreatedAt);
        });
        services.ConfigureWolverine(opts =>
        {
            if (settings.Lanes is not (3 or 5 or 7 or 9))
                throw new InvalidOperationException($"Webhooks:Lanes is {settings.Lanes}; Wolverine partitions a queue into 3, 5, 7 or 9 lanes.");
            opts.MessagePartitioning.ByMessage<DeliverWebhook>(m => m.SubscriptionId.ToString());
            opts.LocalQueue(Queue).PartitionProcessingByGroupId((PartitionSlots)settings.Lanes);
            opts.PublishMessage<DeliverWebhook>().ToLocalQueue(Queue);
            opts.Policies.OnException<WebhookDeliveryFailed>().ScheduleRetry(settings.Delays);
        });
        return services;
    }
}
