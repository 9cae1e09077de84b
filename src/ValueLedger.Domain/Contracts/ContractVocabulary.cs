namespace ValueLedger.Domain;

/// <summary>How the variable part of an outcome-based fee follows the result.</summary>
public enum ShareModel
{
    /// <summary>The seller gets a share (rate) of the realized value, never less than nothing: V = rate × max(0, R).</summary>
    SharedSavings,
    /// <summary>Gain-share above target and pain-share below it, band by band over the performance ratio p = R / P.</summary>
    Banded
}

/// <summary>Which bound of the variable amount was binding.</summary>
public enum BoundBy { Floor, Cap }

public enum SettlementStatus { Provisional, Calculated, Certified, Disputed }

/// <summary>Which side of the deal carries a responsibility.</summary>
public enum Party { Customer, Seller }

/// <summary>
/// A share band over the performance ratio, half-open [From, To); a missing bound is unbounded on that side.
/// Rates are shares of the promised value per unit of ratio.
/// </summary>
public sealed record ShareBand(decimal? From, decimal? To, decimal Rate);

/// <summary>A calendar span, inclusive at both ends.</summary>
public sealed record DateSpan(DateOnly Start, DateOnly End);

/// <summary>An exchange rate supplied with a settlement: 1 <see cref="From"/> = <see cref="Rate"/> <see cref="To"/>.</summary>
public sealed record ExchangeRate(string From, string To, decimal Rate, string Source, DateOnly? AsOf);
