using Microsoft.AspNetCore.Mvc;

namespace ValueLedger.Api.Features.Audit.Checkpoints;

public static class GetProofsEndpoints
{
    /// <summary>
    /// RFC 9162 inclusion proof of the event at global <c>sequence</c> in the tree of <c>treeSize</c> leaves (default:
    /// the latest checkpoint's): its leaf index, leaf hash, audit path and the root it leads to.
    /// </summary>
    [Authorize(Policy = Policies.Audit)]
    [WolverineGet("/api/audit/proofs/inclusion", Name = "GetInclusionProof")]
    [ProducesResponseType(typeof(InclusionProof), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    public static async Task<IResult> Inclusion(long? sequence, long? treeSize, IQuerySession session, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (sequence is null or < 1) errors["sequence"] = ["Give the event's sequence (a whole number from 1)."];
        if (treeSize is < 1) errors["treeSize"] = ["A tree size is a whole number from 1."];
        if (errors.Count > 0) return Results.ValidationProblem(errors, title: "Invalid inclusion proof request");
        return await LedgerCheckpoints.InclusionProofAsync(session, sequence!.Value, treeSize, ct) is { } proof
            ? Results.Ok(proof)
            : Results.Problem(statusCode: 404, title: "Not covered",
                detail: $"No checkpointed tree{(treeSize is null ? "" : $" of size {treeSize}")} covers event {sequence}.");
    }

    /// <summary>RFC 9162 consistency proof that the tree of <c>from</c> leaves is a prefix of the tree of <c>to</c> leaves.</summary>
    [Authorize(Policy = Policies.Audit)]
    [WolverineGet("/api/audit/proofs/consistency", Name = "GetConsistencyProof")]
    [ProducesResponseType(typeof(ConsistencyProof), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    public static async Task<IResult> Consistency(long? from, long? to, IQuerySession session, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (from is null or < 0) errors["from"] = ["Give the older tree size (a whole number from 0)."];
        if (to is null or < 0) errors["to"] = ["Give the newer tree size (a whole number from 0)."];
        else if (from > to) errors["from"] = ["from must not be larger than to."];
        if (errors.Count > 0) return Results.ValidationProblem(errors, title: "Invalid consistency proof request");
        return await LedgerCheckpoints.ConsistencyProofAsync(session, from!.Value, to!.Value, ct) is { } proof
            ? Results.Ok(proof)
            : Results.Problem(statusCode: 404, title: "Not covered", detail: $"No checkpoint has covered a tree of {to} leaves yet.");
    }
}
