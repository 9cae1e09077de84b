using ValueLedger.Api.Features.Reports;

namespace ValueLedger.Api.Features.Notifications;

/// <summary>
/// A commitment's status changed to at risk, achieved or missed, as the at-risk watch found it after a change was
/// committed: kept so the weekly digest can say what turned during its week without replaying anything.
/// </summary>
public sealed class CommitmentStatusRecord
{
    /// <summary><c>{commitmentId}/{status}/{version}</c>: found twice, kept once.</summary>
    public string Id { get; set; } = "";
    public Guid AccountId { get; set; }
    public string AccountName { get; set; } = "";
    public Guid CommitmentId { get; set; }
    public string Metric { get; set; } = "";
    public CommitmentStatus Status { get; set; }
    public string Reason { get; set; } = "";
    public DateTimeOffset At { get; set; }
}

/// <summary>Send the digest of the week that ends (exclusive) at 00:00 UTC of <see cref="WeekEnding"/>.</summary>
public sealed record SendWeeklyDigest(DateOnly WeekEnding);

public sealed record DigestAccountLine(Guid AccountId, string Name, int Recorded, int Corrected, int Confirmed, int Disputed, string Link);
public sealed record DigestStatusLine(string AccountName, string Metric, string Reason, string Link);

/// <summary>What a weekly digest shows (the HTML body is <see cref="DigestMail"/>).</summary>
public sealed record DigestModel(DateOnly From, DateOnly To, IReadOnlyList<DigestStatusLine> TurnedAtRisk, IReadOnlyList<DigestStatusLine> Missed,
    IReadOnlyList<DigestStatusLine> Achieved, IReadOnlyList<DigestAccountLine> Activity, int MoreAccounts, string PortfolioLink, string SettingsLink)
{
    public bool Quiet => TurnedAtRisk.Count == 0 && Missed.Count == 0 && Achieved.Count == 0 && Activity.Count == 0;
}

public static class WeeklyDigestHandler
{
    /// <summary>The accounts with most activity named in a digest; the rest are counted.</summary>
    public const int MaxAccounts = 25;
    private const int MaxStatusLines = 50;

    private sealed record CountRow(Guid StreamId, string Type, int Count);

    /// <summary>
    /// Works out the week once (status changes from their records, measurement activity counted per account in
    /// PostgreSQL), then one <see cref="MailStaff"/> per user who wants the digest, named by week and address.
    /// </summary>
    public static async Task<OutgoingMessages> Handle(SendWeeklyDigest digest, IQuerySession session, ReportRenderer renderer, MailLinks links,
        CancellationToken cancellation)
    {
        var mails = new OutgoingMessages();
        var recipients = await session.Query<NotificationSettings>().Where(s => s.WeeklyDigest).ToListAsync(cancellation);
        if (recipients.Count == 0) return mails;

        var end = new DateTimeOffset(digest.WeekEnding.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var start = end.AddDays(-7);
        var changes = await session.Query<CommitmentStatusRecord>().Where(r => r.At >= start && r.At < end)
            .OrderBy(r => r.At).Take(3 * MaxStatusLines).ToListAsync(cancellation);
        DigestStatusLine[] Lines(CommitmentStatus status) => changes.Where(c => c.Status == status).Take(MaxStatusLines)
            .Select(c => new DigestStatusLine(c.AccountName, c.Metric, c.Reason, links.Account(c.AccountId))).ToArray();

        var types = new Dictionary<string, Type>
        {
            [typeof(MeasurementRecorded).GetEventTypeName()] = typeof(MeasurementRecorded),
            [typeof(MeasurementCorrected).GetEventTypeName()] = typeof(MeasurementCorrected),
            [typeof(MeasurementConfirmed).GetEventTypeName()] = typeof(MeasurementConfirmed),
            [typeof(MeasurementDisputed).GetEventTypeName()] = typeof(MeasurementDisputed),
        };
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        var counts = await session.AdvancedSql.QueryAsync<CountRow>($"""
            select jsonb_build_object('streamId', stream_id, 'type', type, 'count', count(*))
            from {schema}.mt_events
            where timestamp >= ? and timestamp < ? and type = any(?)
            group by stream_id, type
            """, cancellation, start, end, types.Keys.ToArray());
        var perAccount = counts.GroupBy(c => c.StreamId)
            .Select(g => (Id: g.Key, Counts: g.ToDictionary(c => types[c.Type], c => c.Count)))
            .OrderByDescending(a => a.Counts.Values.Sum()).ThenBy(a => a.Id).ToList();
        var named = perAccount.Take(MaxAccounts).ToList();
        var names = (await session.LoadManyAsync<Account>(cancellation, named.Select(a => a.Id).ToArray())).ToDictionary(a => a.Id, a => a.Name);
        int Count(Dictionary<Type, int> c, Type t) => c.GetValueOrDefault(t);
        var activity = named.Select(a => new DigestAccountLine(a.Id, names.GetValueOrDefault(a.Id, a.Id.ToString()),
            Count(a.Counts, typeof(MeasurementRecorded)), Count(a.Counts, typeof(MeasurementCorrected)),
            Count(a.Counts, typeof(MeasurementConfirmed)), Count(a.Counts, typeof(MeasurementDisputed)), links.Account(a.Id))).ToList();

        var model = new DigestModel(DateOnly.FromDateTime(start.UtcDateTime), digest.WeekEnding.AddDays(-1), Lines(CommitmentStatus.AtRisk),
            Lines(CommitmentStatus.Missed), Lines(CommitmentStatus.Achieved), activity, perAccount.Count - named.Count, $"{links.Base}/#/", links.Settings);
        var html = await renderer.RenderAsync<DigestMail>(new Dictionary<string, object?> { [nameof(DigestMail.Model)] = model });
        var text = Text(model);
        foreach (var recipient in recipients)
            mails.Add(new MailStaff($"digest/{digest.WeekEnding:yyyy-MM-dd}/{recipient.EmailKey}", recipient.Name, recipient.Email,
                $"ValueLedger weekly: {model.From:d MMM} – {model.To:d MMM yyyy}", $"Hello {recipient.Name},\n\n{text}", html));
        return mails;
    }

    private static string Text(DigestModel m)
    {
        var text = new System.Text.StringBuilder($"What happened in the ledger from {m.From:yyyy-MM-dd} to {m.To:yyyy-MM-dd}.\n");
        void Section(string title, IReadOnlyList<DigestStatusLine> lines)
        {
            if (lines.Count == 0) return;
            text.Append($"\n{title}\n");
            foreach (var l in lines) text.Append($"- {l.AccountName}: {l.Metric}. {l.Reason} {l.Link}\n");
        }
        Section("Turned at risk", m.TurnedAtRisk);
        Section("Missed", m.Missed);
        Section("Achieved", m.Achieved);
        if (m.Activity.Count > 0)
        {
            text.Append("\nMeasurements by account (recorded, corrected, confirmed by the customer, disputed)\n");
            foreach (var a in m.Activity) text.Append($"- {a.Name}: {a.Recorded}, {a.Corrected}, {a.Confirmed}, {a.Disputed} {a.Link}\n");
            if (m.MoreAccounts > 0) text.Append($"- and {m.MoreAccounts} more accounts\n");
        }
        if (m.Quiet) text.Append("\nA quiet week: nothing was recorded, confirmed or disputed, and no commitment changed status.\n");
        text.Append($"\nThe portfolio: {m.PortfolioLink}\nChange what you receive: {m.SettingsLink}\n");
        return text.ToString();
    }
}

/// <summary>Admins send a week's digest now (again, it reaches nobody twice): the week before <c>weekEnding</c>, by default the week just ended.</summary>
public static class SendWeeklyDigestEndpoint
{
    [Authorize(Policy = Policies.Administer)]
    [WolverinePost("/api/digests/weekly", Name = "SendWeeklyDigest")]
    public static async Task<IResult> Post(HttpContext http, IMessageBus bus, TimeProvider clock)
    {
        var weekEnding = StaffMailSchedule.WeekEnding(clock.GetUtcNow());
        if (http.Request.Query.TryGetValue("weekEnding", out var text))
        {
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", out weekEnding) || weekEnding.DayOfWeek != DayOfWeek.Monday)
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["weekEnding"] = ["Give a Monday as yyyy-MM-dd: the digest covers the seven days before it."] },
                    title: "Invalid week");
        }
        await bus.PublishAsync(new SendWeeklyDigest(weekEnding));
        return Results.Accepted(value: new { weekEnding });
    }
}

