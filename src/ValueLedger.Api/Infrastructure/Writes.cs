namespace ValueLedger.Api.Infrastructure;

/// <summary>What a command handler tells the HTTP edge: refused and why, or accepted at a new account version.</summary>
public sealed record Written(Rejection? Rejection, long Version)
{
    public IResult ToResult(HttpContext http, string location, object body)
    {
        if (Rejection is not null) return Rejection.ToResult();
        http.Response.Headers.ETag = Preconditions.ETagOf(Version);
        return Results.Created(location, body);
    }
}

public static class AccountStreams
{
    /// <summary>
    /// Runs a pure decision against the account loaded for writing and appends what it decides. Wolverine commits
    /// the events in one transaction and, when another writer got there first, retries the whole handler, so the
    /// decision is taken again against the newer state and a command that is still valid is not lost.
    /// </summary>
    public static Written Decide(this IEventStream<Account> stream, long? expectedVersion, Func<Account, Decision> decide)
    {
        if (stream.Aggregate is not { } account)
            return new Written(new Rejection(RejectionKind.NotFound, "Account not found", $"No account with id {stream.Id}."), 0);
        var version = stream.StartingVersion ?? account.Version;
        if (expectedVersion is { } expected && expected != version)
            return new Written(Preconditions.Failed(expected, version), version);

        var decision = decide(account);
        if (decision.Rejection is { } rejection) return new Written(rejection, version);
        stream.AppendMany(decision.Events);
        return new Written(null, version + decision.Events.Count);
    }
}

/// <summary>Optimistic concurrency for HTTP: reads answer an ETag with the account version, writes honour If-Match.</summary>
public static class Preconditions
{
    public static string ETagOf(long version) => $"\"{version}\"";

    /// <summary>The version named by If-Match, if any. A malformed header is reported rather than ignored.</summary>
    public static bool TryReadIfMatch(HttpRequest request, out long? version)
    {
        version = null;
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header) || header.Trim() == "*") return true;
        var text = header.Trim();
        if (text.StartsWith("W/", StringComparison.Ordinal)) text = text[2..];
        if (long.TryParse(text.Trim('"'), out var parsed) && parsed >= 0)
        {
            version = parsed;
            return true;
        }
        return false;
    }

    public static Rejection Failed(long expected, long actual) => new(RejectionKind.PreconditionFailed, "The account has moved on",
        $"If-Match named version {expected} but the account is at version {actual}. Read it again and decide on the current state.",
        new Dictionary<string, object?> { ["currentVersion"] = actual });

    public static IResult MalformedIfMatch() => Results.Problem(statusCode: 400, title: "Malformed If-Match header",
        detail: "Send If-Match: \"<version>\" with the version from the account's ETag.");
}
