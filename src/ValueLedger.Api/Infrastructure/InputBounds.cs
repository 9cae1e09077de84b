namespace ValueLedger.Api.Infrastructure;

/// <summary>
/// The range of dates and numbers the ledger accepts. Business periods far outside it are typing mistakes, and at
/// the edges of DateOnly and decimal the calendar arithmetic (due dates two cadence periods on) and the value
/// formulas (improvement × unit value × periods, summed over measurements) would overflow: such input is refused
/// with a 400 rather than stored and left to fail every later read.
/// </summary>
public static class InputBounds
{
    public static readonly DateOnly EarliestDate = new(1900, 1, 1);
    public static readonly DateOnly LatestDate = new(2199, 12, 31);

    /// <summary>Largest magnitude of a measured, baseline or target value (10^12).</summary>
    public const decimal MaxValue = 1_000_000_000_000m;

    /// <summary>
    /// Most decimal places of a measured, baseline, target or unit value. With it every ratio the formulas take
    /// (improvement over promised improvement, realized over promised) stays far inside decimal's range: the smallest
    /// promised improvement is 10^-6, so no caller can provoke an overflow with a target a hair from its baseline.
    /// </summary>
    public const int MaxDecimals = 6;

    /// <summary>Largest unit value, in money per unit of the metric (10^9).</summary>
    public const decimal MaxUnitValue = 1_000_000_000m;

    public static bool IsBusinessDate(DateOnly date) => date >= EarliestDate && date <= LatestDate;

    public static bool IsWithinRange(decimal value) => Math.Abs(value) <= MaxValue && HasAtMostMaxDecimals(value);

    private static bool HasAtMostMaxDecimals(decimal value) => value == Math.Round(value, MaxDecimals);

    public static string DateMessage => $"Use a date between {EarliestDate:O} and {LatestDate:O}.";

    public static string ValueMessage => $"Use a value between -{MaxValue:0} and {MaxValue:0} with at most {MaxDecimals} decimal places.";

    public static IRuleBuilderOptions<T, DateOnly?> WithinBusinessDates<T>(this IRuleBuilder<T, DateOnly?> rule) =>
        rule.Must(d => d is null || IsBusinessDate(d.Value)).WithMessage(DateMessage);

    public static IRuleBuilderOptions<T, decimal?> WithinValueRange<T>(this IRuleBuilder<T, decimal?> rule) =>
        rule.Must(v => v is null || IsWithinRange(v.Value)).WithMessage(ValueMessage);

    public static IRuleBuilderOptions<T, decimal?> WithinUnitValueRange<T>(this IRuleBuilder<T, decimal?> rule) =>
        rule.Must(v => v is null || (v.Value <= MaxUnitValue && HasAtMostMaxDecimals(v.Value)))
            .WithMessage($"Use a unit value of at most {MaxUnitValue:0} with at most {MaxDecimals} decimal places.");
}
