using Wolverine.ErrorHandling;
using JasperFx;
using Wolverine.Runtime.Handlers;

namespace ValueLedger.Api.Features.Accounts;

/// <summary>
/// Which account a system of record (a CRM) knows by an id: one document per (system, external id), inserted in the
/// transaction that opens the account, so two systems' ids or two concurrent upserts can never make two accounts.
/// </summary>
public sealed class ExternalIdLink
{
    /// <summary><c>{system}/{externalId}</c>.</summary>
    public string Id { get; set; } = "";
    public Guid AccountId { get; set; }

    public static string IdOf(string system, string externalId) => $"{system}/{externalId}";
}

/// <summary>The route's two names for an account in a system of record.</summary>
public static class ExternalIds
{
    public const int MaxExternalIdLength = 100;
    private static readonly System.Text.RegularExpressions.Regex SystemName = new("^[a-z0-9][a-z0-9._-]{0,39}$");

    /// <summary>Null when both are well formed, otherwise the error of each that is not, by field.</summary>
    public static Dictionary<string, string[]>? Errors(string system, string externalId)
    {
        var errors = new Dictionary<string, string[]>();
        if (!SystemName.IsMatch(system))
            errors["system"] = ["Name the system of record in lower case letters, digits, '.', '_' or '-', at most 40 characters (e.g. salesforce)."];
        if (string.IsNullOrWhiteSpace(externalId) || externalId.Length > MaxExternalIdLength || externalId.Any(char.IsControl))
            errors["externalId"] = [$"Give the system's id of the account: 1 to {MaxExternalIdLength} characters, no control characters."];
        return errors.Count == 0 ? null : errors;
    }

    /// <summary>Null when both are well formed, otherwise the ProblemDetails naming the one that is not.</summary>
    public static IResult? Problem(string system, string externalId) =>
        Errors(system, externalId) is { } errors ? Results.ValidationProblem(errors, title: "Invalid external id") : null;
}

/// <summary>
/// Open the account a system of record knows by <see cref="ExternalId"/>, or bring its details up to date when it is
/// already open. <see cref="AccountId"/> is the id a new account gets; the handler decides which case it is.
/// </summary>
public sealed record UpsertAccountByExternalIdCommand(
    Guid AccountId, string System, string ExternalId, OpenAccount Account, long? ExpectedVersion, string By) : IAccountCommand;

/// <summary>What the upsert did: refused, or the account (new or existing) at its new version.</summary>
public sealed record Upserted(Rejection? Rejection, Guid AccountId, long Version, bool Created);

public static class UpsertAccountByExternalIdEndpoints
{
    /// <summary>
    /// PUT an account as the system of record has it: 201 with Location the first time, 200 afterwards (nothing is
    /// appended when nothing changed). Currency and approach are fixed once the account is open (422).
    /// </summary>
    [Authorize(Policy = Policies.WriteValues)]
    [WolverinePut("/api/accounts/by-external-id/{system}/{externalId}", Name = "UpsertAccountByExternalId")]
    public static Task<IResult> Put(string system, string externalId, OpenAccountRequest request, HttpContext http, IMessageBus bus)
    {
        if (ExternalIds.Problem(system, externalId) is { } problem) return Task.FromResult(problem);
        var account = new OpenAccount(request.Name!, request.Industry!, request.Segment!, request.Currency!, request.Approach!.Value, request.Owner!);
        var newId = Guid.CreateVersion7();
        return bus.WriteAsync<Upserted>(http,
            (expected, by) => new UpsertAccountByExternalIdCommand(newId, system, externalId, account, expected, by), null,
            (upserted, _) =>
            {
                if (upserted.Rejection is { } rejection) return Task.FromResult(rejection.ToResult());
                http.Response.Headers.ETag = Preconditions.ETagOf(upserted.Version);
                var body = new Created(upserted.AccountId, upserted.Version);
                return Task.FromResult(upserted.Created ? Results.Created(Routes.Account(upserted.AccountId), body) : Results.Ok(body));
            });
    }

    /// <summary>The account view of the account a system of record knows by this id (404 when none is linked).</summary>
    [Authorize(Policy = Policies.ReadPortfolio)]
    [WolverineGet("/api/accounts/by-external-id/{system}/{externalId}", Name = "GetAccountByExternalId")]
    public static async Task<IResult> Get(string system, string externalId, HttpContext http, IQuerySession session, TimeProvider clock)
    {
        if (ExternalIds.Problem(system, externalId) is { } problem) return problem;
        var link = await session.LoadAsync<ExternalIdLink>(ExternalIdLink.IdOf(system, externalId), http.RequestAborted);
        if (link is null || await session.LoadAsync<Account>(link.AccountId, http.RequestAborted) is not { } account)
            return Results.Problem(statusCode: 404, title: "Account not found",
                detail: $"No account is linked to {system} id '{externalId}'. PUT it to open one.");
        http.Response.Headers.ETag = Preconditions.ETagOf(account.Version);
        return Results.Ok(AccountValueView.Of(account, clock.GetUtcNow()));
    }
}

public static class UpsertAccountByExternalIdHandler
{
    /// <summary>
    /// Two upserts of a new external id racing each other both insert its link; the second fails at commit with
    /// nothing written and runs again, now finding the account the first one opened.
    /// </summary>
    public static void Configure(HandlerChain chain) =>
        chain.OnException<DocumentAlreadyExistsException>().RetryTimes(2);

    public static async Task<Upserted> Handle(UpsertAccountByExternalIdCommand command, IDocumentSession session, TimeProvider clock,
        CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        var linkId = ExternalIdLink.IdOf(command.System, command.ExternalId);
        if (await session.LoadAsync<ExternalIdLink>(linkId, cancellation) is not { } link)
        {
            if (command.ExpectedVersion is { } expected) return new Upserted(Preconditions.Failed(expected, 0), command.AccountId, 0, false);
            var opened = AccountDecisions.OpenFromSystemOfRecord(command.AccountId, command.Account, command.System, command.ExternalId, now);
            session.Insert(new ExternalIdLink { Id = linkId, AccountId = command.AccountId });
            session.Events.StartStream<Account>(command.AccountId, opened.Events);
            return new Upserted(null, command.AccountId, opened.Events.Count, true);
        }
        var stream = await session.Events.FetchForWriting<Account>(link.AccountId, cancellation);
        var written = stream.Decide(command.ExpectedVersion,
            account => AccountDecisions.UpdateFromSystemOfRecord(account, command.Account, command.System, command.ExternalId, now));
        return new Upserted(written.Rejection, link.AccountId, written.Version, false);
    }
}
