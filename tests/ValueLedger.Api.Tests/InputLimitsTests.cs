using System.Net;
using Marten.Exceptions;
using Npgsql;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests;

// Found by ops/reliability's fuzz run: each of these answered 500 (and the huge value was stored, then broke every read).

public sealed class when_a_write_names_the_empty_account_id(AppFixture app) : IntegrationContext(app)
{
    [Fact]
    public async Task it_answers_404_as_for_any_unknown_account()
    {
        var prioritised = await PostAsync($"/api/accounts/{Guid.Empty}/prioritisation", new { abilityToPay = "high", willingnessToPay = "low" });
        var imported = await PostRawAsync($"/api/accounts/{Guid.Empty}/measurements/import",
            $"commitmentId,periodStart,periodEnd,value\n{Guid.NewGuid()},2026-01-01,2026-01-31,90\n", "text/csv");

        Assert.Equal(HttpStatusCode.NotFound, prioritised.StatusCode);
        Assert.Equal("application/problem+json", prioritised.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, imported.StatusCode);
    }
}

public sealed class when_a_text_holds_a_character_postgres_cannot_store(AppFixture app) : IntegrationContext(app)
{
    [Fact]
    public async Task it_answers_400_and_writes_nothing()
    {
        var response = await PostAsync("/api/accounts", AnAccount(name: "Acme\u0000Foods"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, (int)(await GetJsonAsync("/api/accounts"))["totalItems"]!);
    }
}

public sealed class when_an_import_holds_text_that_is_not_valid_unicode(AppFixture app) : IntegrationContext(app)
{
    [Fact]
    public async Task it_answers_400_and_imports_nothing()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        // A lone surrogate, escaped in the JSON text: valid JSON, but not a readable string.
        var rows = $$"""{"rows":[{"commitmentId":"{{commitmentId}}","periodStart":"2026-01-01","periodEnd":"2026-01-31","value":"\ud800"}]}""";

        var response = await PostRawAsync($"/api/accounts/{accountId}/measurements/import", rows);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(2, (long)(await GetJsonAsync($"/api/accounts/{accountId}"))["version"]!);
    }
}

public sealed class when_a_date_lies_outside_the_business_calendar(AppFixture app) : IntegrationContext(app)
{
    [Fact]
    public async Task it_refuses_a_commitment_starting_in_year_one()
    {
        var accountId = await OpenAccountAsync();
        var commitment = await ReadAsync(await PostAsync($"/api/accounts/{accountId}/commitments", new
        {
            driver = "cost", metric = "Scrap rate", unit = "%", direction = "lowerIsBetter",
            baseline = new { value = 100, asOf = "2025-12-31", source = "ERP" }, target = 80, unitValue = 1000,
            periodStart = "0001-01-01", periodEnd = "2026-12-31", cadence = "monthly", owner = "joint", confidence = "medium"
        }));

        Assert.Equal(400, (int)commitment["status"]!);
        Assert.NotNull(commitment["errors"]!["PeriodStart"] ?? commitment["errors"]!["periodStart"]);
    }

    [Fact]
    public async Task it_refuses_a_measurement_ending_on_the_last_day_of_the_calendar()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var response = await PostAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/measurements",
            new { periodStart = "2026-01-01", periodEnd = "9999-12-31", value = 90 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}

public sealed class when_a_value_would_overflow_the_value_formulas(AppFixture app) : IntegrationContext(app)
{
    [Fact]
    public async Task it_refuses_it_and_the_account_stays_readable()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var response = await PostAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/measurements",
            new { periodStart = "2026-01-01", periodEnd = "2026-01-31", value = decimal.MaxValue });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(2, (long)(await GetJsonAsync($"/api/accounts/{accountId}"))["version"]!);
    }
}

public sealed class when_the_database_fails_under_a_request
{
    [Fact]
    public void it_answers_503_for_a_lost_connection_even_when_marten_wraps_it()
    {
        var failure = new MartenCommandException(new NpgsqlCommand("select 1"),
            new NpgsqlException("Failed to connect to 127.0.0.1:5432", new System.Net.Sockets.SocketException(111)));

        Assert.Equal(503, ProblemExceptionHandler.Classify(failure).Status);
    }

    [Fact]
    public void it_answers_503_when_the_server_is_shutting_down()
    {
        var failure = new MartenCommandException(new NpgsqlCommand("select 1"),
            new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01"));

        Assert.Equal(503, ProblemExceptionHandler.Classify(failure).Status);
    }

    [Fact]
    public void it_answers_400_for_a_value_postgres_cannot_store()
    {
        var failure = new MartenCommandException(new NpgsqlCommand("select 1"),
            new PostgresException("unsupported Unicode escape sequence", "ERROR", "ERROR", "22P05"));

        Assert.Equal(400, ProblemExceptionHandler.Classify(failure).Status);
    }
}

/// <summary>No arithmetic a caller can provoke ends in a 500: ratios over a promised improvement a hair wide are refused at the door.</summary>
public sealed class when_a_target_lies_a_hair_from_its_baseline(AppFixture app) : IntegrationContext(app)
{
    private static object Commitment(decimal baseline, decimal target, decimal unitValue = 1000) => new
    {
        driver = "cost", metric = "Scrap rate", unit = "%", direction = "lowerIsBetter",
        baseline = new { value = baseline, asOf = "2025-12-31", source = "ERP" }, target, unitValue,
        periodStart = "2026-01-01", periodEnd = "2026-12-31", cadence = "monthly", owner = "joint", confidence = "medium"
    };

    [Fact]
    public async Task more_than_six_decimal_places_are_refused_naming_the_field()
    {
        var accountId = await OpenAccountAsync();
        var target = await ReadAsync(await PostAsync($"/api/accounts/{accountId}/commitments", Commitment(100m, 100.0000001m)));
        Assert.Equal(400, (int)target["status"]!);
        Assert.Contains(target["errors"]!.AsObject(), e => e.Key.Equals("target", StringComparison.OrdinalIgnoreCase));

        var baseline = await ReadAsync(await PostAsync($"/api/accounts/{accountId}/commitments", Commitment(80.0000000001m, 80m)));
        Assert.Equal(400, (int)baseline["status"]!);
        Assert.Contains(baseline["errors"]!.AsObject(), e => e.Key.Contains("value", StringComparison.OrdinalIgnoreCase));

        var unitValue = await ReadAsync(await PostAsync($"/api/accounts/{accountId}/commitments", Commitment(100m, 80m, 0.0000000000000000000000000001m)));
        Assert.Equal(400, (int)unitValue["status"]!);
        Assert.Contains(unitValue["errors"]!.AsObject(), e => e.Key.Equals("unitValue", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task the_narrowest_promise_allowed_values_the_largest_measurement_without_overflow()
    {
        var accountId = await OpenAccountAsync();
        var created = await PostAsync($"/api/accounts/{accountId}/commitments", Commitment(100m, 99.999999m, 1_000_000_000m));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var commitmentId = (await ReadAsync(created))["id"]!.GetValue<Guid>();

        var measured = await PostAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/measurements",
            new { periodStart = "2026-01-01", periodEnd = "2026-01-31", value = -1_000_000_000_000m });
        Assert.Equal(HttpStatusCode.Created, measured.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync($"/api/accounts/{accountId}/commitments/{commitmentId}")).StatusCode);
        var account = await GetJsonAsync($"/api/accounts/{accountId}");
        Assert.Equal((1_000_000_000_000m + 100m) * 1_000_000_000m, (decimal)account["realizedValue"]!);
    }
}
