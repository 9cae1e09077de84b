using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;
using JasperFx.Core;

namespace ValueLedger.Api.Features.Audit.Checkpoints;

/// <summary>
/// Every checkpoint leaves the database: one file per checkpoint in an append-only directory (never rewritten; a
/// retry finds its file there and stops), and optionally a POST of the same JSON to a witness that keeps its own copy.
/// </summary>
public static class CheckpointFileSinkHandler
{
    public static string DirectoryOf(CheckpointSettings settings, IConfiguration configuration) =>
        settings.Directory is { Length: > 0 } configured ? configured : Path.Combine(ValueLedgerSettings.DataDirectory(configuration), "checkpoints");

    public static string FileName(SignedCheckpoint c) =>
        $"checkpoint-{c.TreeSize.ToString("D12", CultureInfo.InvariantCulture)}-{c.Timestamp.UtcDateTime.ToString("yyyyMMdd'T'HHmmssffffff'Z'", CultureInfo.InvariantCulture)}-{c.RootHash[..16]}.json";

    public static async Task Handle(PublishCheckpointToFiles message, IOptions<CheckpointSettings> settings, IConfiguration configuration,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var directory = DirectoryOf(settings.Value, configuration);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName(message.Checkpoint));
        if (File.Exists(path)) return;
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(message.Checkpoint, json.Value.SerializerOptions), ct);
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
        }
    }
}

public static class CheckpointWitnessSinkHandler
{
    public const string HttpClientName = "checkpoint-witness";

    public static void Configure(HandlerChain chain) =>
        chain.OnException<HttpRequestException>().Or<TaskCanceledException>()
            .ScheduleRetry(5.Seconds(), 30.Seconds(), 2.Minutes(), 10.Minutes(), 30.Minutes());

    public static async Task Handle(PublishCheckpointToWitness message, IOptions<CheckpointSettings> settings, IHttpClientFactory clients,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        if (settings.Value.WitnessUrl is not { Length: > 0 } url) return;
        using var response = await clients.CreateClient(HttpClientName).PostAsJsonAsync(url, message.Checkpoint, json.Value.SerializerOptions, ct);
        response.EnsureSuccessStatusCode();
    }
}
