using Marten.Pagination;
using Microsoft.Extensions.Options;
using ValueLedger.Api.Features.Accounts;

namespace ValueLedger.Api.Features.Webhooks;

public sealed record CreateWebhookRequest(string? Url, List<string>? Events, string? Description);

public sealed class CreateWebhookValidator : AbstractValidator<CreateWebhookRequest>
{
    public CreateWebhookValidator()
    {
        RuleFor(r => r.Url).NotEmpty().MaximumLength(2000);
        RuleFor(r => r.Events).NotEmpty().Must(e => e is null || e.Count <= 50).WithMessage("Subscribe to at most 50 types, or to *.");
        RuleForEach(r => r.Events).Must(t => t == WebhookEventTypes.All || WebhookEventTypes.Known.Contains(t))
            .WithMessage($"Use * or event types of: {string.Join(", ", WebhookEventTypes.Known)}.");
        RuleFor(r => r.Description).MaximumLength(500);
    }
}

public sealed record WebhookView(Guid Id, string Url, IReadOnlyList<string> Events, string? Description, bool Paused, string CreatedBy,
    DateTimeOffset CreatedAt, DateTimeOffset? ChangedAt, string? ChangedBy, DateTimeOffset? PreviousSecretUntil)
{
    public static WebhookView Of(WebhookSubscription s) =>
        new(s.Id, s.Url, s.Events, s.Description, s.Paused, s.CreatedBy, s.CreatedAt, s.ChangedAt, s.ChangedBy, s.PreviousSecretUntil);
}

/// <summary>A subscription with its secret: answered once, when it is created or rotated.</summary>
public sealed record WebhookWithSecret(WebhookView Webhook, string Secret);

public sealed record DeliveryView(Guid Id, string EventType, string EventId, Guid AccountId, DeliveryStatus Status, int Attempts,
    DateTimeOffset CreatedAt, DateTimeOffset? LastAttemptAt, int? LastStatusCode, string? LastError, double? LastLatencyMs,
    DateTimeOffset? DeliveredAt, int Replays)
{
    public static DeliveryView Of(WebhookDelivery d) => new(d.Id, d.EventType, d.EventId, d.AccountId, d.Status, d.Attempts, d.CreatedAt,
        d.LastAttemptAt, d.LastStatusCode, d.LastError, d.LastLatencyMs, d.DeliveredAt, d.Replays);
}

/// <summary>Admins subscribe URLs to what happens in the ledger, and see and replay what was sent (api.md, Integrations).</summary>
public static class WebhookEndpoints
{
    public const int MaxSubscriptions = 100;

