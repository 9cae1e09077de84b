using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Domain.Audit;
using Wolverine.Http;

namespace ValueLedger.Api.Features.Audit;

/// <summary>A stream whose chain does not hold: the first event that breaks it and why.</summary>
public sealed record BrokenStream(Guid AccountId, long FirstBrokenVersion, Tampering Reason, long? Sequence, string Detail);

/// <summary>
/// The answer of a recomputation. For one account, <c>firstBrokenVersion</c> and <c>reason</c> repeat its break at the
/// top level; <c>brokenStreams</c> lists every account whose chain does not hold.
/// </summary>
public sealed record LedgerVerification(
    bool Verified, Guid? AccountId, int StreamsChecked, long EventsChecked, long? FirstBrokenVersion, Tampering? Reason,
    IReadOnlyList<BrokenStream> BrokenStreams);

public static class VerifyLedgerEndpoint
{
    /// <summary>
    /// Recomputes the hash chain of one account (<c>accountId</c>) or of every account from the stored events, and
    /// names the first broken event of each stream: <c>changed</c>, <c>missing</c>, <c>reordered</c> or <c>inserted</c>.
    /// </summary>
    [Authorize(Policy = Policies.Audit)]
    [WolverineGet("/api/audit/verification", Name = "VerifyLedger")]
    [ProducesResponseType(typeof(LedgerVerification), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    public static async Task<IResult> Get(string? accountId, IQuerySession session, HttpContext http)
    {
        // Parsed here rather than bound as Guid?: a mistyped id must not quietly verify the whole ledger instead.
        Guid? account = null;
        if (!string.IsNullOrEmpty(accountId))
        {
            if (!Guid.TryParse(accountId, out var parsed))
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["accountId"] = ["Use the account's id (a GUID)."] },
                    title: "Invalid account id");
            account = parsed;
        }
        var streams = 0;
        var events = 0L;
        var broken = new List<BrokenStream>();
        await foreach (var check in LedgerReader.VerifyAsync(LedgerReader.ReadStreams(session, account, http.RequestAborted), http.RequestAborted))
        {
            streams++;
            events += check.Verdict.EventsChecked;
            if (check.Verdict.Break is { } b)
                broken.Add(new BrokenStream(check.Verdict.StreamId, b.Version, b.Reason, b.Sequence, b.Detail));
        }
        if (account is { } id && streams == 0) return Problems.NotFound("Account", id);

        var single = account is null ? null : broken.FirstOrDefault();
        return Results.Ok(new LedgerVerification(broken.Count == 0, account, streams, events, single?.FirstBrokenVersion, single?.Reason, broken));
    }
}