/// <summary>
/// Every hour each node checks whether this week's digest and last month's reports went out, and publishes them once
/// due: the digest on Monday from 07:00 UTC, the reports on the 1st from 07:00 UTC. A <see cref="DigestRun"/>
/// document per run, inserted first, makes one node the sender.
/// </summary>
public sealed class StaffMailSchedule(IDocumentStore store, IServiceScopeFactory scopes, TimeProvider clock, ILogger<StaffMailSchedule> logger) : BackgroundService
{
    private static readonly TimeSpan SendFrom = TimeSpan.FromHours(7);
    private static readonly TimeSpan FirstCheckAfter = TimeSpan.FromMinutes(5);

    public static DateOnly WeekEnding(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return today.AddDays(-(((int)today.DayOfWeek + 6) % 7)); // this week's Monday
    }

    public static DateOnly FirstOfMonth(DateTimeOffset now) => new(now.UtcDateTime.Year, now.UtcDateTime.Month, 1);

    public static string LastMonth(DateTimeOffset now) => FirstOfMonth(now).AddMonths(-1).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not at startup: a node starting (or a cold-start measurement) does not wait on a sweep over every account.
        await Task.Delay(FirstCheckAfter, stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        do
        {
            var now = clock.GetUtcNow();
            var early = now.UtcDateTime.TimeOfDay < SendFrom;
            if (!(early && now.DayOfWeek == DayOfWeek.Monday))
                await RunOnceAsync($"week/{WeekEnding(now):yyyy-MM-dd}", new SendWeeklyDigest(WeekEnding(now)), now, stoppingToken);
            if (!(early && now.Day == 1))
                await RunOnceAsync($"month/{LastMonth(now)}", new SendMonthlyReports(LastMonth(now)), now, stoppingToken);
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task RunOnceAsync(string run, object message, DateTimeOffset now, CancellationToken stoppingToken)
    {
        try
        {
            await using var session = store.LightweightSession();
            if (await session.LoadAsync<DigestRun>(run, stoppingToken) is not null) return;
            session.Insert(new DigestRun { Id = run, StartedAt = now });
            await session.SaveChangesAsync(stoppingToken); // another node inserting first makes this throw: it sends
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().PublishAsync(message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogInformation(e, "{Run} was not published from this node (another may have); checking again in an hour", run);
        }
    }
}

/// <summary>That a scheduled mail run (<c>week/yyyy-MM-dd</c>, <c>month/yyyy-MM</c>) was published.</summary>
public sealed class DigestRun
{
    public string Id { get; set; } = "";
    public DateTimeOffset StartedAt { get; set; }
}
