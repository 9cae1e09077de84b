using System.Net;

namespace ValueLedger.Api.Tests;

public sealed class when_an_account_is_opened(AppFixture app) : IntegrationContext(app)
{
    [Fact]
    public async Task it_answers_201_with_location_and_etag_and_the_view_reads_back()
    {
        var response = await PostAsync("/api/accounts", AnAccount("Nordic Steel", "outcomeCentric"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("\"1\"", response.Headers.ETag!.Tag);
        var view = await GetJsonAsync(response.Headers.Location!.ToString());
        Assert.Equal("Nordic Steel", (string)view["name"]!);
        Assert.Equal("outcomeCentric", (string)view["approach"]!);
        Assert.Equal("EUR", (string)view["currency"]!);
        Assert.Equal("notStarted", (string)view["status"]!);
        Assert.Equal("unassessed", (string)view["priorityTier"]!);
        Assert.Null(view["realizationRate"]);
        Assert.Equal(1, (long)view["version"]!);
    }

    [Fact]
    public async Task missing_and_invalid_fields_are_named_in_a_400()
    {
        var response = await PostAsync("/api/accounts", new { name = "", currency = "EURO", approach = "productCentric" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = (await ReadAsync(response))["errors"]!.AsObject();
        Assert.Contains("Name", errors.Select(e => e.Key), StringComparer.OrdinalIgnoreCase);
        Assert.Contains("Currency", errors.Select(e => e.Key), StringComparer.OrdinalIgnoreCase);
        Assert.Contains("Owner", errors.Select(e => e.Key), StringComparer.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("{\"name\": \"Acme\", ")]
    [InlineData("{\"name\":\"A\",\"industry\":\"F\",\"segment\":\"s\",\"currency\":\"EUR\",\"approach\":\"magicCentric\",\"owner\":\"o\"}")]
    [InlineData("[1,2,3]")]
    public async Task unreadable_json_is_a_400_problem_not_a_500(string body)
    {
        var response = await PostRawAsync("/api/accounts", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task an_unknown_account_is_404()
    {
        var response = await Http.GetAsync($"/api/accounts/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }
}

public sealed class when_accounts_are_listed(AppFixture app) : IntegrationContext(app)
{
    [Fact]
    public async Task filters_and_pages_apply()
    {
        await OpenAccountAsync(AnAccount("Alpha", "productCentric", "midMarket", "ann"));
        await OpenAccountAsync(AnAccount("Bravo", "outcomeCentric", "enterprise", "bob"));
        await OpenAccountAsync(AnAccount("Charlie", "outcomeCentric", "enterprise", "ann"));
        await OpenAccountAsync(AnAccount("Delta", "processCentric", "enterprise", "ann"));

        var outcome = await GetJsonAsync("/api/accounts?approach=outcomeCentric");
        Assert.Equal(["Bravo", "Charlie"], outcome["items"]!.AsArray().Select(i => (string)i!["name"]!));

        var annEnterprise = await GetJsonAsync("/api/accounts?owner=ann&segment=enterprise");
        Assert.Equal(["Charlie", "Delta"], annEnterprise["items"]!.AsArray().Select(i => (string)i!["name"]!));

        var page2 = await GetJsonAsync("/api/accounts?page=2&pageSize=3");
        Assert.Equal(["Delta"], page2["items"]!.AsArray().Select(i => (string)i!["name"]!));
        Assert.Equal(4, (int)page2["totalItems"]!);
        Assert.Equal(2, (int)page2["totalPages"]!);

        var notStarted = await GetJsonAsync("/api/accounts?status=notStarted");
        Assert.Equal(4, (int)notStarted["totalItems"]!);
    }

    [Theory]
    [InlineData("page=0")]
    [InlineData("pageSize=1000")]
    [InlineData("approach=cheap")]
    [InlineData("status=sleeping")]
    public async Task bad_filters_are_400(string query)
    {
        var response = await Http.GetAsync($"/api/accounts?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}

public sealed class when_an_account_is_prioritised(AppFixture app) : IntegrationContext(app)
{
    [Fact]
    public async Task ability_and_willingness_give_the_tier_and_the_note_is_kept()
    {
        var accountId = await OpenAccountAsync();

        var response = await PostAsync($"/api/accounts/{accountId}/prioritisation",
            new { abilityToPay = "high", willingnessToPay = "medium", note = "Strong buying centre, CFO tracks TCO" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var view = await GetJsonAsync($"/api/accounts/{accountId}");
        Assert.Equal("valueProspect", (string)view["priorityTier"]!);
        Assert.Equal("Strong buying centre, CFO tracks TCO", (string)view["prioritisation"]!["note"]!);
    }

    [Fact]
    public async Task an_unknown_level_is_400_and_an_unknown_account_404()
    {
        Assert.Equal(HttpStatusCode.BadRequest,
            (await PostAsync($"/api/accounts/{Guid.NewGuid()}/prioritisation", new { abilityToPay = "huge", willingnessToPay = "low" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await PostAsync($"/api/accounts/{Guid.NewGuid()}/prioritisation", new { abilityToPay = "high", willingnessToPay = "low" })).StatusCode);
    }
}

public sealed class when_an_accounts_details_are_edited(AppFixture app) : IntegrationContext(app)
{
    private Task<HttpResponseMessage> PatchAsync(string url, object body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, url) { Content = System.Net.Http.Json.JsonContent.Create(body, options: JsonOptions) };
        if (ifMatch is not null) request.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue(ifMatch));
        return Http.SendAsync(request);
    }

    [Fact]
    public async Task only_the_fields_sent_change_and_the_same_details_again_append_nothing()
    {
        var id = await OpenAccountAsync(AnAccount("Acme Foods"));

        var renamed = await PatchAsync($"/api/accounts/{id}", new { name = "Acme Foods Group", owner = "li@seller.example" });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("\"2\"", renamed.Headers.ETag!.Tag);
        var view = await GetJsonAsync($"/api/accounts/{id}");
        Assert.Equal(("Acme Foods Group", "Food processing", "li@seller.example"), ((string)view["name"]!, (string)view["industry"]!, (string)view["owner"]!));

        var again = await PatchAsync($"/api/accounts/{id}", new { name = "Acme Foods Group" });
        Assert.Equal(2, (long)(await ReadAsync(again))["version"]!);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await PatchAsync($"/api/accounts/{id}", new { segment = "smb" }, "\"1\"")).StatusCode);
    }

    [Fact]
    public async Task an_empty_or_blank_edit_is_named_and_an_unknown_account_is_404()
    {
        var id = await OpenAccountAsync();
        var nothing = await PatchAsync($"/api/accounts/{id}", new { });
        Assert.Equal(HttpStatusCode.BadRequest, nothing.StatusCode);
        Assert.NotNull((await ReadAsync(nothing))["errors"]!["details"]);
        var blank = await PatchAsync($"/api/accounts/{id}", new { name = " " });
        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        Assert.Contains("name", (await ReadAsync(blank))["errors"]!.AsObject().Select(e => e.Key.ToLowerInvariant()));
        Assert.Equal(HttpStatusCode.NotFound, (await PatchAsync($"/api/accounts/{Guid.NewGuid()}", new { name = "X" })).StatusCode);
    }
}
