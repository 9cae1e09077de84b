using Microsoft.AspNetCore.Mvc;
using ValueLedger.Domain.Audit;

namespace ValueLedger.Api.Features.Audit;

public sealed record DigestHeadRequest(Guid? StreamId, long? Version, string? Hash);

/// <summary>A digest as <c>GET /api/audit/digest</c> issued it.</summary>
public sealed record VerifyDigestRequest(string? Scheme, DateTimeOffset? AsOf, int? Streams, long? Events, string? RootHash, IReadOnlyList<DigestHeadRequest>? Heads)
{
    public LedgerDigest ToDigest() => new(Scheme ?? LedgerDigest.CurrentScheme, AsOf ?? default, Streams ?? 0, Events ?? 0, RootHash ?? "",
        (Heads ?? []).Select(h => new StreamHead(h.StreamId!.Value, h.Version!.Value, h.Hash!)).ToList());
}

public sealed class VerifyDigestValidator : AbstractValidator<VerifyDigestRequest>
{
    public VerifyDigestValidator()
    {
        RuleFor(r => r.Scheme).Equal(LedgerDigest.CurrentScheme).When(r => r.Scheme is not null)
            .WithMessage($"Only digests of the scheme {LedgerDigest.CurrentScheme} can be checked.");
        RuleFor(r => r.Streams).NotNull().GreaterThanOrEqualTo(0);
        RuleFor(r => r.Events).NotNull().GreaterThanOrEqualTo(0);
        RuleFor(r => r.RootHash).NotEmpty().Must(EventSeal.IsHash).WithMessage("Use the 64 lowercase hex digits of the digest's rootHash.");
        RuleFor(r => r.Heads).NotNull();
        RuleFor(r => r.Heads)
            .Must(heads => heads!.Where(h => h is not null).Select(h => h.StreamId).Distinct().Count() == heads!.Count(h => h is not null))
            .When(r => r.Heads is not null).WithMessage("Name each stream once.");
        RuleForEach(r => r.Heads).NotNull().ChildRules(head =>
        {
            head.RuleFor(h => h.StreamId).NotNull().NotEqual(Guid.Empty);
            head.RuleFor(h => h.Version).NotNull().GreaterThan(0);
            head.RuleFor(h => h.Hash).NotNull().Must(h => h == "" || EventSeal.IsHash(h)).WithMessage("Use the head's 64 lowercase hex digits.");
        });
    }
}

/// <summary>A covered stream that no longer holds what the digest recorded.</summary>
public sealed record DigestProblem(Guid AccountId, long Version, Tampering Reason, string Detail);

public sealed record DigestVerification(
    bool Verified, bool DigestIntact, string? DigestProblem, int StreamsChecked, long EventsChecked, IReadOnlyList<DigestProblem> Problems);

public static class VerifyDigestEndpoint
{
    /// <summary>
    /// Checks a digest kept outside the system against the ledger: the digest must hold together (its root is the
    /// Merkle root of its heads), and every stream it covers must still chain, unchanged, up to the head it recorded.
    /// Events appended since are fine. Writes nothing.
    /// </summary>
    [Authorize(Policy = Policies.Audit)]
    [WolverinePost("/api/audit/digest/verification", Name = "VerifyLedgerDigest")]
    [ProducesResponseType(typeof(DigestVerification), StatusCodes.Status200OK)]
    public static async Task<DigestVerification> Post(VerifyDigestRequest request, IQuerySession session, HttpContext http)
    {
        var digest = request.ToDigest();
        var inconsistency = digest.Inconsistency();
        var heads = digest.Heads.ToDictionary(h => h.StreamId);
        var problems = new List<DigestProblem>();
        var streams = 0;
        var events = 0L;

        await foreach (var check in LedgerReader.VerifyAsync(LedgerReader.ReadPrefixes(session, digest.Heads, http.RequestAborted), http.RequestAborted))
        {
            streams++;
            events += check.Verdict.EventsChecked;
            var head = heads[check.Verdict.StreamId];
            if (check.Verdict.Break is { } b)
                problems.Add(new DigestProblem(head.StreamId, b.Version, b.Reason, b.Detail));
            else if (check.HeadHash != head.Hash)
                problems.Add(new DigestProblem(head.StreamId, head.Version, Tampering.Changed,
                    $"Version {head.Version} chains consistently but its hash is not the one the digest recorded: the stream was sealed again."));
        }

        return new DigestVerification(inconsistency is null && problems.Count == 0, inconsistency is null, inconsistency, streams, events, problems);
    }
}
