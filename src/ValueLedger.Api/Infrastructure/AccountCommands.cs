using JasperFx;
using Microsoft.Extensions.Options;

namespace ValueLedger.Api.Infrastructure;

/// <summary>A command that appends events, carrying who sent it; the HTTP write edge sends it (<see cref="AccountWrites"/>).</summary>
public interface IWriteCommand
{
    string By { get; }
}

/// <summary>A command on one account's stream, with the version its sender decided on (If-Match).</summary>
public interface IAccountCommand : IWriteCommand
{
    Guid AccountId { get; }
    long? ExpectedVersion { get; }
}

/// <summary>
/// Wolverine middleware: every event appended for an account command records who sent it, as the identity id
/// (issuer|subject) the HTTP edge put in the envelope; commands from inside the app (demo, scheduled checks) carry
/// no such header and are recorded under their own name.
/// </summary>
public static class RecordedByMiddleware
{
    public static void Before(IWriteCommand command, IDocumentSession session, Envelope envelope) =>
        session.LastModifiedBy = envelope.Headers.TryGetValue(CurrentUser.AuthorHeader, out var author) && author is { Length: > 0 }
            ? author
            : command.By;
}

public sealed record Created(Guid Id, long Version);

/// <summary>The resource a write creates, named by the edge before the command runs.</summary>
public sealed record CreatedResource(Guid Id, string Location);

public static class AccountWrites
{
    /// <summary>
    /// The one HTTP edge of every command: read If-Match, replay the first answer to a repeated Idempotency-Key,
    /// otherwise hand the command to its Wolverine handler (which decides, appends, records the answer for the key
    /// in the same transaction, and retries on conflicts), then answer from what the handler returned.
    /// </summary>
    public static async Task<IResult> WriteAsync<TResult>(this IMessageBus bus, HttpContext http,
        Func<long?, string, IWriteCommand> command, CreatedResource? created, Func<TResult, CreatedResource?, Task<IResult>> answer)
    {
        if (!Preconditions.TryReadIfMatch(http.Request, out var expected)) return Preconditions.MalformedIfMatch();
        var accountCommand = command(expected, CurrentUser.NameOf(http.User));
        // No account has the empty id, and Marten refuses it as a stream id: answer as for any unknown account.
        if (accountCommand is IAccountCommand { AccountId: var accountId } && accountId == Guid.Empty) return Problems.NotFound("Account", Guid.Empty);

        if (http.Features.Get<IdempotencyScope>() is not { } scope)
            return await answer(await bus.InvokeAsync<TResult>(accountCommand, CurrentUser.AsAuthor(http.User), http.RequestAborted), created);

        var store = http.RequestServices.GetRequiredService<IDocumentStore>();
        var clock = http.RequestServices.GetRequiredService<TimeProvider>();
        if (await EarlierAnswerAsync(store, clock, scope, http.RequestAborted) is { } earlier) return await ReplayAsync(http, scope, earlier, answer);
        var lifetime = http.RequestServices.GetRequiredService<IOptions<ValueLedgerSettings>>().Value.IdempotencyKeyLifetime;
        try
        {
            var result = await bus.InvokeAsync<TResult>(accountCommand,
                IdempotentAnswers.Carry(CurrentUser.AsAuthor(http.User), scope, clock.GetUtcNow() + lifetime, created), http.RequestAborted);
            return await answer(result, created);
        }
        catch (Exception e) when (e is DocumentAlreadyExistsException or ConcurrencyException)
        {
            // A concurrent request with the same key (a client that gave up waiting and retried) committed first;
            // this one was rolled back whole and answers as the first did.
            if (await EarlierAnswerAsync(store, clock, scope, http.RequestAborted) is not { } first) throw;
            return await ReplayAsync(http, scope, first, answer);
        }
    }

    /// <summary>The common shape: a command on an existing account that creates one resource, answered 201 with Location and ETag.</summary>
    public static Task<IResult> WriteAsync(this IMessageBus bus, HttpContext http,
        Func<long?, string, IAccountCommand> command, Guid createdId, string location) =>
        bus.WriteAsync<Written>(http, command, new CreatedResource(createdId, location),
            (written, resource) => Task.FromResult(written.ToResult(http, resource!.Location, new Created(resource.Id, written.Version))));

    private static async Task<IdempotentRequest?> EarlierAnswerAsync(IDocumentStore store, TimeProvider clock, IdempotencyScope scope, CancellationToken cancellation)
    {
        await using var session = store.QuerySession();
        var earlier = await session.LoadAsync<IdempotentRequest>(scope.Id, cancellation);
        if (earlier is null || earlier.ExpiresAt > clock.GetUtcNow()) return earlier;
        // Expired but not yet swept: forget it, so the key can be used afresh.
        await using var cleanup = store.LightweightSession();
        cleanup.Delete<IdempotentRequest>(scope.Id);
        await cleanup.SaveChangesAsync(cancellation);
        return null;
    }

    private static Task<IResult> ReplayAsync<TResult>(HttpContext http, IdempotencyScope scope, IdempotentRequest earlier,
        Func<TResult, CreatedResource?, Task<IResult>> answer)
    {
        if (earlier.RequestHash != scope.RequestHash) return Task.FromResult(IdempotentAnswers.KeyReused());
        http.Response.Headers[IdempotentAnswers.ReplayedHeader] = "true";
        var created = earlier.CreatedId is { } id && earlier.Location is { } location ? new CreatedResource(id, location) : null;
        return answer(IdempotentAnswers.ResultOf<TResult>(earlier), created);
    }
}
