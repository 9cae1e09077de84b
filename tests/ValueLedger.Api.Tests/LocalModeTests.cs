using System.Net;
using Alba;
using Microsoft.AspNetCore.Hosting;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests;

/// <summary>Closed by default: local sign-in runs only in Development, on loopback, for loopback host names.</summary>
public sealed class when_local_mode_would_be_reachable_from_outside
{
    private static Task<IAlbaHost> StartAsync(string environment, string? urls = null) =>
        AlbaHost.For<Program>(builder =>
        {
            builder.UseEnvironment(environment);
            builder.UseSetting("ConnectionStrings:Marten", Environment.GetEnvironmentVariable("ConnectionStrings__Marten") ?? "Host=127.0.0.1");
            builder.UseSetting("ValueLedger:Schema", "vl_local_mode");
            builder.UseSetting("Auth:SigningKey", AppFixture.SigningKey);
            builder.UseSetting("ValueLedger:Checkpoints:Interval", "00:00:00");
            if (urls is not null) builder.UseSetting("urls", urls);
        });

    [Fact]
    public async Task it_refuses_to_start_outside_development_and_says_why()
    {
        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync("Production"));
        Assert.Contains("Auth:Authority is not set and the environment is Production", refusal.Message);
        Assert.Contains("Auth__Authority", refusal.Message);
    }

    [Fact]
    public async Task it_refuses_to_start_bound_to_every_address()
    {
        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync("Development", "http://0.0.0.0:5999"));
        Assert.Contains("binds http://0.0.0.0:5999", refusal.Message);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://*:5080", false)]
    [InlineData("http://+:5080", false)]
    [InlineData("http://[::]:5080", false)]
    [InlineData("http://10.1.2.3:5080", false)]
    [InlineData("http://valueledger.example:5080", false)]
    public void only_loopback_addresses_count_as_loopback(string address, bool loopback) =>
        Assert.Equal(loopback, LocalMode.IsLoopback(address));

    [Fact]
    public void development_on_loopback_is_the_one_place_it_runs() =>
        Assert.Null(LocalMode.Refusal("Development", ["http://127.0.0.1:5080", "http://localhost:5081"], "test"));
}

public sealed class when_a_request_names_a_foreign_host(AppFixture app) : IntegrationContext(app)
{
    [Fact]
    public async Task local_mode_answers_400_so_a_rebinding_page_cannot_borrow_it()
    {
        var foreign = new HttpRequestMessage(HttpMethod.Post, "/api/local/sign-in") { Headers = { Host = "attacker.example" } };
        Assert.Equal(HttpStatusCode.BadRequest, (await App.ClientFor(null).SendAsync(foreign)).StatusCode);
        var local = new HttpRequestMessage(HttpMethod.Get, "/alive") { Headers = { Host = "127.0.0.1:5080" } };
        Assert.Equal(HttpStatusCode.OK, (await App.ClientFor(null).SendAsync(local)).StatusCode);
    }
}
