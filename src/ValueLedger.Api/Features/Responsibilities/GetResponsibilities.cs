using ValueLedger.Api.Features.Accounts;

namespace ValueLedger.Api.Features.Responsibilities;

public enum ResponsibilityStatus { Open, Fulfilled, Missed }

/// <summary>
/// A responsibility with its fulfilments and misses. <c>missed</c> while a missed occurrence is still not delivered;
/// <c>fulfilled</c> for a one-off done; <c>open</c> otherwise.
/// </summary>
public sealed record ResponsibilityView(
    Guid Id, Guid AccountId, Party Party, string Description, Guid? CommitmentId, Cadence? Cadence, int? DueDayOfPeriod, DateTimeOffset? DueAt,
    ResponsibilityStatus Status, string AssignedBy, DateTimeOffset AssignedAt, IReadOnlyList<Fulfilment> Fulfilments, IReadOnlyList<MissedDuty> Misses)
{
    public static ResponsibilityView Of(Account account, Responsibility r) => new(
        r.Id, account.Id, r.Party, r.Description, r.CommitmentId, r.Cadence, r.DueDayOfPeriod, r.DueAt,
        r.Misses.Any(m => m.IsOutstanding) ? ResponsibilityStatus.Missed
        : !r.IsRecurring && r.Fulfilments.Count > 0 ? ResponsibilityStatus.Fulfilled
        : ResponsibilityStatus.Open,
        r.AssignedBy, r.AssignedAt, r.Fulfilments, r.Misses);
}

public static class GetResponsibilitiesEndpoint
{
    [Authorize(Policy = Policies.ReadAccount)]
    [WolverineGet("/api/accounts/{accountId}/responsibilities", Name = "GetResponsibilities")]
    public static Task<IResult> List(Guid accountId, HttpContext http, IQuerySession session) =>
        PointInTime.ReadAccountAsync(http, session, accountId, (account, _) =>
            Results.Ok(account.Responsibilities.Select(r => ResponsibilityView.Of(account, r)).ToList()));

    [Authorize(Policy = Policies.ReadAccount)]
    [WolverineGet("/api/accounts/{accountId}/responsibilities/{responsibilityId}", Name = "GetResponsibility")]
    public static Task<IResult> Get(Guid accountId, Guid responsibilityId, HttpContext http, IQuerySession session) =>
        PointInTime.ReadAccountAsync(http, session, accountId, (account, _) =>
            account.FindResponsibility(responsibilityId) is { } responsibility
                ? Results.Ok(ResponsibilityView.Of(account, responsibility))
                : Problems.NotFound("Responsibility", responsibilityId));
}
