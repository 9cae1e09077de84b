using System.Net;
using Alba;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests;

/// <summary>
/// X-Forwarded-For and X-Forwarded-Proto say who the client is and how it connected; only the configured proxy
/// (Auth:KnownProxies, nginx in docker-compose.yml) may say so. The requests below come from an address the test sets
/// on the connection, as Kestrel would; what the app then believes is read from the request as the pipeline left it
/// (the client address keys the anonymous rate-limit partition) and from the link scheme of an invitation e-mail.
/// </summary>
public sealed class forwarded_headers(AppFixture app) : IntegrationContext(app)
{
    private const string Client = "203.0.113.7";
    private const string UnknownProxy = "198.51.100.20";

    private Task<IScenarioResult> FromAsync(string peer, Action<Scenario> request) =>
        Host.Scenario(s =>
        {
            s.ConfigureHttpContext(http => http.Connection.RemoteIpAddress = IPAddress.Parse(peer));
            s.WithRequestHeader("X-Forwarded-For", Client);
            s.WithRequestHeader("X-Forwarded-Proto", "https");
            request(s);
        });

    private Task<IScenarioResult> InviteFromAsync(string peer, Guid accountId, string email) =>
        FromAsync(peer, s =>
        {
            s.WithBearerToken(App.TokenFor(Roles.Csm, "casey.csm"));
            s.Post.Json(new { email, name = "Jane Buyer", role = "approver" }).ToUrl($"/api/accounts/{accountId}/contacts");
            s.StatusCodeShouldBe(HttpStatusCode.Created);
        });

    [Fact]
    public async Task from_a_proxy_that_is_not_configured_they_are_ignored()
    {
        var result = await FromAsync(UnknownProxy, s => s.Get.Url("/alive"));

        Assert.Equal(UnknownProxy, result.Context.Connection.RemoteIpAddress!.ToString());
        Assert.Equal("http", result.Context.Request.Scheme);
    }

    [Fact]
    public async Task from_the_configured_proxy_they_name_the_client_and_its_scheme()
    {
        var result = await FromAsync(AppFixture.KnownProxy, s => s.Get.Url("/alive"));

        Assert.Equal(Client, result.Context.Connection.RemoteIpAddress!.ToString());
        Assert.Equal("https", result.Context.Request.Scheme);
    }

    [Fact]
    public async Task an_invitation_link_takes_its_scheme_only_from_the_configured_proxy()
    {
        var accountId = await OpenAccountAsync();
        var (throughNginx, aroundIt) = ($"nginx-{Guid.NewGuid():N}@buyer.example", $"around-{Guid.NewGuid():N}@buyer.example");

        await InviteFromAsync(AppFixture.KnownProxy, accountId, throughNginx);
        await InviteFromAsync(UnknownProxy, accountId, aroundIt);

        Assert.Contains("https://localhost/#/contact-sign-in?code=", (await App.Mail.WaitForAsync(throughNginx)).TextBody);
        Assert.Contains("http://localhost/#/contact-sign-in?code=", (await App.Mail.WaitForAsync(aroundIt)).TextBody);
    }
}
