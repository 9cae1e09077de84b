using Microsoft.AspNetCore.Mvc;

namespace ValueLedger.Api.Features.Verification;

public static class GetReceiptEndpoint
{
    /// <summary>The events a receipt can be asked for: sign-offs and confirmations recorded on a customer's behalf.</summary>
    private static readonly HashSet<Type> SignOffs =
        [typeof(MeasurementConfirmed), typeof(MeasurementDisputed), typeof(MeasurementConfirmedOnBehalf), typeof(SettlementCertified), typeof(SettlementDisputed)];

    /// <summary>
    /// The receipt of the sign-off at <c>version</c> of the account, as the ledger stands now: with the latest signed
    /// checkpoint and, once it covers the event, the inclusion proof (a receipt issued before a checkpoint covered its
    /// event is completed here). The account's contacts and staff may ask.
    /// </summary>
    [Authorize(Policy = Policies.ReadAccount)]
    [WolverineGet("/api/accounts/{accountId}/receipts/{version}", Name = "GetReceipt")]
    [ProducesResponseType(typeof(Receipt), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    public static async Task<IResult> Get(Guid accountId, long version, IQuerySession session, ReceiptBuilder receipts, CancellationToken ct)
    {
        if (version < 1) return Results.ValidationProblem(new Dictionary<string, string[]> { ["version"] = ["A version is a whole number from 1."] });
        var events = await session.Events.FetchStreamAsync(accountId, version: version, fromVersion: version, token: ct);
        if (events.SingleOrDefault() is not { } e || e.Version != version || !SignOffs.Contains(e.EventType))
            return Results.Problem(statusCode: 404, title: "No sign-off there",
                detail: $"Version {version} of account {accountId} is not a sign-off, so it has no receipt.");
        return await receipts.ForAsync(session, accountId, version, ct) is { } receipt ? Results.Ok(receipt) : Problems.NotFound("Account", accountId);
    }
}
