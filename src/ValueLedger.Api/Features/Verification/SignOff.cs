namespace ValueLedger.Api.Features.Verification;

/// <summary>The answer to a sign-off: what it created, the account's new version and the signer's receipt.</summary>
public sealed record SignedOff(Guid Id, long Version, Signer Signer, Receipt? Receipt);

public static class SignOffWrites
{
    /// <summary>
    /// The HTTP edge of a customer's sign-off (confirm, dispute, certify): the signer is the authenticated contact
    /// (issuer, subject, name, e-mail from the token; nothing from the body), the command goes through the one write
    /// edge like every account write (If-Match, Idempotency-Key: a retried sign-off gets the first answer), and the
    /// answer carries a receipt of the event it created.
    /// </summary>
    public static Task<IResult> SignAsync(this IMessageBus bus, HttpContext http, IQuerySession session, ReceiptBuilder receipts,
        Func<long?, Signer, IAccountCommand> command, Guid signedId, string location)
    {
        if (CurrentUser.Of(http.User) is not { } signer) return Task.FromResult(Results.Unauthorized());
        IAccountCommand? sent = null;
        return bus.WriteAsync<Written>(http, (expected, _) => sent = command(expected, signer.AsSigner()), new CreatedResource(signedId, location),
            async (written, resource) =>
            {
                if (written.Rejection is { } rejection) return rejection.ToResult();
                var receipt = await receipts.IssueAsync(bus, session, sent!.AccountId, written.Version, http.RequestAborted);
                http.Response.Headers.ETag = Preconditions.ETagOf(written.Version);
                return Results.Created(resource!.Location, new SignedOff(resource.Id, written.Version, signer.AsSigner(), receipt));
            });
    }
}
