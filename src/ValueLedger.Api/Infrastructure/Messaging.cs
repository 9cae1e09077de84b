using JasperFx;
using Wolverine.ErrorHandling;

namespace ValueLedger.Api.Infrastructure;

public static class Messaging
{
    /// <summary>
    /// Wolverine runs every command in one transaction with its events and outgoing messages (durable outbox in
    /// PostgreSQL), and retries a command whose account was changed by another writer in the meantime.
    /// </summary>
    public static void Configure(WolverineOptions opts, ValueLedgerSettings settings)
    {
        opts.UseRuntimeCompilation();
        opts.Policies.AutoApplyTransactions();
        opts.Policies.Add<IdempotencyPolicy>(); // a command's Idempotency-Key answer commits with its events (ADR 0010)
        opts.Policies.UseDurableLocalQueues();
        opts.Policies.UseDurableOutboxOnAllSendingEndpoints();
        opts.Durability.Mode = settings.Cluster ? DurabilityMode.Balanced : DurabilityMode.Solo;
        // Logical deduplication ([Deduplicated] handlers): e-mails to customers are claimed by their own id, so a
        // re-delivered message does not send one twice (Features/Contacts/ApproverMail.cs).
        opts.Durability.MessageDeduplicationMode = MessageDeduplicationMode.CompareByHash;
        // Without schema rights (the append-only app role), Wolverine's tables come from db-apply by the owner role.
        if (!settings.ApplySchemaOnStartup) opts.AutoBuildMessageStorageOnStartup = AutoCreate.None;

        // Optimistic concurrency: the losing writer re-reads the account and decides again. The cooldowns spread
        // contending writers apart; after them the caller gets 409.
        opts.OnException<ConcurrencyException>()
            .RetryWithCooldown(
                TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20),
                TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(60), TimeSpan.FromMilliseconds(80),
                TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(200),
                TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(400));
    }
}
