using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ValueLedger.Domain.Audit;

namespace ValueLedger.Api.Features.Audit.Checkpoints;

/// <summary>Sign a checkpoint of the ledger; unless <see cref="EvenIfUnchanged"/>, only when the ledger moved since the last one.</summary>
public sealed record SignCheckpoint(bool EvenIfUnchanged);

/// <summary>Publish a signed checkpoint to the append-only files outside the database.</summary>
public sealed record PublishCheckpointToFiles(SignedCheckpoint Checkpoint);

/// <summary>Publish a signed checkpoint to the HTTP witness.</summary>
public sealed record PublishCheckpointToWitness(SignedCheckpoint Checkpoint);

public static class SignCheckpointHandler
{
    /// <summary>A first checkpoint of a large ledger is built over several rounds rather than in one huge transaction.</summary>
    public const int MaxNewLeaves = 50_000;

    /// <summary>
    /// Extends the tree of the latest checkpoint with the events sealed since (recording their leaves and the subtrees
    /// they complete, which proofs read), signs the new
    /// root and hands it to the sinks through Wolverine's outbox, all in one transaction. A checkpoint made by the job
    /// has an id derived from its tree size, so two nodes racing for the same tick cannot both store one.
    /// </summary>
    public static async Task<SignedCheckpoint?> Handle(SignCheckpoint command, IDocumentSession session, CheckpointKey key,
        TimeProvider clock, IMessageContext messages, IOptions<CheckpointSettings> settings, CancellationToken ct)
    {
        var latest = await LedgerCheckpoints.LatestStoredAsync(session, ct);
        var tree = latest is null ? new LedgerTreeBuilder() : new LedgerTreeBuilder(latest.TreeSize, latest.Subtrees.Select(Convert.FromHexString));
        var lastSequence = latest?.LastSequence ?? 0;
        var safe = await LedgerLeaves.SafeSequenceAsync(session, ct);
        var added = 0;
        await foreach (var row in LedgerLeaves.ReadEvents(session, lastSequence, safe, ct))
        {
            session.Store(new LedgerLeaf { Id = row.Sequence, Index = tree.Size, StreamId = row.StreamId, Version = row.Version, Seal = row.Seal });
            tree.Append(LedgerTree.LeafOfSeal(row.Seal),
                (height, index, hash) => session.Store(new LedgerNode { Id = LedgerNode.IdOf(height, index), Hash = LedgerCheckpoints.Hex(hash) }));
            lastSequence = row.Sequence;
            if (++added == MaxNewLeaves) break;
        }
        if (added == 0 && latest is not null && !command.EvenIfUnchanged) return null;

        var statement = new Checkpoint(tree.Size, LedgerCheckpoints.Hex(tree.Root()), Checkpoint.Truncate(clock.GetUtcNow()), key.KeyId);
        var stored = new StoredCheckpoint
        {
            Id = command.EvenIfUnchanged ? Guid.NewGuid() : JobCheckpointId(statement.TreeSize),
            TreeSize = statement.TreeSize, RootHash = statement.RootHash, Timestamp = statement.Timestamp, KeyId = statement.KeyId,
            Signature = Convert.ToBase64String(key.Sign(statement.CanonicalText())),
            LastSequence = lastSequence, Subtrees = tree.Subtrees.Select(LedgerCheckpoints.Hex).ToList()
        };
        session.Insert(stored);
        var signed = stored.ToSigned();
        if (settings.Value.Directory is not "") await messages.PublishAsync(new PublishCheckpointToFiles(signed));
        if (settings.Value.WitnessUrl is { Length: > 0 }) await messages.PublishAsync(new PublishCheckpointToWitness(signed));
        return signed;
    }

    private static Guid JobCheckpointId(long treeSize) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"valueledger-job-checkpoint:{treeSize}"))[..16]);
}

public static class SignCheckpointEndpoint
{
    /// <summary>Sign and publish a checkpoint of the ledger now (admin), even when nothing moved since the last one.</summary>
    [Authorize(Policies.Administer)]
    [WolverinePost("/api/audit/checkpoints", Name = "SignCheckpoint")]
    [ProducesResponseType(typeof(SignedCheckpoint), StatusCodes.Status201Created)]
    public static async Task<IResult> Post(IMessageBus bus, CancellationToken ct)
    {
        var signed = await bus.InvokeAsync<SignedCheckpoint?>(new SignCheckpoint(EvenIfUnchanged: true), ct);
        return Results.Created($"/api/audit/checkpoints/latest", signed);
    }
}

/// <summary>
/// The recurring job: every <see cref="CheckpointSettings.Interval"/> it asks Wolverine to sign a checkpoint, which
/// happens only when the ledger moved. The work itself is a Wolverine handler (transaction, outbox, error policies).
/// </summary>
public sealed class CheckpointSchedule(IServiceProvider services, IOptions<CheckpointSettings> settings, TimeProvider clock,
    ILogger<CheckpointSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.Value.Interval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(settings.Value.Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                var signed = await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync<SignedCheckpoint?>(new SignCheckpoint(false), stoppingToken);
                if (signed is not null) logger.LogInformation("Signed checkpoint of tree size {TreeSize}, root {RootHash}", signed.TreeSize, signed.RootHash);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Another node took this tick, or the database is away: the next tick tries again.
                logger.LogWarning(e, "No checkpoint this round");
            }
        }
    }
}
