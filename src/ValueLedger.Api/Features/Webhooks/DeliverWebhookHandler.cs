using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;
using StandardWebhooks;

namespace ValueLedger.Api.Features.Webhooks;

/// <summary>An attempt failed and another is due: Wolverine schedules it (durably) after the configured wait.</summary>
public sealed class WebhookDeliveryFailed(string message) : Exception(message);

/// <summary>
/// Sends one delivery: a POST of its CloudEvent, signed per Standard Webhooks (<c>webhook-id</c>,
/// <c>webhook-timestamp</c>, <c>webhook-signature</c>: one <c>v1,</c> signature per secret in use). Each attempt is
/// written to the delivery log in its own transaction, so a failure is visible while Wolverine retries the message
/// (<see cref="WebhookDeliveryFailed"/>, exponential waits from <see cref="WebhookSettings.Delays"/>); the attempt
/// after the last wait that fails dead-letters the delivery instead, to be replayed from the log. A 2xx answer is
/// success; anything else, a redirect included, is a failure. An attempt that gets no answer within the timeout marks
/// the subscription unresponsive for a while (<see cref="UnresponsiveReceivers"/>): its next deliveries are not sent
/// but go straight to their retry schedule, so a hanging receiver does not hold a lane once per delivery.
/// </summary>
public static class DeliverWebhookHandler
{
    public const string HttpClientName = "webhooks";

    public static async Task Handle(DeliverWebhook message, Envelope envelope, IDocumentStore store, IHttpClientFactory clients,
        IOptions<WebhookSettings> settings, UnresponsiveReceivers unresponsive, TimeProvider clock, ILogger<WebhookDelivery> logger,
        CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var delivery = await session.LoadAsync<WebhookDelivery>(message.DeliveryId, ct);
        if (delivery is null || delivery.Status is DeliveryStatus.Delivered or DeliveryStatus.DeadLettered or DeliveryStatus.Held) return;
        if (await session.LoadAsync<WebhookSubscription>(delivery.SubscriptionId, ct) is not { } subscription) return; // deleted since
        if (subscription.Paused)
        {
            delivery.Status = DeliveryStatus.Held; // resumed later with the subscription
            session.Store(delivery);
            await session.SaveChangesAsync(ct);
            return;
        }

        var lastAttempt = envelope.Attempts > settings.Value.Delays.Length;
        if (unresponsive.PausedUntil(subscription.Id) is { } pausedUntil)
        {
            delivery.Attempts++;
            delivery.LastAttemptAt = clock.GetUtcNow();
            (delivery.LastStatusCode, delivery.LastLatencyMs) = (null, null);
            delivery.LastError = $"Not sent: the receiver gave no answer within {settings.Value.Timeout.TotalSeconds:0.#} s to an earlier delivery; " +
                $"its deliveries wait until {pausedUntil:HH:mm:ss} UTC.";
            delivery.Status = lastAttempt ? DeliveryStatus.DeadLettered : DeliveryStatus.Retrying;
            session.Store(delivery);
            await session.SaveChangesAsync(ct);
            if (lastAttempt) return;
            throw new WebhookDeliveryFailed($"Webhook delivery {delivery.Id} held back: subscription {subscription.Id} is unresponsive.");
        }

        // The receiver checks the timestamp against its own clock, so it is the machine's time, not the business clock.
        var sentAt = DateTimeOffset.UtcNow;
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, "application/cloudevents+json")
        };
        var webhookId = delivery.Id.ToString();
        request.Headers.Add("webhook-id", webhookId);
        request.Headers.Add("webhook-timestamp", sentAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature",
            string.Join(' ', subscription.SigningSecrets(clock.GetUtcNow()).Select(s => new StandardWebhook(s).Sign(webhookId, sentAt, delivery.Body))));

        var started = Stopwatch.GetTimestamp();
        (int? status, string? error) outcome;
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            outcome = ((int)response.StatusCode, response.IsSuccessStatusCode ? null : $"The receiver answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
        catch (HttpRequestException e)
        {
            outcome = (null, e.Message);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            outcome = (null, $"No answer within {settings.Value.Timeout.TotalSeconds:0.#} s.");
            unresponsive.TimedOut(subscription.Id, settings.Value.UnresponsivePause);
        }
        if (outcome.status is not null) unresponsive.Answered(subscription.Id);

        var now = clock.GetUtcNow();
        delivery.Attempts++;
        delivery.LastAttemptAt = now;
        delivery.LastStatusCode = outcome.status;
        delivery.LastError = outcome.error;
        delivery.LastLatencyMs = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);
        delivery.Status = outcome.error is null ? DeliveryStatus.Delivered : lastAttempt ? DeliveryStatus.DeadLettered : DeliveryStatus.Retrying;
        if (delivery.Status == DeliveryStatus.Delivered) delivery.DeliveredAt = now;
        session.Store(delivery);
        await session.SaveChangesAsync(ct);

        if (delivery.Status == DeliveryStatus.DeadLettered)
            logger.LogWarning("Webhook delivery {DeliveryId} to subscription {SubscriptionId} dead-lettered after {Attempts} attempts: {Error}",
                delivery.Id, subscription.Id, delivery.Attempts, outcome.error);
        if (delivery.Status == DeliveryStatus.Retrying)
            throw new WebhookDeliveryFailed($"Webhook delivery {delivery.Id} attempt {envelope.Attempts} failed: {outcome.error}");
    }
}
