using ValueLedger.Api.Features.Accounts;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Marten;

namespace ValueLedger.Api.Features.Contracts;

/// <summary>
/// The terms of an outcome-based fee. <c>model</c> is <c>sharedSavings</c> with <c>rate</c>, or <c>banded</c> with
/// <c>bands</c> over the performance ratio. A change needs <c>reason</c> and takes effect at <c>effectiveFrom</c>
/// (default: the start of the next settlement period).
/// </summary>
public sealed record ContractRequest(
    string? Currency, decimal? FeeBase, Cadence? SettlementPeriod, ShareModel? Model, decimal? Rate, List<BandRequest>? Bands,
    decimal? Floor, decimal? Cap, DateOnly? EffectiveFrom, string? Reason)
{
    public ContractTerms ToTerms() => new(Currency!.ToUpperInvariant(), FeeBase!.Value, SettlementPeriod!.Value, Model!.Value, Rate,
        (Bands ?? []).Select(b => new ShareBand(b.From, b.To, b.Rate!.Value)).ToList(), Floor, Cap);
}

public sealed record BandRequest(decimal? From, decimal? To, decimal? Rate);

public sealed class ContractValidator : AbstractValidator<ContractRequest>
{
    public ContractValidator()
    {
        RuleFor(r => r.Currency).NotEmpty().Matches("^[A-Za-z]{3}$").WithMessage("Use a three-letter ISO 4217 code such as EUR.");
        RuleFor(r => r.FeeBase).NotNull().GreaterThanOrEqualTo(0);
        RuleFor(r => r.SettlementPeriod).NotNull().IsInEnum();
        RuleFor(r => r.Model).NotNull().IsInEnum();
        When(r => r.Model == ShareModel.SharedSavings, () =>
        {
            RuleFor(r => r.Rate).NotNull().InclusiveBetween(0, 1);
            RuleFor(r => r.Bands).Must(b => b is null || b.Count == 0).WithMessage("sharedSavings takes a rate, not bands.");
        });
        When(r => r.Model == ShareModel.Banded, () =>
        {
            RuleFor(r => r.Rate).Null().WithMessage("banded takes bands, each with its rate, not one rate.");
            RuleFor(r => r.Bands).NotEmpty();
            RuleForEach(r => r.Bands).NotNull().ChildRules(band =>
            {
                band.RuleFor(b => b.Rate).NotNull().InclusiveBetween(0, 1);
                band.RuleFor(b => b.To).GreaterThan(b => b.From).When(b => b.From is not null && b.To is not null).WithMessage("to must be above from.");
            });
            RuleFor(r => r.Bands)
                .Must(b => ContractTerms.BandProblem(b!.Select(x => new ShareBand(x.From, x.To, x.Rate ?? 0)).ToList()) is null)
                .When(r => r.Bands is { Count: > 0 } bands && bands.All(b => b is { Rate: not null } && (b.From is null || b.To is null || b.From < b.To)))
                .WithMessage("List the bands in ascending order without overlaps; only the first may be open below and only the last open above.");
        });
        RuleFor(r => r.Cap).GreaterThanOrEqualTo(r => r.Floor).When(r => r is { Floor: not null, Cap: not null })
            .WithMessage("cap must not be below floor.");
        RuleFor(r => r.Reason).MaximumLength(2000);
    }
}

public sealed record AgreeContractCommand(Guid AccountId, Guid CommitmentId, AgreeContract Agreement, long? ExpectedVersion, string By) : IAccountCommand;

/// <summary>What the contract handler tells the HTTP edge: the write, and the new version if one was agreed.</summary>
public sealed record ContractWritten(Written Written, ContractTermsAgreed? Agreed);

public static class AgreeContractEndpoint
{
    /// <summary>201 with the contract when a version was agreed; 200 when the terms sent are the terms in force.</summary>
    [Authorize(Policy = Policies.WriteValues)]
    [WolverinePut("/api/accounts/{accountId}/commitments/{commitmentId}/contract", Name = "AgreeContract")]
    public static Task<IResult> Put(Guid accountId, Guid commitmentId, ContractRequest r, HttpContext http, IMessageBus bus, IQuerySession session)
    {
        var agreement = new AgreeContract(r.ToTerms(), r.EffectiveFrom, r.Reason);
        return bus.WriteAsync<ContractWritten>(http, (expected, by) => new AgreeContractCommand(accountId, commitmentId, agreement, expected, by), null,
            async (result, _) =>
            {
                if (result.Written.Rejection is { } rejection) return rejection.ToResult();
                var account = (await session.LoadAsync<Account>(accountId, http.RequestAborted))!;
                var view = ContractView.Of(account, account.FindCommitment(commitmentId)!)!;
                http.Response.Headers.ETag = Preconditions.ETagOf(result.Written.Version);
                return result.Agreed is null ? Results.Ok(view) : Results.Created(OutcomeRoutes.Contract(accountId, commitmentId), view);
            });
    }
}

public static class GetContractEndpoint
{
    [Authorize(Policy = Policies.ReadAccount)]
    [WolverineGet("/api/accounts/{accountId}/commitments/{commitmentId}/contract", Name = "GetContract")]
    public static Task<IResult> Get(Guid accountId, Guid commitmentId, HttpContext http, IQuerySession session) =>
        PointInTime.ReadAccountAsync(http, session, accountId, (account, _) =>
            account.FindCommitment(commitmentId) is not { } commitment ? Problems.NotFound("Commitment", commitmentId)
            : ContractView.Of(account, commitment) is not { } view
                ? Results.Problem(statusCode: 404, title: "No contract", detail: $"Commitment {commitmentId} has no contract terms yet.")
                : Results.Ok(view));
}

public static class AgreeContractHandler
{
    public static ContractWritten Handle(AgreeContractCommand c, [WriteAggregate(Required = false)] IEventStream<Account> stream, TimeProvider clock)
    {
        ContractTermsAgreed? agreed = null;
        var written = stream.Decide(c.ExpectedVersion, account =>
        {
            var decision = ContractDecisions.Agree(account, c.CommitmentId, c.Agreement, c.By, clock.GetUtcNow());
            agreed = decision.Events.OfType<ContractTermsAgreed>().SingleOrDefault();
            return decision;
        });
        return new ContractWritten(written, written.Rejection is null ? agreed : null);
    }
}
