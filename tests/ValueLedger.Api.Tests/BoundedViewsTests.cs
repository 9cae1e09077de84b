using System.Net;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using ValueLedger.Domain;

namespace ValueLedger.Api.Tests;

/// <summary>
/// A commitment with a long history answers a bounded body: the newest measurements, a down-sampled chart series
/// and the count, with the whole history a page of <c>GET …/measurements</c> away.
/// </summary>
public sealed class when_a_commitment_has_ten_thousand_measurements(AppFixture app) : IntegrationContext(app)
{
    private const int Days = 10_000;
    private static readonly DateOnly FirstDay = new(2026, 1, 1);

    private async Task<(Guid Account, Guid Commitment, DateTimeOffset BeforeImport)> LongHistoryAsync()
    {
        var accountId = await OpenAccountAsync();
        var created = await PostAsync($"/api/accounts/{accountId}/commitments", new
        {
            driver = "cost", metric = "Energy per tonne", unit = "kWh/t", direction = "lowerIsBetter",
            baseline = new { value = 500, asOf = "2025-12-31", source = "Meter" }, target = 400, unitValue = 10,
            periodStart = "2026-01-01", periodEnd = "2055-12-31", cadence = "monthly", owner = "seller", confidence = "high"
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var commitmentId = (await ReadAsync(created))["id"]!.GetValue<Guid>();
        var beforeImport = DateTimeOffset.UtcNow;

        // One transaction of 10,000 daily readings, decided by the domain as the bulk import decides them.
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        var account = (await session.LoadAsync<Account>(accountId))!;
        var rows = Enumerable.Range(0, Days).Select(day => (Guid.CreateVersion7(), new RecordMeasurement(commitmentId,
            FirstDay.AddDays(day), FirstDay.AddDays(day), 500 - day % 50, MeasurementSource.Import, "https://meters.example/export", null))).ToList();
        // Decided once the last reading's day has ended (only ended periods are measured).
        var (events, rejections) = MeasurementDecisions.RecordAll(account, rows, "import",
            new DateTimeOffset(FirstDay.AddDays(Days).ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero));
        Assert.Empty(rejections);
        session.Events.Append(accountId, events.ToArray());
        await session.SaveChangesAsync();
        return (accountId, commitmentId, beforeImport);
    }

    [Fact]
    public async Task the_commitment_answers_the_newest_hundred_a_chart_series_of_at_most_400_points_and_the_count()
    {
        var (accountId, commitmentId, _) = await LongHistoryAsync();

        var response = await Http.GetAsync($"/api/accounts/{accountId}/commitments/{commitmentId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(body.Length < 300_000, $"the commitment answered {body.Length:N0} characters");
        var view = JsonNode.Parse(body)!;

        Assert.Equal(Days, (int)view["measurementCount"]!);
        var recent = view["measurements"]!.AsArray();
        Assert.Equal(100, recent.Count);
        Assert.Equal(FirstDay.AddDays(Days - 100), DateOnly.Parse((string)recent[0]!["periodStart"]!));
        Assert.Equal(FirstDay.AddDays(Days - 1), DateOnly.Parse((string)recent[^1]!["periodStart"]!));

        var series = view["series"]!.AsArray();
        Assert.Equal(400, series.Count);
        Assert.Equal(FirstDay, DateOnly.Parse((string)series[0]!["periodEnd"]!));
        Assert.Equal(FirstDay.AddDays(Days - 1), DateOnly.Parse((string)series[^1]!["periodEnd"]!));
        var ends = series.Select(p => DateOnly.Parse((string)p!["periodEnd"]!)).ToList();
        Assert.Equal(ends.Order(), ends);
        // The figures still cover the whole history.
        Assert.Equal(Days, (int)(await GetJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/measurements?pageSize=1"))["totalItems"]!);
    }

    [Fact]
    public async Task every_measurement_is_a_page_away_filtered_by_period_and_verification_and_as_it_stood()
    {
        var (accountId, commitmentId, beforeImport) = await LongHistoryAsync();
        var route = $"/api/accounts/{accountId}/commitments/{commitmentId}/measurements";

        var third = await GetJsonAsync($"{route}?page=3&pageSize=500");
        Assert.Equal((Days, 20, 3, 500), ((int)third["totalItems"]!, (int)third["totalPages"]!, (int)third["page"]!, (int)third["pageSize"]!));
        var items = third["items"]!.AsArray();
        Assert.Equal(500, items.Count);
        Assert.Equal(FirstDay.AddDays(1000), DateOnly.Parse((string)items[0]!["periodStart"]!));
        Assert.Equal(500 - 1000 % 50, (decimal)items[0]!["value"]!);

        var january = await GetJsonAsync($"{route}?from=2026-01-10&to=2026-01-19");
        Assert.Equal(10, (int)january["totalItems"]!);
        Assert.Equal("2026-01-10", (string)january["items"]![0]!["periodStart"]!);
        Assert.Equal(Days, (int)(await GetJsonAsync($"{route}?verification=unconfirmed&pageSize=1"))["totalItems"]!);
        Assert.Equal(0, (int)(await GetJsonAsync($"{route}?verification=confirmed"))["totalItems"]!);
        Assert.Empty((await GetJsonAsync($"{route}?page=21&pageSize=500"))["items"]!.AsArray());

        var then = await GetJsonAsync($"{route}?asOf={Uri.EscapeDataString(beforeImport.ToString("O"))}");
        Assert.Equal(0, (int)then["totalItems"]!);
    }

    [Theory]
    [InlineData("pageSize=501", "pageSize")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("page=-1", "page")]
    [InlineData("from=2026-13-01", "from")]
    [InlineData("from=2026-02-01&to=2026-01-01", "from")]
    [InlineData("verification=maybe", "verification")]
    public async Task a_bad_page_or_filter_is_400_naming_it(string query, string field)
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var response = await Http.GetAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/measurements?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await ReadAsync(response))["errors"]![field]);
    }

    [Fact]
    public async Task an_unknown_commitment_is_404()
    {
        var accountId = await OpenAccountAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/accounts/{accountId}/commitments/{Guid.NewGuid()}/measurements")).StatusCode);
    }
}
