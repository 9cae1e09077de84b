using System.Security.Cryptography;
using Marten;
using JasperFx;

namespace ValueLedger.Api.Infrastructure;

/// <summary>The first answer given to a write that carried an Idempotency-Key, kept so a retry gets the same answer.</summary>
public sealed class IdempotentRequest
{
    public string Id { get; set; } = "";
    public string RequestHash { get; set; } = "";
    public bool Completed { get; set; }
    public int Status { get; set; }
    public string? ContentType { get; set; }
    public string? Body { get; set; }
    public string? Location { get; set; }
    public string? ETag { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}

/// <summary>
/// Honours Idempotency-Key on writes. The key is reserved before the write runs (a unique document insert, so two
/// concurrent requests with one key cannot both write), and the answer is stored after it. A retry with the same key
/// and body replays the stored answer and writes nothing; a different body under the same key is refused. If the
/// process dies between the write and storing its answer, the key stays reserved: a retry is told the outcome is
/// unknown (409) rather than risk writing twice.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next)
{
    public const string Header = "Idempotency-Key";
    private const int MaxKeyLength = 200;

    public async Task InvokeAsync(HttpContext http, IDocumentStore store, TimeProvider clock)
    {
        var request = http.Request;
        var isWrite = HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method);
        var key = request.Headers[Header].ToString();
        if (!isWrite || string.IsNullOrEmpty(key) || !request.Path.StartsWithSegments("/api"))
        {
            await next(http);
            return;
        }
        if (key.Length > MaxKeyLength)
        {
            await Results.Problem(statusCode: 400, title: "Idempotency-Key too long", detail: $"Use at most {MaxKeyLength} characters.").ExecuteAsync(http);
            return;
        }

        var id = $"{CurrentUser.IdOf(http.User)}|{key}";
        var hash = await HashAsync(request, http.RequestAborted);

        await using (var session = store.LightweightSession())
        {
            if (await session.LoadAsync<IdempotentRequest>(id, http.RequestAborted) is { } earlier)
            {
                await ReplayAsync(http, earlier, hash);
                return;
            }
            session.Insert(new IdempotentRequest { Id = id, RequestHash = hash, ReceivedAt = clock.GetUtcNow() });
            try
            {
                await session.SaveChangesAsync(http.RequestAborted);
            }
            catch (DocumentAlreadyExistsException)
            {
                await using var again = store.QuerySession();
                await ReplayAsync(http, (await again.LoadAsync<IdempotentRequest>(id, http.RequestAborted))!, hash);
                return;
            }
        }

        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await next(http);
        }
        catch
        {
            await ForgetAsync(store, id);
            throw;
        }
        finally
        {
            http.Response.Body = original;
        }

        if (http.Response.StatusCode >= 500)
        {
            await ForgetAsync(store, id);
        }
        else
        {
            await using var session = store.LightweightSession();
            session.Store(new IdempotentRequest
            {
                Id = id, RequestHash = hash, Completed = true, Status = http.Response.StatusCode,
                ContentType = http.Response.ContentType, Body = System.Text.Encoding.UTF8.GetString(buffer.ToArray()),
                Location = http.Response.Headers.Location.ToString(), ETag = http.Response.Headers.ETag.ToString(),
                ReceivedAt = clock.GetUtcNow()
            });
            await session.SaveChangesAsync(CancellationToken.None);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, http.RequestAborted);
    }

    private static async Task ReplayAsync(HttpContext http, IdempotentRequest earlier, string hash)
    {
        if (earlier.RequestHash != hash)
        {
            await Results.Problem(statusCode: 422, title: "Idempotency-Key already used for a different request",
                detail: "The same key was sent earlier with another method, route or body. Use a new key for a new request.").ExecuteAsync(http);
            return;
        }
        if (!earlier.Completed)
        {
            await Results.Problem(statusCode: 409, title: "A request with this Idempotency-Key is in progress or its outcome is unknown",
                detail: "Nothing more was written. Read the resource to see whether the first request took effect.").ExecuteAsync(http);
            return;
        }

        http.Response.StatusCode = earlier.Status;
        http.Response.Headers["Idempotent-Replayed"] = "true";
        if (!string.IsNullOrEmpty(earlier.Location)) http.Response.Headers.Location = earlier.Location;
        if (!string.IsNullOrEmpty(earlier.ETag)) http.Response.Headers.ETag = earlier.ETag;
        if (earlier.ContentType is not null) http.Response.ContentType = earlier.ContentType;
        if (!string.IsNullOrEmpty(earlier.Body)) await http.Response.WriteAsync(earlier.Body);
    }

    private static async Task ForgetAsync(IDocumentStore store, string id)
    {
        await using var session = store.LightweightSession();
        session.Delete<IdempotentRequest>(id);
        await session.SaveChangesAsync(CancellationToken.None);
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
