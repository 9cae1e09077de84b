namespace ValueLedger.Api.Features.Live;

/// <summary>The "ValueLedger" settings of live pushes.</summary>
public sealed class LivePushSettings
{
    /// <summary>Longest a change waits before it is pushed (Wolverine's batch window, see <see cref="LivePush"/>).</summary>
    public TimeSpan LivePushInterval { get; set; } = LivePush.DefaultInterval;

    /// <summary>The shortest time between two portfolio pushes (each goes to every portfolio watcher).</summary>
    public TimeSpan PortfolioPushGap { get; set; } = TimeSpan.FromMilliseconds(250);
}

/// <summary>
/// How pushes leave (ADR 0005): projections publish small "changed" messages through Wolverine after their read
/// model is committed; Wolverine batches them (at most one batch per <c>interval</c>, or per
/// <see cref="MaxBatch"/> messages) on one sequential local queue. An account batch pushes each changed account's
/// latest committed view; a portfolio batch only marks the portfolio due, and <see cref="PortfolioPushes"/> reads
/// and pushes it once per read however many batches arrived meanwhile, so slow reads never queue up behind each
/// other. Pushes are notices, not records: their queues are in memory (a push lost in a crash is made good by the
/// next change, and every watch answers with the current state), so they add no rows to the command's transaction.
/// </summary>
public static class LivePush
{
    public const string Queue = "live-push";
    public const int MaxBatch = 1000;
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    public static void Configure(WolverineOptions opts, TimeSpan interval)
    {
        opts.LocalQueue(Queue).Sequential().BufferedInMemory();
        // The queues the single notices arrive on before they are batched (each type's own local queue).
        opts.LocalQueueFor<PortfolioChanged>().BufferedInMemory();
        opts.LocalQueueFor<AccountChanged>().BufferedInMemory();
        opts.BatchMessagesOf<PortfolioChanged>(batch =>
        {
            batch.BatchSize = MaxBatch;
            batch.TriggerTime = interval;
            batch.LocalExecutionQueueName = Queue;
        });
        opts.BatchMessagesOf<AccountChanged>(batch =>
        {
            batch.BatchSize = MaxBatch;
            batch.TriggerTime = interval;
            batch.LocalExecutionQueueName = Queue;
            batch.CoalesceBy((AccountChanged changed) => changed.AccountId);
        });
        opts.PublishMessage<CommitmentTurnedAtRisk>().ToLocalQueue(Queue);
        opts.PublishMessage<CommitmentMissed>().ToLocalQueue(Queue);
    }
}
