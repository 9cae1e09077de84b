using Microsoft.AspNetCore.Mvc;
using ValueLedger.Domain.Audit;

namespace ValueLedger.Api.Features.Audit;

public static class GetDigestEndpoint
{
    /// <summary>
    /// A digest of the whole ledger at this moment: the head (last version and its hash) of every account's chain and
    /// the Merkle root over them. Keep it outside the system; <c>POST /api/audit/digest/verification</c> later tells
    /// whether the ledger still holds, unchanged, everything it covers.
    /// </summary>
    [Authorize(Policy = Policies.Audit)]
    [WolverineGet("/api/audit/digest", Name = "GetLedgerDigest")]
    [ProducesResponseType(typeof(LedgerDigest), StatusCodes.Status200OK)]
    public static async Task<LedgerDigest> Get(IQuerySession session, TimeProvider clock, HttpContext http)
    {
        var heads = new List<StreamHead>();
        await foreach (var head in LedgerReader.ReadHeads(session, http.RequestAborted)) heads.Add(head.ToHead());
        return LedgerDigest.Of(clock.GetUtcNow(), heads);
    }
}
