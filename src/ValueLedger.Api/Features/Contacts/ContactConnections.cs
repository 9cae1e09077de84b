using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using ValueLedger.Api.Features.Live;

namespace ValueLedger.Api.Features.Contacts;

/// <summary>
/// The hub connections of each signed-in contact on this node, so a revocation can close them. A contact's
/// connections also join the group <see cref="GroupOf"/>: on other nodes (Redis backplane) the revocation reaches
/// them as a <c>signedOut</c> message, and the dashboard closes the connection; the next connection is then refused
/// or carries only what the contact may still read.
/// </summary>
public sealed class ContactConnections(IHubContext<ValueHub> hub)
{
    public const string SignedOut = "signedOut";
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, HubCallerContext>> _byContact = new();

    public static string GroupOf(string contactSubject) => $"contact:{contactSubject}";

    public void Add(string contactSubject, HubCallerContext context) =>
        _byContact.GetOrAdd(contactSubject, _ => new()).TryAdd(context.ConnectionId, context);

    public void Remove(string contactSubject, string connectionId)
    {
        if (_byContact.TryGetValue(contactSubject, out var connections)) connections.TryRemove(connectionId, out _);
    }

    public async Task CloseAsync(string contactSubject, CancellationToken cancellation)
    {
        await hub.Clients.Group(GroupOf(contactSubject)).SendAsync(SignedOut, cancellation);
        if (_byContact.TryRemove(contactSubject, out var connections))
            foreach (var context in connections.Values) context.Abort();
    }
}
