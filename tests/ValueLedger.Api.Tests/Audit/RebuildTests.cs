using System.Net;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace ValueLedger.Api.Tests.Audit;

public sealed class when_read_models_are_rebuilt_from_the_events(AppFixture app) : AuditContext(app)
{
    /// <summary>Every document every projection writes, as stored: (document type, [[id, data], …] ordered by id).</summary>
    private async Task<Dictionary<Type, string>> ReadModelsAsync(DocumentStore store)
    {
        var models = new Dictionary<Type, string>();
        await using var session = store.QuerySession();
        foreach (var type in store.Options.Projections.AllPublishedTypes().Distinct())
        {
            var table = ((IReadOnlyStoreOptions)store.Options).FindOrResolveDocumentType(type).TableName.QualifiedName;
            models[type] = (await session.AdvancedSql.QueryAsync<string>(
                $"select coalesce(jsonb_agg(jsonb_build_array(id, data) order by id), '[]'::jsonb)::text from {table}", CancellationToken.None)).Single();
        }
        return models;
    }

    [Fact]
    public async Task every_rebuilt_read_model_equals_the_live_one()
    {
        var (first, commitment, _) = await BuildAccountAsync();
        Assert.Equal(HttpStatusCode.Created, (await PostAsync($"/api/accounts/{first}/commitments/{commitment}/withdrawal", new { reason = "Line closed" })).StatusCode);
        var (second, _, _) = await BuildAccountAsync();
        var store = (DocumentStore)Host.Services.GetRequiredService<IDocumentStore>();
        await Marten.Events.TestingExtensions.WaitForNonStaleProjectionDataAsync(Host, TimeSpan.FromSeconds(30));
        var live = await ReadModelsAsync(store);
        var views = new[] { await GetJsonAsync($"/api/accounts/{first}"), await GetJsonAsync($"/api/accounts/{second}") };
        Assert.NotEmpty(live);
        Assert.All(live.Values, rows => Assert.NotEqual("[]", rows));

        // Throw the read models away, then rebuild every projection through Marten's daemon, as the CLI does.
        foreach (var type in live.Keys) await store.Advanced.Clean.DeleteDocumentsByTypeAsync(type);
        Assert.All((await ReadModelsAsync(store)).Values, rows => Assert.Equal("[]", rows));
        var daemon = Host.Services.GetService<IProjectionCoordinator>()?.DaemonForMainDatabase() ?? await store.BuildProjectionDaemonAsync();
        foreach (var projection in store.Options.Projections.All.OfType<JasperFx.Events.Subscriptions.ISubscriptionSource>().Select(p => p.Name))
            await daemon.RebuildProjectionAsync(projection, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal(live, await ReadModelsAsync(store));
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(Without(views[0]), Without(await GetJsonAsync($"/api/accounts/{first}"))));
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(Without(views[1]), Without(await GetJsonAsync($"/api/accounts/{second}"))));
    }

    private static System.Text.Json.Nodes.JsonNode Without(System.Text.Json.Nodes.JsonNode view)
    {
        var copy = view.DeepClone().AsObject();
        copy.Remove("asOf");
        return copy;
    }
}
