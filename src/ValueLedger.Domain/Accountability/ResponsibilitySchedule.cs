namespace ValueLedger.Domain;

/// <summary>
/// When a responsibility falls due. A recurring one has an occurrence per calendar month, quarter or year of its window
/// (the commitment's period, or from the period of its assignment on when it serves the whole account), due by the end (UTC) of day
/// <c>dueDayOfPeriod</c> of that period, or of the period's last day when the period is shorter. A one-off is due at
/// <c>dueAt</c>. Only occurrences due after the assignment count: nobody misses what was not yet asked.
/// </summary>
public static class ResponsibilitySchedule
{
    public static IEnumerable<Occurrence> Occurrences(Responsibility responsibility, Commitment? commitment)
    {
        if (responsibility.DueAt is { } dueAt)
        {
            var assignedOn = DayOf(responsibility.AssignedAt);
            var dueOn = DayOf(dueAt);
            yield return new Occurrence(assignedOn, dueOn > assignedOn ? dueOn : assignedOn, dueAt);
            yield break;
        }
        if (responsibility.Cadence is not { } cadence || responsibility.DueDayOfPeriod is not { } dueDay) yield break;

        var windowStart = commitment?.PeriodStart ?? CadenceCalendar.StartOfPeriod(DayOf(responsibility.AssignedAt), cadence);
        DateOnly? windowEnd = commitment?.PeriodEnd;
        for (var calendarStart = CadenceCalendar.StartOfPeriod(windowStart, cadence);
             windowEnd is not { } last || calendarStart <= last;
             calendarStart = CadenceCalendar.NextStart(calendarStart, cadence))
        {
            var calendarEnd = CadenceCalendar.NextStart(calendarStart, cadence).AddDays(-1);
            var start = calendarStart > windowStart ? calendarStart : windowStart;
            var end = windowEnd is { } e && e < calendarEnd ? e : calendarEnd;
            var dueOn = calendarStart.AddDays(dueDay - 1);
            if (dueOn > end) dueOn = end;
            if (dueOn < start) dueOn = start;
            var deadline = StartOf(dueOn.AddDays(1));
            if (commitment?.Withdrawal is { } withdrawal && deadline > withdrawal.At) yield break;
            if (deadline > responsibility.AssignedAt) yield return new Occurrence(start, end, deadline);
        }
    }

    /// <summary>The occurrences whose due time has come by <paramref name="now"/>.</summary>
    public static IEnumerable<Occurrence> DueBy(Responsibility responsibility, Commitment? commitment, DateTimeOffset now) =>
        Occurrences(responsibility, commitment).TakeWhile(o => o.DueAt <= now);

    /// <summary>The first occurrence due after a moment (to schedule the next check), if any.</summary>
    public static Occurrence? NextAfter(Responsibility responsibility, Commitment? commitment, DateTimeOffset moment) =>
        Occurrences(responsibility, commitment).FirstOrDefault(o => o.DueAt > moment);

    public static DateOnly DayOf(DateTimeOffset moment) => DateOnly.FromDateTime(moment.UtcDateTime);

    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
