using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests;

/// <summary>A CRM keeps accounts in step by PUTting them under its own ids (issue 17, item 4).</summary>
public sealed class when_a_crm_upserts_accounts_by_its_own_id(AppFixture app) : IntegrationContext(app)
{
    private const string Route = "/api/accounts/by-external-id/salesforce/001ABC";

    private Task<HttpResponseMessage> PutAsync(string url, object body, HttpClient? client = null) =>
        (client ?? Http).PutAsJsonAsync(url, body, JsonOptions);

    [Fact]
    public async Task the_first_put_opens_the_account_linked_to_the_id_and_later_ones_update_it()
    {
        var created = await PutAsync(Route, AnAccount("Nordic Steel"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("\"2\"", created.Headers.ETag!.Tag);
        var id = (Guid)(await ReadAsync(created))["id"]!;
        Assert.Equal($"/api/accounts/{id}", created.Headers.Location!.ToString());

        var view = await GetJsonAsync($"/api/accounts/{id}");
        Assert.Equal("001ABC", (string)view["externalIds"]!["salesforce"]!);
        Assert.Equal(id, (Guid)(await GetJsonAsync(Route))["id"]!);

        var unchanged = await PutAsync(Route, AnAccount("Nordic Steel"));
        Assert.Equal(HttpStatusCode.OK, unchanged.StatusCode);
        Assert.Equal((id, 2L), ((Guid)(await ReadAsync(unchanged))["id"]!, (long)(await GetJsonAsync($"/api/accounts/{id}"))["version"]!));

        var renamed = await PutAsync(Route, AnAccount("Nordic Steel Oyj", owner: "li"));
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("\"3\"", renamed.Headers.ETag!.Tag);
        view = await GetJsonAsync($"/api/accounts/{id}");
        Assert.Equal(("Nordic Steel Oyj", "li"), ((string)view["name"]!, (string)view["owner"]!));
        Assert.Equal(1, (int)(await GetJsonAsync("/api/accounts"))["totalItems"]!);
    }

    [Fact]
    public async Task the_currency_of_an_open_account_cannot_change_and_nothing_is_written()
    {
        var id = (Guid)(await ReadAsync(await PutAsync(Route, AnAccount())))["id"]!;
        var response = await PutAsync(Route, new { name = "Acme Foods", industry = "Food processing", segment = "enterprise",
            currency = "USD", approach = "processCentric", owner = "maria" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("Currency cannot change", (string)(await ReadAsync(response))["title"]!);
        var view = await GetJsonAsync($"/api/accounts/{id}");
        Assert.Equal(("EUR", 2L), ((string)view["currency"]!, (long)view["version"]!));
    }

    [Fact]
    public async Task if_match_protects_an_update_from_a_stale_copy()
    {
        await PutAsync(Route, AnAccount());
        var request = new HttpRequestMessage(HttpMethod.Put, Route) { Content = JsonContent.Create(AnAccount("Renamed"), options: JsonOptions) };
        request.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"1\""));

        var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal("Acme Foods", (string)(await GetJsonAsync(Route))["name"]!);
    }

    [Fact]
    public async Task concurrent_first_puts_open_one_account()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PutAsync(Route, AnAccount("Racing Co"))));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, a.StatusCode.ToString()));
        var ids = new HashSet<Guid>();
        foreach (var answer in answers) ids.Add((Guid)(await ReadAsync(answer))["id"]!);
        Assert.Single(ids);
        Assert.Equal(1, (int)(await GetJsonAsync("/api/accounts"))["totalItems"]!);
    }

    [Fact]
    public async Task each_system_has_its_own_ids()
    {
        var fromSalesforce = (Guid)(await ReadAsync(await PutAsync(Route, AnAccount("One"))))["id"]!;
        var fromHubspot = await PutAsync("/api/accounts/by-external-id/hubspot/001ABC", AnAccount("Two"));

        Assert.Equal(HttpStatusCode.Created, fromHubspot.StatusCode);
        Assert.NotEqual(fromSalesforce, (Guid)(await ReadAsync(fromHubspot))["id"]!);
    }

    [Theory]
    [InlineData("Sales Force", "001", "system")]
    [InlineData("salesforce", "a-very-long-id-that-goes-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on", "externalId")]
    public async Task a_malformed_system_or_id_is_a_400_naming_it(string system, string externalId, string field)
    {
        var url = $"/api/accounts/by-external-id/{Uri.EscapeDataString(system)}/{Uri.EscapeDataString(externalId)}";

        foreach (var response in new[] { await PutAsync(url, AnAccount()), await Http.GetAsync(url) })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.NotNull((await ReadAsync(response))["errors"]![field]);
        }
        Assert.Equal(0, (int)(await GetJsonAsync("/api/accounts"))["totalItems"]!);
    }

    [Fact]
    public async Task an_unknown_id_is_a_404_problem()
    {
        var response = await Http.GetAsync("/api/accounts/by-external-id/salesforce/nobody");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task the_customer_never_sees_the_sellers_crm_ids()
    {
        var id = (Guid)(await ReadAsync(await PutAsync(Route, AnAccount())))["id"]!;
        var customer = App.ClientFor(Roles.Customer, "jane@buyer.example", id);

        var view = JsonNode.Parse(await customer.GetStringAsync($"/api/accounts/{id}"))!;

        Assert.Equal(id, (Guid)view["id"]!);
        Assert.Null(view["externalIds"]);
    }
}