    [Authorize(Policy = Policies.Administer)]
    [WolverinePost("/api/webhooks", Name = "CreateWebhook")]
    public static async Task<IResult> Create(CreateWebhookRequest r, HttpContext http, IDocumentSession session, Destinations destinations,
        TimeProvider clock)
    {
        if (await destinations.RefusalAsync(r.Url, http.RequestAborted) is { } refusal)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["url"] = [refusal] }, title: "The request has invalid fields");
        if (await session.Query<WebhookSubscription>().CountAsync(http.RequestAborted) >= MaxSubscriptions)
            return Results.Problem(statusCode: 409, title: "Too many subscriptions",
                detail: $"At most {MaxSubscriptions} subscriptions; delete one, or subscribe one receiver to several types.");
        var subscription = new WebhookSubscription
        {
            Id = Guid.CreateVersion7(), Url = r.Url!, Events = r.Events!.Distinct().ToList(), Description = r.Description?.Trim(),
            Secret = WebhookSubscription.NewSecret(), CreatedBy = CurrentUser.NameOf(http.User), CreatedAt = clock.GetUtcNow()
        };
        session.Insert(subscription);
        return Results.Created($"/api/webhooks/{subscription.Id}", new WebhookWithSecret(WebhookView.Of(subscription), subscription.Secret));
    }

    [Authorize(Policy = Policies.Administer)]
    [WolverineGet("/api/webhooks", Name = "ListWebhooks")]
    public static async Task<IResult> List(HttpContext http, IQuerySession session) =>
        Results.Ok((await session.Query<WebhookSubscription>().OrderBy(s => s.CreatedAt).ToListAsync(http.RequestAborted)).Select(WebhookView.Of).ToList());

    [Authorize(Policy = Policies.Administer)]
    [WolverineGet("/api/webhooks/{webhookId}/deliveries", Name = "ListWebhookDeliveries")]
    public static async Task<IResult> Deliveries(Guid webhookId, HttpContext http, IQuerySession session)
    {
        var errors = new Dictionary<string, string[]>();
        var query = http.Request.Query;
        var page = QueryParameters.Int(query["page"], 1, 1, 100_000, "page", errors);
        var pageSize = QueryParameters.Int(query["pageSize"], 50, 1, 200, "pageSize", errors);
        var status = QueryParameters.Enum<DeliveryStatus>(query["status"], "status", errors);
        if (errors.Count > 0) return Results.ValidationProblem(errors, title: "Invalid query");
        if (await session.LoadAsync<WebhookSubscription>(webhookId, http.RequestAborted) is null) return Problems.NotFound("Webhook", webhookId);
        var deliveries = session.Query<WebhookDelivery>().Where(d => d.SubscriptionId == webhookId);
        if (status is { } wanted) deliveries = deliveries.Where(d => d.Status == wanted);
        var paged = await deliveries.OrderByDescending(d => d.CreatedAt).ThenBy(d => d.Id).ToPagedListAsync(page, pageSize, http.RequestAborted);
        return Results.Ok(new Paged<DeliveryView>(paged.Select(DeliveryView.Of).ToList(), page, pageSize, (int)paged.TotalItemCount, (int)paged.PageCount));
    }

    [Authorize(Policy = Policies.Administer)]
    [WolverinePost("/api/webhooks/{webhookId}/pause", Name = "PauseWebhook")]
    public static Task<IResult> Pause(Guid webhookId, HttpContext http, IDocumentSession session, TimeProvider clock) =>
        ChangeAsync(webhookId, http, session, clock, s => s.Paused = true);

    /// <summary>Resumes deliveries; what was held while paused is sent now, oldest first.</summary>
    [Authorize(Policy = Policies.Administer)]
    [WolverinePost("/api/webhooks/{webhookId}/resume", Name = "ResumeWebhook")]
    public static async Task<IResult> Resume(Guid webhookId, HttpContext http, IDocumentSession session, IMessageBus bus, TimeProvider clock)
    {
        var answer = await ChangeAsync(webhookId, http, session, clock, s => s.Paused = false);
        if (answer is not Microsoft.AspNetCore.Http.HttpResults.Ok<WebhookView>) return answer;
        var held = await session.Query<WebhookDelivery>().Where(d => d.SubscriptionId == webhookId && d.Status == DeliveryStatus.Held)
            .OrderBy(d => d.CreatedAt).ToListAsync(http.RequestAborted);
        foreach (var delivery in held)
        {
            delivery.Status = DeliveryStatus.Pending;
            session.Store(delivery);
            await bus.PublishAsync(new DeliverWebhook(delivery.Id, delivery.SubscriptionId));
        }
        return answer;
    }

    /// <summary>A new secret, answered once; the previous one keeps signing beside it for the configured grace.</summary>
    [Authorize(Policy = Policies.Administer)]
    [WolverinePost("/api/webhooks/{webhookId}/secret", Name = "RotateWebhookSecret")]
    public static async Task<IResult> Rotate(Guid webhookId, HttpContext http, IDocumentSession session, TimeProvider clock,
        IOptions<WebhookSettings> settings)
    {
        if (await session.LoadAsync<WebhookSubscription>(webhookId, http.RequestAborted) is not { } subscription) return Problems.NotFound("Webhook", webhookId);
        var now = clock.GetUtcNow();
        (subscription.PreviousSecret, subscription.PreviousSecretUntil) = (subscription.Secret, now + settings.Value.PreviousSecretGrace);
        subscription.Secret = WebhookSubscription.NewSecret();
        (subscription.ChangedAt, subscription.ChangedBy) = (now, CurrentUser.NameOf(http.User));
        session.Store(subscription);
        return Results.Ok(new WebhookWithSecret(WebhookView.Of(subscription), subscription.Secret));
    }

    [Authorize(Policy = Policies.Administer)]
    [WolverineDelete("/api/webhooks/{webhookId}", Name = "DeleteWebhook")]
    public static async Task<IResult> Delete(Guid webhookId, HttpContext http, IDocumentSession session)
    {
        if (await session.LoadAsync<WebhookSubscription>(webhookId, http.RequestAborted) is null) return Problems.NotFound("Webhook", webhookId);
        session.Delete<WebhookSubscription>(webhookId);
        session.DeleteWhere<WebhookDelivery>(d => d.SubscriptionId == webhookId);
        return Results.NoContent();
    }

    /// <summary>Sends a dead-lettered delivery again (same <c>webhook-id</c>, same body), with a fresh round of retries.</summary>
    [Authorize(Policy = Policies.Administer)]
    [WolverinePost("/api/webhooks/{webhookId}/deliveries/{deliveryId}/replay", Name = "ReplayWebhookDelivery")]
    public static async Task<IResult> Replay(Guid webhookId, Guid deliveryId, HttpContext http, IDocumentSession session, IMessageBus bus)
    {
        if (await session.LoadAsync<WebhookDelivery>(deliveryId, http.RequestAborted) is not { } delivery || delivery.SubscriptionId != webhookId)
            return Problems.NotFound("Delivery", deliveryId);
        if (delivery.Status != DeliveryStatus.DeadLettered)
            return Results.Problem(statusCode: 409, title: "Only a dead-lettered delivery is replayed",
                detail: $"This delivery is {System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(delivery.Status.ToString())}; Wolverine still retries it, or it arrived.");
        delivery.Status = DeliveryStatus.Pending;
        delivery.Replays++;
        session.Store(delivery);
        await bus.PublishAsync(new DeliverWebhook(delivery.Id, delivery.SubscriptionId));
        return Results.Accepted($"/api/webhooks/{webhookId}/deliveries", DeliveryView.Of(delivery));
    }

    private static async Task<IResult> ChangeAsync(Guid webhookId, HttpContext http, IDocumentSession session, TimeProvider clock,
        Action<WebhookSubscription> change)
    {
        if (await session.LoadAsync<WebhookSubscription>(webhookId, http.RequestAborted) is not { } subscription) return Problems.NotFound("Webhook", webhookId);
        change(subscription);
        (subscription.ChangedAt, subscription.ChangedBy) = (clock.GetUtcNow(), CurrentUser.NameOf(http.User));
        session.Store(subscription);
        return Results.Ok(WebhookView.Of(subscription));
    }
}
