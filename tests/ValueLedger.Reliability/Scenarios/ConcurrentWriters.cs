using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ValueLedger.Harness;

namespace ValueLedger.Reliability;

/// <summary>
/// 50 writers release their commands on one account at the same instant. Every 201 must be in the final state and
/// nothing else: the stored measurements and prioritisations are exactly the accepted ones, and the account's
/// version counts exactly them.
/// </summary>
public sealed class ConcurrentWriters(Suite suite)
{
    public async Task<ScenarioResult> RunAsync()
    {
        var o = suite.Options;
        var result = new ScenarioResult($"{o.ConcurrentWriters} concurrent writers on one account",
            $"{o.ConcurrentRounds} round(s): {o.ConcurrentWriters} commands released together on one fresh account (measurements on distinct days; " +
            "from the second round every fifth is a prioritisation); no If-Match, so the server decides each on the newest state");
        var statuses = new Dictionary<int, int>();
        for (var round = 0; round < o.ConcurrentRounds; round++)
        {
            var target = (await WriteLoad.OpenAsync(suite, 1, $"Contended {round}"))[0];
            var gate = new TaskCompletionSource();
            var commands = Enumerable.Range(0, o.ConcurrentWriters).Select(async i =>
            {
                var prioritise = round > 0 && i % 5 == 4;
                var (url, body) = prioritise
                    ? ($"/api/accounts/{target.Account}/prioritisation", Bodies.Prioritisation($"round {round} writer {i}"))
                    : ($"/api/accounts/{target.Account}/commitments/{target.Commitment}/measurements", Bodies.Measurement(Bodies.Day(i), 80 + i % 20));
                await gate.Task;
                using var response = await suite.Api.PostAsync(url, body);
                Interlocked.Increment(ref result.RequestsSent);
                var text = await response.Content.ReadAsStringAsync();
                return (i, prioritise, Status: (int)response.StatusCode, Text: text);
            }).ToList();
            gate.SetResult();
            var answers = await Task.WhenAll(commands);

            foreach (var a in answers) statuses[a.Status] = statuses.GetValueOrDefault(a.Status) + 1;
            foreach (var a in answers.Where(a => a.Status >= 500)) result.Fail($"writer {a.i} got {a.Status}: {a.Text}");
            var acceptedMeasurements = answers.Where(a => a.Status == 201 && !a.prioritise)
                .Select(a => JsonNode.Parse(a.Text)!["id"]!.GetValue<Guid>()).ToHashSet();
            var acceptedNotes = answers.Where(a => a.Status == 201 && a.prioritise).Select(a => $"round {round} writer {a.i}").ToHashSet();

            var events = await suite.Ledger.EventsOfAsync(target.Account);
            var storedMeasurements = events.Where(e => e.Type == "measurement_recorded")
                .Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("measurementId").GetGuid()).ToList();
            var storedNotes = events.Where(e => e.Type == "account_prioritised")
                .Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("note").GetString()!).ToList();
            result.WritesChecked += acceptedMeasurements.Count + acceptedNotes.Count;

            var lost = acceptedMeasurements.Except(storedMeasurements).Count() + acceptedNotes.Except(storedNotes).Count();
            var extra = storedMeasurements.Except(acceptedMeasurements).Count() + storedNotes.Except(acceptedNotes).Count();
            var twice = storedMeasurements.Count - storedMeasurements.Distinct().Count() + storedNotes.Count - storedNotes.Distinct().Count();
            result.Lost += lost;
            result.Duplicated += twice;
            if (lost > 0) result.Fail($"round {round}: {lost} accepted commands are missing from the stream");
            if (extra > 0) result.Fail($"round {round}: {extra} commands are stored that were not accepted");
            if (twice > 0) result.Fail($"round {round}: {twice} commands are stored twice");

            // The read model and the API agree with the stream.
            var view = await suite.Api.GetJsonAsync($"/api/accounts/{target.Account}");
            var expectedVersion = 2 + acceptedMeasurements.Count + acceptedNotes.Count;
            if (view?["version"]?.GetValue<long>() != expectedVersion)
                result.Fail($"round {round}: the account is at version {view?["version"]} but 2 + {acceptedMeasurements.Count + acceptedNotes.Count} accepted commands make {expectedVersion}");
            var commitment = await suite.Api.GetJsonAsync($"/api/accounts/{target.Account}/commitments/{target.Commitment}");
            var listed = commitment?["measurements"]?.AsArray().Select(m => m!["id"]!.GetValue<Guid>()).ToHashSet() ?? [];
            if (!listed.SetEquals(acceptedMeasurements))
                result.Fail($"round {round}: the commitment lists {listed.Count} measurements, {acceptedMeasurements.Count} were accepted");
            result.Observe($"Round {round + 1}: {acceptedMeasurements.Count + acceptedNotes.Count} of {o.ConcurrentWriters} accepted " +
                           $"({string.Join(", ", answers.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"))}).");
        }
        await suite.CheckReplayAsync(result);
        return result;
    }
}
