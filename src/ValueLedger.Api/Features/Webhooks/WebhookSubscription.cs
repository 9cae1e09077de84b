using System.Security.Cryptography;

namespace ValueLedger.Api.Features.Webhooks;

/// <summary>
/// An admin's subscription of a URL to event types. Configuration, not a ledger fact: it is a document that changes
/// (pause, resume, rotate) and can be deleted; who created it and when is kept on it.
/// </summary>
public sealed class WebhookSubscription
{
    public Guid Id { get; set; }
    public string Url { get; set; } = "";
    /// <summary>CloudEvents types, or <c>*</c> for every type.</summary>
    public List<string> Events { get; set; } = [];
    public string? Description { get; set; }
    /// <summary>The Standard Webhooks signing secret (<c>whsec_</c> + base64): shown once, when created or rotated.</summary>
    public string Secret { get; set; } = "";
    /// <summary>After a rotation the previous secret signs beside the new one until <see cref="PreviousSecretUntil"/>.</summary>
    public string? PreviousSecret { get; set; }
    public DateTimeOffset? PreviousSecretUntil { get; set; }
    public bool Paused { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ChangedAt { get; set; }
    public string? ChangedBy { get; set; }

    public bool Wants(string type) => Events.Contains(WebhookEventTypes.All) || Events.Contains(type);

    /// <summary>The secrets that sign a delivery sent at <paramref name="now"/>: the current one, and the previous one during its grace.</summary>
    public IEnumerable<string> SigningSecrets(DateTimeOffset now)
    {
        yield return Secret;
        if (PreviousSecret is { } previous && PreviousSecretUntil > now) yield return previous;
    }

    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}

public enum DeliveryStatus { Pending, Retrying, Delivered, DeadLettered, Held }

/// <summary>
/// One CloudEvent for one subscription: its log entry and the body it sends on every attempt. Its id is the
/// <c>webhook-id</c>, the same on every attempt and replay, so a receiver can drop what it already has.
/// </summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; set; }
    public Guid SubscriptionId { get; set; }
    public string EventType { get; set; } = "";
    /// <summary>The CloudEvent's id (the ledger event's id, or the transition's).</summary>
    public string EventId { get; set; } = "";
    public Guid AccountId { get; set; }
    /// <summary>The CloudEvents 1.0 structured JSON sent as the body.</summary>
    public string Body { get; set; } = "";
    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    /// <summary>How long the last attempt took, in milliseconds.</summary>
    public double? LastLatencyMs { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public int Replays { get; set; }

    /// <summary>One delivery per subscription and CloudEvent, whoever announces it and however often.</summary>
    public static Guid IdOf(Guid subscriptionId, string eventId) =>
        new(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"valueledger-webhook:{subscriptionId:N}:{eventId}"))[..16]);
}
