using Microsoft.AspNetCore.Mvc;
using Wolverine.Marten;

namespace ValueLedger.Api.Features.Contracts;

/// <summary>
/// Settle one settlement period. When the contract is in another currency than the account, send the rate from the
/// account's currency to the contract's in <c>exchangeRates</c> (1 <c>from</c> = <c>rate</c> <c>to</c>) with its
/// <c>source</c>; it is recorded with the settlement and reused when a correction makes a new version.
/// </summary>
public sealed record SettlementRequest(DateOnly? PeriodStart, DateOnly? PeriodEnd, List<ExchangeRateRequest>? ExchangeRates, string? Reason);

public sealed record ExchangeRateRequest(string? From, string? To, decimal? Rate, string? Source, DateOnly? AsOf);

public sealed class SettlementValidator : AbstractValidator<SettlementRequest>
{
    public SettlementValidator()
    {
        RuleFor(r => r.PeriodStart).NotNull();
        RuleFor(r => r.PeriodEnd).NotNull().GreaterThanOrEqualTo(r => r.PeriodStart).When(r => r.PeriodStart is not null, ApplyConditionTo.CurrentValidator)
            .WithMessage("periodEnd must not be before periodStart.");
        RuleForEach(r => r.ExchangeRates).NotNull().ChildRules(rate =>
        {
            rate.RuleFor(x => x.From).NotEmpty().Matches("^[A-Za-z]{3}$").WithMessage("Use a three-letter ISO 4217 code.");
            rate.RuleFor(x => x.To).NotEmpty().Matches("^[A-Za-z]{3}$").WithMessage("Use a three-letter ISO 4217 code.");
            rate.RuleFor(x => x.To).Must((x, to) => !string.Equals(x.From, to, StringComparison.OrdinalIgnoreCase))
                .WithMessage("from and to must be different currencies.");
            rate.RuleFor(x => x.Rate).NotNull().GreaterThan(0);
            rate.RuleFor(x => x.Source).NotEmpty().MaximumLength(500).WithMessage("Say where the rate comes from (e.g. ECB reference rate).");
        });
        RuleFor(r => r.ExchangeRates)
            .Must(rates => rates!.GroupBy(x => $"{x.From?.ToUpperInvariant()}>{x.To?.ToUpperInvariant()}").All(g => g.Count() == 1))
            .When(r => r.ExchangeRates is not null && r.ExchangeRates.All(x => x is not null)).WithMessage("Give each currency pair once.");
        RuleFor(r => r.Reason).MaximumLength(2000);
    }
}

public sealed record CalculateSettlementCommand(Guid AccountId, Guid CommitmentId, Guid SettlementId, CalculateSettlement Calculation, long? ExpectedVersion, string By)
    : IAccountCommand;

/// <summary>The write, and the settlement version it calculated.</summary>
public sealed record SettlementWritten(Written Written, SettlementCalculated? Calculated);

public static class CalculateSettlementEndpoint
{
    /// <summary>201 with the full breakdown of the new settlement version (version n+1 when the period was settled before).</summary>
    [Authorize(Policy = Policies.WriteValues)]
    [WolverinePost("/api/accounts/{accountId}/commitments/{commitmentId}/settlements", Name = "CalculateSettlement")]
    public static Task<IResult> Post(Guid accountId, Guid commitmentId, SettlementRequest r, HttpContext http, IMessageBus bus)
    {
        var rates = (r.ExchangeRates ?? []).Select(x => new ExchangeRate(x.From!, x.To!, x.Rate!.Value, x.Source!.Trim(), x.AsOf)).ToList();
        var calculation = new CalculateSettlement(r.PeriodStart!.Value, r.PeriodEnd!.Value, rates, r.Reason);
        return bus.WriteAsync<SettlementWritten>(http,
            (expected, by) => new CalculateSettlementCommand(accountId, commitmentId, Guid.CreateVersion7(), calculation, expected, by), null,
            (result, _) =>
            {
                if (result.Written.Rejection is { } rejection) return Task.FromResult(rejection.ToResult());
                var calculated = result.Calculated!;
                http.Response.Headers.ETag = Preconditions.ETagOf(result.Written.Version);
                return Task.FromResult<IResult>(Results.Created(OutcomeRoutes.Settlement(accountId, commitmentId, calculated.SettlementId),
                    SettlementVersionView.New(accountId, calculated)));
            });
    }
}

public static class CalculateSettlementHandler
{
    public static SettlementWritten Handle(CalculateSettlementCommand c, [WriteAggregate(Required = false)] IEventStream<Account> stream, TimeProvider clock)
    {
        SettlementCalculated? calculated = null;
        var written = stream.Decide(c.ExpectedVersion, account =>
        {
            var decision = SettlementDecisions.Calculate(account, c.CommitmentId, c.SettlementId, c.Calculation, c.By, clock.GetUtcNow());
            calculated = decision.Events.OfType<SettlementCalculated>().SingleOrDefault();
            return decision;
        });
        return new SettlementWritten(written, written.Rejection is null ? calculated : null);
    }
}
