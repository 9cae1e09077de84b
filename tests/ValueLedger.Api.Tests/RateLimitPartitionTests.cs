using System.Net;
using System.Net.Http.Headers;
using Alba;
using Microsoft.AspNetCore.Hosting;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests;

/// <summary>
/// Rate limits are kept per identity (issuer + subject, issue 12 item 5), not per display name: two people called the
/// same share nothing. A host of its own with a small burst and a slow refill, so one user can spend its limit in a
/// few requests; the shared host's limits are too large to exhaust.
/// </summary>
public sealed class when_two_users_share_a_display_name : IAsyncLifetime
{
    private const int Burst = 20;
    private IAlbaHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await AlbaHost.For<Program>(builder =>
        {
            builder.UseSetting("ConnectionStrings:Marten", Environment.GetEnvironmentVariable("ConnectionStrings__Marten")
                ?? throw new InvalidOperationException("Set ConnectionStrings__Marten (ops/test does) to run the integration tests."));
            builder.UseSetting("ValueLedger:Schema", "vl_rate_limits");
            builder.UseSetting("Auth:SigningKey", AppFixture.SigningKey);
            builder.UseSetting("ValueLedger:Checkpoints:Interval", "00:00:00");
            builder.UseSetting("RateLimiting:Burst", Burst.ToString());
            builder.UseSetting("RateLimiting:PermitsPerSecond", "1");
        });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private HttpClient Csm(string subject)
    {
        var client = _host.Server.CreateClient();
        var token = LocalTokens.Create(AppFixture.Key, LocalTokens.Issuer, new Dictionary<string, object>
        {
            ["role"] = Roles.Csm, [CurrentUser.NameClaim] = "Sam Lee", [CurrentUser.SubjectClaim] = subject
        }, DateTimeOffset.UtcNow, TimeSpan.FromHours(1));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task one_spending_its_limit_does_not_limit_the_other()
    {
        using var first = Csm("sam.lee.1");
        using var second = Csm("sam.lee.2");

        // The first Sam Lee asks until refused (bounded: the bucket refills one request a second, far slower than this loop).
        var answers = new List<HttpStatusCode>();
        while (answers.Count < 50 * Burst && answers.LastOrDefault() != HttpStatusCode.TooManyRequests)
            answers.Add((await first.GetAsync("/api/accounts")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, answers.Last());
        Assert.All(answers.SkipLast(1), a => Assert.Equal(HttpStatusCode.OK, a));

        // The second has a whole burst of its own. Sharing the first's bucket, it would be refused within a request or two.
        for (var i = 0; i < Burst; i++)
            Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/accounts")).StatusCode);
    }
}
