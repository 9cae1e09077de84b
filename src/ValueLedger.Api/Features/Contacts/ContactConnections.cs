using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using ValueLedger.Api.Features.Live;

namespace ValueLedger.Api.Features.Contacts;

/// <summary>
/// The hub connections of each signed-in contact on this node, with when each was opened, so a revocation can close
/// them. The node that revokes closes its own at once (and tells the contact's clients everywhere, through the group
/// <see cref="GroupOf"/> on the Redis backplane, with <c>signedOut</c>); every node also sweeps its own connections
/// (<see cref="ContactRevocationSweep"/>) and closes those opened before a revocation it learns of from the database,
/// so no live view outlives its access on any node for longer than the sweep interval.
/// </summary>
public sealed class ContactConnections(IHubContext<ValueHub> hub, TimeProvider clock)
{
    public const string SignedOut = "signedOut";
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, (HubCallerContext Context, DateTimeOffset OpenedAt)>> _byContact = new();

    public static string GroupOf(string contactSubject) => $"contact:{contactSubject}";

    /// <summary>The contacts with a connection on this node.</summary>
    public IReadOnlyCollection<string> Contacts => _byContact.Where(c => !c.Value.IsEmpty).Select(c => c.Key).ToList();

    public void Add(string contactSubject, HubCallerContext context) =>
        _byContact.GetOrAdd(contactSubject, _ => new()).TryAdd(context.ConnectionId, (context, clock.GetUtcNow()));

    public void Remove(string contactSubject, string connectionId)
    {
        if (_byContact.TryGetValue(contactSubject, out var connections)) connections.TryRemove(connectionId, out _);
    }

    public async Task CloseAsync(string contactSubject, CancellationToken cancellation)
    {
        await hub.Clients.Group(GroupOf(contactSubject)).SendAsync(SignedOut, cancellation);
        if (_byContact.TryRemove(contactSubject, out var connections))
            foreach (var (context, _) in connections.Values) context.Abort();
    }

    /// <summary>Closes this node's connections of the contact that were opened at or before <paramref name="revokedAt"/>.</summary>
    public async Task<int> CloseOpenedBeforeAsync(string contactSubject, DateTimeOffset revokedAt, CancellationToken cancellation)
    {
        if (!_byContact.TryGetValue(contactSubject, out var connections)) return 0;
        var closed = 0;
        foreach (var (id, (context, openedAt)) in connections)
        {
            if (openedAt > revokedAt || !connections.TryRemove(id, out _)) continue;
            await hub.Clients.Client(id).SendAsync(SignedOut, cancellation);
            context.Abort();
            closed++;
        }
        return closed;
    }
}

/// <summary>
/// Every <see cref="ContactSettings.RevocationSweepInterval"/>, reads the contacts connected to this node (one query
/// for all of them) and closes each connection opened before the contact's latest revocation, or whose contact is
/// gone: a revocation made through another node reaches this node's live views too.
/// </summary>
public sealed class ContactRevocationSweep(IDocumentStore store, ContactConnections connections, IOptions<ContactSettings> settings,
    ILogger<ContactRevocationSweep> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Value.RevocationSweepInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "The sweep of revoked contacts' hub connections failed; it runs again in {Interval}", settings.Value.RevocationSweepInterval);
            }
        }
    }

    public async Task SweepAsync(CancellationToken cancellation)
    {
        var subjects = connections.Contacts.Select(s => (Subject: s, Id: Guid.TryParse(s, out var id) ? id : (Guid?)null)).Where(s => s.Id is not null).ToList();
        if (subjects.Count == 0) return;
        await using var session = store.QuerySession();
        var contacts = (await session.LoadManyAsync<CustomerContact>(cancellation, subjects.Select(s => s.Id!.Value))).ToDictionary(c => c.Id);
        foreach (var (subject, id) in subjects)
        {
            var revokedAt = contacts.TryGetValue(id!.Value, out var contact)
                ? contact.Memberships.Where(m => m.State == ContactState.Revoked).Max(m => m.RevokedAt)
                : DateTimeOffset.MaxValue; // the contact no longer exists
            if (revokedAt is { } at && await connections.CloseOpenedBeforeAsync(subject, at, cancellation) is > 0 and var closed)
                logger.LogInformation("Closed {Count} hub connection(s) of revoked contact {Contact}", closed, subject);
        }
    }
}
