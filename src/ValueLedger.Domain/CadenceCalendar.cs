namespace ValueLedger.Domain;

/// <summary>
/// Calendar arithmetic of cadence periods. Periods are calendar dates inclusive at both ends; a cadence period
/// is a calendar month, quarter or year. The weight of a span is the share of each cadence period it covers.
/// </summary>
public static class CadenceCalendar
{
    public static DateOnly StartOfPeriod(DateOnly day, Cadence cadence) => cadence switch
    {
        Cadence.Monthly => new DateOnly(day.Year, day.Month, 1),
        Cadence.Quarterly => new DateOnly(day.Year, (day.Month - 1) / 3 * 3 + 1, 1),
        Cadence.Yearly => new DateOnly(day.Year, 1, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(cadence))
    };

    public static DateOnly NextStart(DateOnly periodStart, Cadence cadence) => periodStart.AddMonths(MonthsIn(cadence));

    public static DateOnly EndOfPeriod(DateOnly day, Cadence cadence) =>
        NextStart(StartOfPeriod(day, cadence), cadence).AddDays(-1);

    public static int MonthsIn(Cadence cadence) => cadence switch
    {
        Cadence.Monthly => 1,
        Cadence.Quarterly => 3,
        Cadence.Yearly => 12,
        _ => throw new ArgumentOutOfRangeException(nameof(cadence))
    };

    public static int Days(DateOnly from, DateOnly to) => to.DayNumber - from.DayNumber + 1;

    /// <summary>The span [from, to] cut at cadence boundaries: each part with the share of its cadence period it covers.</summary>
    public static IEnumerable<SpanPart> Split(DateOnly from, DateOnly to, Cadence cadence)
    {
        var periodStart = StartOfPeriod(from, cadence);
        while (periodStart <= to)
        {
            var next = NextStart(periodStart, cadence);
            var periodEnd = next.AddDays(-1);
            var partStart = from > periodStart ? from : periodStart;
            var partEnd = to < periodEnd ? to : periodEnd;
            yield return new SpanPart(partStart, partEnd, (decimal)Days(partStart, partEnd) / Days(periodStart, periodEnd));
            periodStart = next;
        }
    }

    /// <summary>The weight of a span: how many cadence periods it is worth (a whole January of a monthly commitment is 1).</summary>
    public static decimal Weight(DateOnly from, DateOnly to, Cadence cadence) => Split(from, to, cadence).Sum(p => p.Weight);
}

public readonly record struct SpanPart(DateOnly Start, DateOnly End, decimal Weight);
