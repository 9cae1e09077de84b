namespace ValueLedger.Api.Features.Webhooks;

/// <summary>The "Webhooks" configuration section.</summary>
public sealed class WebhookSettings
{
    public const string Section = "Webhooks";

    /// <summary>
    /// Allow destinations in private, loopback, link-local and other non-public ranges (checked again after DNS
    /// resolution, at each connection). Unset: allowed in local mode only (no identity provider configured).
    /// </summary>
    public bool? AllowPrivateNetworks { get; set; }

    /// <summary>How long one delivery attempt may take, connection included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The waits between attempts (exponential backoff over about 24 hours); after the last one fails the delivery is
    /// dead-lettered: visible in the delivery log and replayable.
    /// </summary>
    public TimeSpan[]? RetryDelays { get; set; }

    public static readonly TimeSpan[] DefaultRetryDelays =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(4), TimeSpan.FromHours(8), TimeSpan.FromHours(8)
    ];

    /// <summary>The configured waits, or the default ones (configuration binding would add to a default array, not replace it).</summary>
    public TimeSpan[] Delays => RetryDelays is { Length: > 0 } configured ? configured : DefaultRetryDelays;

    /// <summary>
    /// How many deliveries are sent at once per node (3, 5, 7 or 9, Wolverine's partition slots). Each subscription's
    /// deliveries take one lane, one at a time, so a slow receiver holds at most one lane.
    /// </summary>
    public int Lanes { get; set; } = 9;

    /// <summary>
    /// After an attempt to a subscription gets no answer within <see cref="Timeout"/>, how long that subscription's
    /// other deliveries go straight to their retry schedule instead of each waiting out the timeout in a lane.
    /// </summary>
    public TimeSpan UnresponsivePause { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long the previous secret still signs (beside the new one) after a rotation.</summary>
    public TimeSpan PreviousSecretGrace { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The CloudEvents <c>source</c> prefix: deliveries name <c>{Source}/accounts/{accountId}</c>.</summary>
    public string Source { get; set; } = "/valueledger";
}
