namespace ValueLedger.Domain;

public enum RejectionKind
{
    /// <summary>Something the command names does not exist.</summary>
    NotFound,
    /// <summary>The command collides with what is already recorded (e.g. an overlapping measurement).</summary>
    Conflict,
    /// <summary>A rule of the current state forbids the command.</summary>
    Unprocessable,
    /// <summary>The caller decided on a version of the account that is no longer the latest.</summary>
    PreconditionFailed
}

/// <summary>Why a command was refused, in words a person can act on.</summary>
public sealed record Rejection(RejectionKind Kind, string Title, string Detail, IReadOnlyDictionary<string, object?>? Extensions = null);

/// <summary>The outcome of a pure decision: the events that follow from a command, or why it was refused.</summary>
public sealed class Decision
{
    private Decision(IReadOnlyList<object> events, Rejection? rejection) => (Events, Rejection) = (events, rejection);

    public IReadOnlyList<object> Events { get; }
    public Rejection? Rejection { get; }
    public bool IsAccepted => Rejection is null;

    public static Decision Accept(params object[] events) => new(events, null);
    public static Decision Reject(Rejection rejection) => new([], rejection);

    public static Decision NotFound(string what, Guid id) =>
        Reject(new Rejection(RejectionKind.NotFound, $"{what} not found", $"No {what.ToLowerInvariant()} with id {id} in this account."));

    public static Decision Unprocessable(string title, string detail) => Reject(new Rejection(RejectionKind.Unprocessable, title, detail));

    public static implicit operator Decision(Rejection rejection) => Reject(rejection);
}
