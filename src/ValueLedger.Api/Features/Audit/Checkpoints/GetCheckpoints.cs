using Microsoft.AspNetCore.Mvc;

namespace ValueLedger.Api.Features.Audit.Checkpoints;

/// <summary>The keys that sign checkpoints: the current one at the top level (for <c>ops/verify --public-key</c>), every key in <c>keys</c>.</summary>
public sealed record PublicKeys(string KeyId, string Algorithm, string PublicKey, IReadOnlyList<PublishedKey> Keys);

public static class GetCheckpointsEndpoints
{
    /// <summary>The Ed25519 public key(s) that sign checkpoints, the retired ones with the time they signed until.</summary>
    [Authorize(Policy = Policies.Audit)]
    [WolverineGet("/api/audit/public-key", Name = "GetCheckpointPublicKey")]
    public static PublicKeys PublicKey(CheckpointKey key) =>
        new(key.KeyId, CheckpointKey.Algorithm, Convert.ToBase64String(key.PublicKeyBytes), key.Published);

    /// <summary>The latest signed checkpoint: treeSize, rootHash, timestamp, keyId and the signature over its canonical text.</summary>
    [Authorize(Policy = Policies.Audit)]
    [WolverineGet("/api/audit/checkpoints/latest", Name = "GetLatestCheckpoint")]
    [ProducesResponseType(typeof(SignedCheckpoint), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    public static async Task<IResult> Latest(IQuerySession session, CancellationToken ct) =>
        await LedgerCheckpoints.LatestStoredAsync(session, ct) is { } latest
            ? Results.Ok(latest.ToSigned())
            : Results.Problem(statusCode: 404, title: "No checkpoint yet", detail: "No checkpoint has been signed yet; POST /api/audit/checkpoints signs one.");

    /// <summary>Checkpoints signed in a time range (both ends optional and inclusive), oldest first.</summary>
    [Authorize(Policy = Policies.Audit)]
    [WolverineGet("/api/audit/checkpoints", Name = "ListCheckpoints")]
    [ProducesResponseType(typeof(SignedCheckpoint[]), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    public static async Task<IResult> Range(string? from, string? to, IQuerySession session, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var start = Time(from, "from", errors);
        var end = Time(to, "to", errors);
        if (start is not null && end is not null && start > end) errors["from"] = ["from must not be after to."];
        if (errors.Count > 0) return Results.ValidationProblem(errors, title: "Invalid checkpoint range");

        var query = session.Query<StoredCheckpoint>().AsQueryable();
        if (start is { } s) query = query.Where(c => c.Timestamp >= s);
        if (end is { } e) query = query.Where(c => c.Timestamp <= e);
        var found = await query.OrderBy(c => c.Timestamp).ThenBy(c => c.TreeSize).Take(10_000).ToListAsync(ct);
        return Results.Ok(found.Select(c => c.ToSigned()));
    }

    private static DateTimeOffset? Time(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var time))
            return time;
        errors[field] = ["Use an ISO 8601 time, e.g. 2026-03-31T23:59:59Z."];
        return null;
    }
}
