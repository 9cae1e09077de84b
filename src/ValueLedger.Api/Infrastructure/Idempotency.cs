using System.Security.Cryptography;
using System.Text.Json;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using JasperFx.CodeGeneration.Model;
using Wolverine.Configuration;
using Wolverine.Runtime.Handlers;

namespace ValueLedger.Api.Infrastructure;

/// <summary>
/// The first answer to a command sent with an Idempotency-Key: what its handler returned, and the resource the
/// edge created for it. It is inserted by the handler itself, in the transaction that appends the events (ADR 0010),
/// so a command is either written together with its answer or not at all.
/// </summary>
public sealed class IdempotentRequest
{
    /// <summary>Who sent it (authenticated identity), the method and route, and the key: one key never crosses users or routes.</summary>
    public string Id { get; set; } = "";
    public string RequestHash { get; set; } = "";
    /// <summary>The handler's result as JSON; the endpoint renders the HTTP answer from it again on a retry.</summary>
    public string Result { get; set; } = "";
    public Guid? CreatedId { get; set; }
    public string? Location { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>The Idempotency-Key of the current request, scoped by user and route, with the hash of what was sent.</summary>
public sealed record IdempotencyScope(string Id, string RequestHash);

/// <summary>
/// Reads Idempotency-Key on writes: refuses an oversized key, and hashes method, route, content type and body so a
/// key reused for another request is recognised. It stores nothing: the write edge (<see cref="AccountWrites"/>)
/// replays an earlier answer, and the command's handler records a new one in its own transaction.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next)
{
    public const string Header = "Idempotency-Key";
    private const int MaxKeyLength = 200;

    public async Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        var isWrite = HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method);
        var key = request.Headers[Header].ToString();
        if (isWrite && !string.IsNullOrEmpty(key) && request.Path.StartsWithSegments("/api"))
        {
            if (key.Length > MaxKeyLength)
            {
                await Results.Problem(statusCode: 400, title: "Idempotency-Key too long", detail: $"Use at most {MaxKeyLength} characters.",
                    extensions: new Dictionary<string, object?> { ["field"] = Header }).ExecuteAsync(http);
                return;
            }
            var route = $"{request.Method} {request.Path}";
            http.Features.Set(new IdempotencyScope($"{CurrentUser.IdOf(http.User)}|{route}|{key}", await HashAsync(request, http.RequestAborted)));
        }
        await next(http);
    }

    private static async Task<string> HashAsync(HttpRequest request, CancellationToken cancellation)
    {
        request.EnableBuffering();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString} {request.ContentType}\n"));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellation)) > 0) sha.AppendData(chunk, 0, read);
        request.Body.Position = 0;
        return Convert.ToHexString(sha.GetHashAndReset());
    }
}

/// <summary>How the write edge hands an Idempotency-Key to the command's handler: envelope headers.</summary>
public static class IdempotentAnswers
{
    internal const string IdHeader = "idempotency-id";
    internal const string HashHeader = "idempotency-hash";
    internal const string ExpiresHeader = "idempotency-expires";
    internal const string CreatedIdHeader = "idempotency-created-id";
    internal const string LocationHeader = "idempotency-location";
    public const string ReplayedHeader = "Idempotent-Replayed";

    private static readonly JsonSerializerOptions JsonOptions = Json.Configure(new JsonSerializerOptions());

    public static DeliveryOptions Carry(DeliveryOptions options, IdempotencyScope scope, DateTimeOffset expiresAt, CreatedResource? created)
    {
        options.Headers[IdHeader] = scope.Id;
        options.Headers[HashHeader] = scope.RequestHash;
        options.Headers[ExpiresHeader] = expiresAt.ToString("O");
        if (created is not null)
        {
            options.Headers[CreatedIdHeader] = created.Id.ToString();
            options.Headers[LocationHeader] = created.Location;
        }
        return options;
    }

    /// <summary>
    /// Called by generated handler code after the handler and before Marten commits (<see cref="IdempotencyPolicy"/>).
    /// An insert, not an upsert: a concurrent duplicate fails at commit with everything it appended rolled back.
    /// </summary>
    public static void Record(IMessageContext context, IDocumentSession session, TimeProvider clock, object? result)
    {
        var headers = context.Envelope?.Headers;
        if (result is null || headers is null || !headers.TryGetValue(IdHeader, out var id) || id is null) return;
        session.Insert(new IdempotentRequest
        {
            Id = id,
            RequestHash = headers[HashHeader] ?? "",
            Result = JsonSerializer.Serialize(result, result.GetType(), JsonOptions),
            CreatedId = headers.TryGetValue(CreatedIdHeader, out var created) && Guid.TryParse(created, out var createdId) ? createdId : null,
            Location = headers.TryGetValue(LocationHeader, out var location) ? location : null,
            RecordedAt = clock.GetUtcNow(),
            ExpiresAt = DateTimeOffset.Parse(headers[ExpiresHeader]!, System.Globalization.CultureInfo.InvariantCulture)
        });
    }

    public static TResult ResultOf<TResult>(IdempotentRequest earlier) => JsonSerializer.Deserialize<TResult>(earlier.Result, JsonOptions)!;

    public static IResult KeyReused() => Results.Problem(statusCode: 422, title: "Idempotency-Key already used for a different request",
        detail: "The same key was sent earlier on this route with another body. Use a new key for a new request.",
        extensions: new Dictionary<string, object?> { ["field"] = IdempotencyMiddleware.Header });
}

/// <summary>
/// Adds <see cref="IdempotentAnswers.Record"/> to every write command's handler, fed with the handler's own return
/// value and placed before the commit, so the answer is part of the command's transaction.
/// </summary>
public sealed class IdempotencyPolicy : IHandlerPolicy
{
    public void Apply(IReadOnlyList<HandlerChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(c => typeof(IWriteCommand).IsAssignableFrom(c.MessageType)))
        {
            if (chain.Handlers.LastOrDefault()?.ReturnVariable is not { } returned) continue;
            // A handler returning (answer, cascading messages) is answered with its first element; the messages leave through the outbox.
            var result = returned is ValueTypeReturnVariable tuple ? tuple.Inners[0].Inner : returned;
            var record = new MethodCall(typeof(IdempotentAnswers), nameof(IdempotentAnswers.Record));
            record.Arguments[3] = result;
            chain.Postprocessors.Insert(0, record);
        }
    }
}

/// <summary>Answers are kept for a day (ValueLedger:IdempotencyKeyLifetime); expired ones are removed every hour.</summary>
public sealed class IdempotencyExpiry(IDocumentStore store, TimeProvider clock, ILogger<IdempotencyExpiry> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var session = store.LightweightSession();
                var now = clock.GetUtcNow();
                session.DeleteWhere<IdempotentRequest>(r => r.ExpiresAt < now);
                await session.SaveChangesAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Removing expired idempotency answers failed; trying again in an hour");
            }
        }
    }
}
