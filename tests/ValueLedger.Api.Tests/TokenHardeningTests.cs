using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests;

/// <summary>
/// JWT hardening (issue 12, item 7): the algorithm is pinned, signatures are required, expiry is enforced with 30 s of
/// clock skew, a hub connection ends when its token does, and the hub admits only known roles. Tokens are checked
/// against the real clock (the test clock moves only the app's own time).
/// </summary>
public sealed class when_tokens_are_checked(AppFixture app) : IntegrationContext(app)
{
    private static Dictionary<string, object> Claims(string role = Roles.Csm) => new()
    {
        ["role"] = role, [CurrentUser.NameClaim] = "casey.csm", [CurrentUser.SubjectClaim] = "casey.csm"
    };

    private static string Token(SigningCredentials? credentials, DateTimeOffset issued, TimeSpan lifetime, string role = Roles.Csm) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = LocalTokens.Issuer, Audience = LocalTokens.Audience, Claims = Claims(role),
            IssuedAt = issued.UtcDateTime, NotBefore = issued.UtcDateTime, Expires = issued.Add(lifetime).UtcDateTime,
            SigningCredentials = credentials
        });

    private Task<HttpResponseMessage> ReadWith(string token) => App.ClientWith(token).GetAsync("/api/accounts");

    [Fact]
    public async Task a_token_signed_otherwise_than_the_pinned_algorithm_or_not_at_all_is_refused()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.OK, (await ReadWith(Token(new SigningCredentials(AppFixture.Key, SecurityAlgorithms.HmacSha256), now, TimeSpan.FromMinutes(5)))).StatusCode);
        // alg "none": no signature at all.
        Assert.Equal(HttpStatusCode.Unauthorized, (await ReadWith(Token(null, now, TimeSpan.FromMinutes(5)))).StatusCode);
        // Signed with another key.
        var other = new SymmetricSecurityKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        Assert.Equal(HttpStatusCode.Unauthorized, (await ReadWith(Token(new SigningCredentials(other, SecurityAlgorithms.HmacSha256), now, TimeSpan.FromMinutes(5)))).StatusCode);
    }

    [Theory]
    [InlineData(SecurityAlgorithms.HmacSha384)]
    [InlineData(SecurityAlgorithms.HmacSha512)]
    public async Task a_token_signed_with_the_right_key_but_another_algorithm_is_refused(string algorithm)
    {
        // The same key that signs the accepted HS256 token above: only the pinned algorithm tells the two apart.
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.Unauthorized, (await ReadWith(Token(new SigningCredentials(AppFixture.Key, algorithm), now, TimeSpan.FromMinutes(5)))).StatusCode);
    }

    [Fact]
    public void each_scheme_accepts_only_its_pinned_algorithms_with_30_seconds_of_clock_skew()
    {
        var options = Host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerOptions>>();
        foreach (var scheme in new[] { Security.StaffScheme, Security.ContactScheme })
        {
            var p = options.Get(scheme).TokenValidationParameters;
            Assert.Equal([SecurityAlgorithms.HmacSha256], p.ValidAlgorithms); // local mode: the app's own key, HS256 only
            Assert.Equal(TimeSpan.FromSeconds(30), p.ClockSkew);
            Assert.True(p.RequireSignedTokens && p.RequireExpirationTime && p.ValidateLifetime && p.ValidateIssuer && p.ValidateAudience);
        }
    }

    [Fact]
    public async Task a_token_expired_beyond_the_30_second_clock_skew_is_refused_and_one_within_it_is_not()
    {
        var credentials = new SigningCredentials(AppFixture.Key, SecurityAlgorithms.HmacSha256);
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.Unauthorized, (await ReadWith(Token(credentials, now.AddMinutes(-10), TimeSpan.FromMinutes(8)))).StatusCode); // 2 min ago
        Assert.Equal(HttpStatusCode.OK, (await ReadWith(Token(credentials, now.AddMinutes(-10), TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(5)))).StatusCode); // 5 s ago
    }

    [Fact]
    public async Task a_hub_connection_is_closed_when_its_token_expires()
    {
        var token = Token(new SigningCredentials(AppFixture.Key, SecurityAlgorithms.HmacSha256), DateTimeOffset.UtcNow, TimeSpan.FromSeconds(3));
        await using var live = await LiveClient.ConnectAsync(Host, token);
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        live.Connection.Closed += error => { closed.TrySetResult(error); return Task.CompletedTask; };
        await live.Connection.InvokeAsync("WatchPortfolio");
        Assert.Same(closed.Task, await Task.WhenAny(closed.Task, Task.Delay(TimeSpan.FromSeconds(60)))); // bounded wait for the close
        Assert.Equal(HubConnectionState.Disconnected, live.Connection.State);
    }

    [Fact]
    public async Task the_hub_refuses_a_token_without_a_known_role()
    {
        var token = Token(new SigningCredentials(AppFixture.Key, SecurityAlgorithms.HmacSha256), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5), role: "intern");
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => LiveClient.ConnectAsync(Host, token));
        Assert.Contains("403", refused.ToString()); // authenticated, but no role the hub admits
    }
}
