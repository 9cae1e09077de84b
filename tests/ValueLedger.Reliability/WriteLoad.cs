using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ValueLedger.Harness;

namespace ValueLedger.Reliability;

public enum Outcome { Pending, Acknowledged, Unknown, Rejected }

/// <summary>
/// One write a client wants done exactly once, with its own Idempotency-Key, retried with that key until it gets a
/// final answer: acknowledged (201) or rejected (any other 4xx). "Unknown" is what a server that cannot tell whether
/// an earlier attempt wrote would answer (a 409 naming the key); since the answer commits with the events (ADR 0010)
/// there is no such answer any more, and one is counted as a failure.
/// </summary>
public sealed class LogicalWrite
{
    public required string Kind { get; init; }
    public required Guid Account { get; init; }
    public Guid Commitment { get; init; }
    public DateOnly Day { get; init; }
    public string? Note { get; init; }
    public required string Url { get; init; }
    public required object Body { get; init; }
    public string Key { get; } = Guid.NewGuid().ToString("N");
    public int Attempts;
    public Outcome Outcome = Outcome.Pending;
    public int Status;
    public Guid? MeasurementId;
}

public sealed record Target(Guid Account, Guid Commitment);

/// <summary>
/// Writers that keep recording measurements and prioritisations (3 to 1) on their own accounts while faults are
/// injected, retrying each write with its Idempotency-Key through app restarts and database outages.
/// </summary>
public sealed class WriteLoad(Suite suite, ScenarioResult result)
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(90);
    public ConcurrentBag<LogicalWrite> Writes { get; } = [];
    public ConcurrentDictionary<string, int> Statuses { get; } = new();
    public int ServerErrors;
    public int Unavailable;
    public int UnavailableWithoutProblem;
    public int ConnectionFailures;
    /// <summary>Stopwatch timestamp of the latest acknowledged write.</summary>
    public long LastAcknowledgedAt;

    public static async Task<Target[]> OpenAsync(Suite suite, int count, string prefix) =>
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            var account = await suite.Api.OpenAccountAsync($"{prefix} {i}");
            var commitment = await suite.Api.AddCommitmentAsync(account, Bodies.CommitmentStart, Bodies.CommitmentEnd);
            return new Target(account, commitment);
        }));

    /// <summary>Runs the writers until <paramref name="stop"/> is cancelled; each then finishes the write it is on.</summary>
    public Task RunAsync(Target[] targets, int writers, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var mine = targets.Where((_, i) => i % writers == w).ToArray();
            var day = 0;
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var target = mine[n % mine.Length];
                LogicalWrite write = n % 4 == 3
                    ? new LogicalWrite
                    {
                        Kind = "prioritisation", Account = target.Account, Note = $"review w{w}-{n}",
                        Url = $"/api/accounts/{target.Account}/prioritisation", Body = Bodies.Prioritisation($"review w{w}-{n}")
                    }
                    : new LogicalWrite
                    {
                        Kind = "measurement", Account = target.Account, Commitment = target.Commitment, Day = Bodies.Day(day),
                        Url = $"/api/accounts/{target.Account}/commitments/{target.Commitment}/measurements",
                        Body = Bodies.Measurement(Bodies.Day(day++), 80 + n % 20)
                    };
                Writes.Add(write);
                await ExecuteAsync(write);
            }
        })));

    public async Task ExecuteAsync(LogicalWrite write)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(GiveUpAfter.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            write.Attempts++;
            Interlocked.Increment(ref result.RequestsSent);
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                using var response = await suite.Api.PostAsync(write.Url, write.Body, write.Key, timeout.Token);
                var text = await response.Content.ReadAsStringAsync(timeout.Token);
                var status = (int)response.StatusCode;
                write.Status = status;
                Statuses.AddOrUpdate(status.ToString(), 1, (_, c) => c + 1);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    write.Outcome = Outcome.Acknowledged;
                    if (write.Kind == "measurement") write.MeasurementId = JsonNode.Parse(text)!["id"]!.GetValue<Guid>();
                    Interlocked.Exchange(ref LastAcknowledgedAt, Stopwatch.GetTimestamp());
                    return;
                }
                if (status == 503)
                {
                    Interlocked.Increment(ref Unavailable);
                    if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    {
                        Interlocked.Increment(ref UnavailableWithoutProblem);
                        result.Fail($"a 503 came without ProblemDetails ({response.Content.Headers.ContentType}): {Cut(text)}");
                    }
                }
                else if (status >= 500)
                {
                    Interlocked.Increment(ref ServerErrors);
                    result.Fail($"{write.Url.Split('/')[^1]} answered {status}: {Cut(text)}");
                }
                else if (status == 409 && text.Contains("Idempotency-Key", StringComparison.Ordinal))
                {
                    // The server says it cannot tell whether an earlier attempt wrote: exactly what must not happen.
                    write.Outcome = Outcome.Unknown;
                    result.Fail($"{write.Kind} with key {write.Key}: the retry was told the outcome is unknown ({status}): {Cut(text)}");
                    return;
                }
                else
                {
                    write.Outcome = Outcome.Rejected;
                    result.Observe($"{write.Kind} refused with {status}: {Cut(text)}");
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                Interlocked.Increment(ref ConnectionFailures);
            }
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Reads every event of the written accounts and checks each write: acknowledged ones are stored exactly once
    /// (a measurement under the id the client was given), none is stored twice, refused ones are not stored.
    /// </summary>
    public async Task VerifyAsync()
    {
        var writes = Writes.ToList();
        var unknownStored = 0;
        var pending = writes.Count(w => w.Outcome == Outcome.Pending);
        if (pending > 0) result.Fail($"{pending} writes never got a final answer within {GiveUpAfter.TotalSeconds:0} s of retrying");
        foreach (var account in writes.GroupBy(w => w.Account))
        {
            var events = await suite.Ledger.EventsOfAsync(account.Key);
            var measurements = events.Where(e => e.Type == "measurement_recorded").Select(e => JsonDocument.Parse(e.Data).RootElement)
                .Select(d => (Commitment: d.GetProperty("commitmentId").GetGuid(), Day: DateOnly.Parse(d.GetProperty("periodStart").GetString()!),
                    Id: d.GetProperty("measurementId").GetGuid()))
                .ToList();
            var notes = events.Where(e => e.Type == "account_prioritised")
                .Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("note").GetString()).ToList();

            foreach (var write in account)
            {
                var stored = write.Kind == "measurement"
                    ? measurements.Where(m => m.Commitment == write.Commitment && m.Day == write.Day).Select(m => (Guid?)m.Id).ToList()
                    : notes.Where(n => n == write.Note).Select(_ => (Guid?)null).ToList();
                if (stored.Count > 1)
                {
                    result.Duplicated++;
                    result.Fail($"{write.Kind} with key {write.Key} is stored {stored.Count} times");
                }
                switch (write.Outcome)
                {
                    case Outcome.Acknowledged:
                        result.WritesChecked++;
                        if (stored.Count == 0)
                        {
                            result.Lost++;
                            result.Fail($"acknowledged {write.Kind} with key {write.Key} is not stored");
                        }
                        else if (write.Kind == "measurement" && !stored.Contains(write.MeasurementId))
                            result.Fail($"acknowledged measurement {write.MeasurementId} is stored under another id ({stored[0]})");
                        break;
                    case Outcome.Rejected when stored.Count > 0:
                        result.Fail($"{write.Kind} refused with {write.Status} is stored nevertheless");
                        break;
                    case Outcome.Unknown:
                        result.Unknown++; // already a failure when it was answered
                        if (stored.Count > 0) unknownStored++;
                        break;
                }
            }
        }
        var retried = writes.Where(w => w.Attempts > 1).ToList();
        result.Observe($"{writes.Count:N0} writes: {writes.Count(w => w.Outcome == Outcome.Acknowledged):N0} acknowledged, " +
                       $"{writes.Count(w => w.Outcome == Outcome.Unknown)} with an unknown outcome (each a failure" +
                       (unknownStored > 0 ? $"; {unknownStored} of them were in fact stored" : "") + "), " +
                       $"{writes.Count(w => w.Outcome == Outcome.Rejected)} refused; {retried.Count:N0} retried with the same Idempotency-Key " +
                       $"({retried.Count(w => w.Outcome == Outcome.Acknowledged):N0} of them acknowledged in the end), none stored twice unless listed as a failure.");
        result.Observe($"Answers: {string.Join(", ", Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}; {ConnectionFailures:N0} attempts found no app (connection refused or reset).");
    }

    private static string Cut(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
