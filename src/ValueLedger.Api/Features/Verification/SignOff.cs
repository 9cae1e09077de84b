using Marten;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Domain;
using Wolverine;

namespace ValueLedger.Api.Features.Verification;

/// <summary>The answer to a sign-off: what it created, the account's new version and the signer's receipt.</summary>
public sealed record SignedOff(Guid Id, long Version, Signer Signer, Receipt? Receipt);

public static class SignOffWrites
{
    /// <summary>
    /// The HTTP edge of a customer's sign-off (confirm, dispute, certify): the signer is the authenticated contact
    /// (issuer, subject, name, e-mail from the token; nothing from the body), the command runs like every account write,
    /// and the answer carries a receipt of the event it created.
    /// </summary>
    public static async Task<IResult> SignAsync(this IMessageBus bus, HttpContext http, IQuerySession session, ReceiptBuilder receipts,
        Func<long?, Signer, IAccountCommand> command, Guid signedId, string location)
    {
        if (!Preconditions.TryReadIfMatch(http.Request, out var expected)) return Preconditions.MalformedIfMatch();
        if (CurrentUser.Of(http.User) is not { } signer) return Results.Unauthorized();
        var accountCommand = command(expected, signer.AsSigner());
        if (accountCommand.AccountId == Guid.Empty) return Problems.NotFound("Account", Guid.Empty);
        var written = await bus.InvokeAsync<Written>(accountCommand, CurrentUser.AsAuthor(http.User), http.RequestAborted);
        if (written.Rejection is { } rejection) return rejection.ToResult();
        var receipt = await receipts.IssueAsync(bus, session, accountCommand.AccountId, written.Version, http.RequestAborted);
        http.Response.Headers.ETag = Preconditions.ETagOf(written.Version);
        return Results.Created(location, new SignedOff(signedId, written.Version, signer.AsSigner(), receipt));
    }
}
