using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests;

public sealed class when_callers_are_authorised(AppFixture app) : IntegrationContext(app)
{
    [Fact]
    public async Task every_api_endpoint_names_a_policy_or_is_explicitly_anonymous()
    {
        var endpoints = Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api") == true || e.RoutePattern.RawText?.StartsWith("api") == true)
            .ToList();

        Assert.NotEmpty(endpoints);
        var unguarded = endpoints.Where(e =>
                e.Metadata.GetMetadata<IAllowAnonymous>() is null &&
                !e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => !string.IsNullOrEmpty(a.Policy)))
            .Select(e => e.RoutePattern.RawText).ToList();
        Assert.Empty(unguarded);
    }

    [Fact]
    public async Task without_a_token_the_api_is_401_and_health_answers()
    {
        var anonymous = App.ClientFor(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/accounts")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/accounts", AnAccount())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/alive")).StatusCode);
    }

    [Fact]
    public async Task readers_cannot_write_and_an_auditor_writes_nowhere()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        foreach (var role in new[] { Roles.Auditor, Roles.Executive })
        {
            var client = App.ClientFor(role);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/accounts/{accountId}")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/accounts", AnAccount())).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/measurements", AMonth(1, 90))).StatusCode);
        }
        var commitment = await GetJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}");
        Assert.Empty(commitment["measurements"]!.AsArray());
    }

    [Fact]
    public async Task a_customer_sees_and_verifies_only_its_own_account()
    {
        var (own, ownCommitment) = await OpenAccountWithCommitmentAsync();
        var (other, otherCommitment) = await OpenAccountWithCommitmentAsync();
        var ownMeasurement = await RecordAsync(own, ownCommitment, AMonth(1, 90));
        var otherMeasurement = await RecordAsync(other, otherCommitment, AMonth(1, 90));
        var customer = App.ClientFor(Roles.Customer, "jane@buyer.example", own);

        Assert.Equal(HttpStatusCode.OK, (await customer.GetAsync($"/api/accounts/{own}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync($"/api/accounts/{other}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync($"/api/accounts/{other}/commitments/{otherCommitment}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync("/api/accounts")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync($"/api/accounts?owner=maria")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.PostAsJsonAsync(
            $"/api/accounts/{other}/commitments/{otherCommitment}/measurements/{otherMeasurement}/confirmation", new { confirmedBy = "Jane" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.PostAsJsonAsync(
            $"/api/accounts/{own}/commitments/{ownCommitment}/measurements", AMonth(2, 80))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await customer.PostAsJsonAsync(
            $"/api/accounts/{own}/commitments/{ownCommitment}/measurements/{ownMeasurement}/confirmation", new { confirmedBy = "Jane" })).StatusCode);
    }

    [Fact]
    public async Task who_recorded_a_measurement_comes_from_the_token()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var measurementId = await RecordAsync(accountId, commitmentId, AMonth(1, 90));

        var measurement = await GetJsonAsync($"/api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}");
        Assert.Equal("casey.csm", (string)measurement["recordedBy"]!);
    }

    [Fact]
    public async Task oversized_bodies_are_413_and_answers_carry_security_headers()
    {
        var huge = new string('x', 9 * 1024 * 1024);
        var response = await PostRawAsync("/api/accounts", $"{{\"name\":\"{huge}\"}}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
    }
}
