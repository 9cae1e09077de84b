using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests.Audit;

/// <summary>
/// Exports through a real Kestrel server (TestServer allows the synchronous writes Kestrel refuses: the JSONL export
/// once stopped after its first line there). Same database and schema as the shared host, its own Kestrel on a free port.
/// </summary>
public sealed class when_history_is_exported_through_kestrel(AppFixture app) : AuditContext(app)
{
    [Fact]
    public async Task every_format_streams_every_event()
    {
        var (accountId, _, _) = await BuildAccountAsync();
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:Marten", Environment.GetEnvironmentVariable("ConnectionStrings__Marten"));
            builder.UseSetting("ValueLedger:Schema", Schema);
            builder.UseSetting("Auth:SigningKey", AppFixture.SigningKey);
            builder.UseSetting("ValueLedger:Checkpoints:Interval", "00:00:00");
            builder.UseSetting("ValueLedger:Checkpoints:KeyFile", Path.Combine(App.CheckpointFolder, "checkpoint-key"));
            builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(App.Clock));
        });
        factory.UseKestrel(0);
        factory.StartServer();
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", App.TokenFor(Roles.Auditor, "ada"));

        var jsonl = await client.GetAsync($"/api/accounts/{accountId}/history?format=jsonl");
        Assert.Equal(HttpStatusCode.OK, jsonl.StatusCode);
        var lines = (await jsonl.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([1L, 2, 3, 4, 5, 6], lines.Select(l => (long)System.Text.Json.Nodes.JsonNode.Parse(l)!["version"]!));

        var csv = await client.GetAsync($"/api/accounts/{accountId}/history?format=csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal(7, (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var json = await client.GetAsync($"/api/accounts/{accountId}/history");
        Assert.Equal(6, System.Text.Json.Nodes.JsonNode.Parse(await json.Content.ReadAsStringAsync())!.AsArray().Count);
    }
}
