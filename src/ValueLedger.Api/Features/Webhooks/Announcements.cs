using System.Text.Json;
using System.Text.Json.Nodes;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using Microsoft.Extensions.Options;
using ValueLedger.Api.Features.Live;

namespace ValueLedger.Api.Features.Webhooks;

/// <summary>
/// Send one recorded delivery (its id is the <c>webhook-id</c>). The subscription is its Wolverine group id: deliveries
/// of one subscription take one lane of the webhook queue at a time, so a slow receiver holds up only its own.
/// </summary>
public sealed record DeliverWebhook(Guid DeliveryId, Guid SubscriptionId);

/// <summary>A commitment's status became at risk or achieved (found by the at-risk watch, announced to subscribers).</summary>
public sealed record CommitmentStatusChanged(Guid AccountId, Guid CommitmentId, string Type, string Metric, string Reason, long Version,
    DateTimeOffset At);

/// <summary>
/// Turns what happened into deliveries: each CloudEvent a subscriber wants becomes a <see cref="WebhookDelivery"/>
/// (its body fixed now, its id derived from subscription and event, so announcing twice records it once) and a
/// <see cref="DeliverWebhook"/> message, both in the handler's transaction through Wolverine's outbox. The step of
/// an account is announced by the same transaction that compares its at-risk set (Wolverine runs both handlers of
/// <see cref="AccountStepped"/> as one), which the account's own transaction published.
/// </summary>
public static class WebhookAnnouncementHandler
{
    public static async Task Handle(AccountStepped stepped, IDocumentSession session, IMessageContext messages, IOptions<WebhookSettings> settings,
        TimeProvider clock, CancellationToken ct)
    {
        var subscriptions = await session.Query<WebhookSubscription>().ToListAsync(ct);
        if (subscriptions.Count == 0) return;
        var events = await session.Events.FetchStreamAsync(stepped.AccountId, version: stepped.Version, fromVersion: stepped.FromVersion, token: ct);
        var announcements = events.Select(e => WebhookEventTypes.Of(stepped.AccountId, e)).OfType<Announcement>().ToList();
        await RecordAsync(announcements, subscriptions.ToList(), session, messages, settings.Value, clock, ct);
    }

    public static async Task Handle(CommitmentStatusChanged changed, IDocumentSession session, IMessageContext messages,
        IOptions<WebhookSettings> settings, TimeProvider clock, CancellationToken ct)
    {
        var subscriptions = await session.Query<WebhookSubscription>().ToListAsync(ct);
        if (subscriptions.Count == 0) return;
        var announcement = new Announcement(changed.Type, $"{changed.CommitmentId}:{changed.Type}:{changed.Version}", changed.AccountId,
            $"commitments/{changed.CommitmentId}", changed.At, new JsonObject
            {
                ["accountId"] = changed.AccountId, ["version"] = changed.Version, ["commitmentId"] = changed.CommitmentId,
                ["metric"] = changed.Metric, ["reason"] = changed.Reason
            });
        await RecordAsync([announcement], subscriptions.ToList(), session, messages, settings.Value, clock, ct);
    }

    private static async Task RecordAsync(IReadOnlyList<Announcement> announcements, List<WebhookSubscription> subscriptions, IDocumentSession session,
        IMessageContext messages, WebhookSettings settings, TimeProvider clock, CancellationToken ct)
    {
        var wanted = (from a in announcements from s in subscriptions where s.Wants(a.Type)
            select (Announcement: a, Subscription: s, Id: WebhookDelivery.IdOf(s.Id, a.Id))).ToList();
        if (wanted.Count == 0) return;
        var existing = (await session.LoadManyAsync<WebhookDelivery>(ct, wanted.Select(w => w.Id))).Select(d => d.Id).ToHashSet();
        var now = clock.GetUtcNow();
        foreach (var (announcement, subscription, id) in wanted.Where(w => !existing.Contains(w.Id)))
        {
            session.Insert(new WebhookDelivery
            {
                Id = id, SubscriptionId = subscription.Id, EventType = announcement.Type, EventId = announcement.Id,
                AccountId = announcement.AccountId, Body = Body(announcement, settings), CreatedAt = now,
                Status = subscription.Paused ? DeliveryStatus.Held : DeliveryStatus.Pending
            });
            if (!subscription.Paused) await messages.PublishAsync(new DeliverWebhook(id, subscription.Id));
        }
    }

    private static readonly JsonEventFormatter Formatter = new(new JsonSerializerOptions(JsonSerializerDefaults.Web), new JsonDocumentOptions());

    /// <summary>The CloudEvents 1.0 structured-mode JSON of an announcement.</summary>
    public static string Body(Announcement a, WebhookSettings settings)
    {
        var cloudEvent = new CloudEvent(CloudEventsSpecVersion.V1_0)
        {
            Id = a.Id, Type = a.Type, Source = new Uri($"{settings.Source.TrimEnd('/')}/accounts/{a.AccountId}", UriKind.RelativeOrAbsolute),
            Time = a.Time, Subject = a.Subject, DataContentType = "application/json", Data = a.Data
        };
        return System.Text.Encoding.UTF8.GetString(Formatter.EncodeStructuredModeMessage(cloudEvent, out _).Span);
    }
}
