namespace ValueLedger.Api.Features.Live;

/// <summary>
/// How pushes leave (ADR 0005): projections publish small "changed" messages through Wolverine after their read
/// model is committed; Wolverine batches them (at most one batch per <c>interval</c>, or per
/// <see cref="MaxBatch"/> messages) and the handlers push the latest committed state once per batch, on one
/// sequential local queue so a push never overtakes a newer one.
/// </summary>
public static class LivePush
{
    public const string Queue = "live-push";
    public const int MaxBatch = 1000;

    public static void Configure(WolverineOptions opts, TimeSpan interval)
    {
        opts.LocalQueue(Queue).Sequential();
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
    }
}
