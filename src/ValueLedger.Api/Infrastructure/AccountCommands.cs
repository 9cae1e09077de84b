using Marten;
using ValueLedger.Domain;
using Wolverine;

namespace ValueLedger.Api.Infrastructure;

/// <summary>A command on one account's stream, carrying who sent it and the version they decided on (If-Match).</summary>
public interface IAccountCommand
{
    Guid AccountId { get; }
    long? ExpectedVersion { get; }
    string By { get; }
}

/// <summary>
/// Wolverine middleware: every event appended for an account command records who sent it, as the identity id
/// (issuer|subject) the HTTP edge put in the envelope; commands from inside the app (demo, scheduled checks) carry
/// no such header and are recorded under their own name.
/// </summary>
public static class RecordedByMiddleware
{
    public static void Before(IAccountCommand command, IDocumentSession session, Envelope envelope) =>
        session.LastModifiedBy = envelope.Headers.TryGetValue(CurrentUser.AuthorHeader, out var author) && author is { Length: > 0 }
            ? author
            : command.By;
}

public sealed record Created(Guid Id, long Version);

public static class AccountWrites
{
    /// <summary>
    /// The HTTP edge of every write on an existing account: read If-Match, hand the command to its Wolverine
    /// handler (which decides, appends and retries on conflicts), and answer 201 with Location and ETag, or the
    /// ProblemDetails of the refusal.
    /// </summary>
    public static async Task<IResult> WriteAsync(this IMessageBus bus, HttpContext http,
        Func<long?, string, IAccountCommand> command, Guid createdId, string location)
    {
        if (!Preconditions.TryReadIfMatch(http.Request, out var expected)) return Preconditions.MalformedIfMatch();
        var accountCommand = command(expected, CurrentUser.NameOf(http.User));
        // No account has the empty id, and Marten refuses it as a stream id: answer as for any unknown account.
        if (accountCommand.AccountId == Guid.Empty) return Problems.NotFound("Account", Guid.Empty);
        var written = await bus.InvokeAsync<Written>(accountCommand, CurrentUser.AsAuthor(http.User), http.RequestAborted);
        return written.ToResult(http, location, new Created(createdId, written.Version));
    }
}
