using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace ValueLedger.Api.Infrastructure;

/// <summary>The "RateLimiting" configuration section: a token bucket per user (or per address when anonymous).</summary>
public sealed class RateLimitSettings
{
    /// <summary>Sustained requests per second per user; generous so a customer's system feed is not throttled.</summary>
    public int PermitsPerSecond { get; set; } = 200;
    /// <summary>Short bursts above the sustained rate.</summary>
    public int Burst { get; set; } = 1000;
    /// <summary>A service account's own limits (machine feeds send in bulk through the import instead of one request per figure).</summary>
    public int FeedPermitsPerSecond { get; set; } = 50;
    public int FeedBurst { get; set; } = 200;
}

public static class Hardening
{
    public static IServiceCollection AddValueLedgerHardening(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = configuration.GetSection("RateLimiting").Get<RateLimitSettings>() ?? new RateLimitSettings();
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                !http.Request.Path.StartsWithSegments("/api")
                    ? RateLimitPartition.GetNoLimiter("static")
                    : http.User.IsInRole(Roles.Feed)
                    ? RateLimitPartition.GetTokenBucketLimiter(PartitionOf(http), _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = limits.FeedBurst, TokensPerPeriod = limits.FeedPermitsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0, AutoReplenishment = true
                    })
                    : RateLimitPartition.GetTokenBucketLimiter(PartitionOf(http), _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = limits.Burst, TokensPerPeriod = limits.PermitsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0, AutoReplenishment = true
                    }));
            o.OnRejected = async (context, cancellation) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString();
                await Results.Problem(statusCode: 429, title: "Too many requests",
                    detail: context.HttpContext.User.IsInRole(Roles.Feed)
                        ? $"A service account is limited to {limits.FeedPermitsPerSecond} requests per second (bursts of {limits.FeedBurst}); send many figures in one import. Retry after the delay in Retry-After."
                        : $"This user is limited to {limits.PermitsPerSecond} requests per second (bursts of {limits.Burst}). Retry after the delay in Retry-After.")
                    .ExecuteAsync(context.HttpContext);
            };
        });

        var origins = configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [];
        services.AddCors(o =>
        {
            // Closed unless configured: without a default policy no cross-origin request is allowed.
            if (origins.Length > 0) o.AddDefaultPolicy(p => p.WithOrigins(origins).AllowAnyHeader().AllowAnyMethod().AllowCredentials());
        });
        return services;
    }

    private static string PartitionOf(HttpContext http) =>
        http.User.Identity is { IsAuthenticated: true } ? $"user:{CurrentUser.IdOf(http.User)}" : $"ip:{http.Connection.RemoteIpAddress}";

    /// <summary>
    /// Security headers on every answer, a strict content security policy on the dashboard, and 413 for a body
    /// that declares more than the limit (Kestrel enforces the same limit while reading bodies without a length).
    /// </summary>
    public static IApplicationBuilder UseValueLedgerHardening(this IApplicationBuilder app, long maxRequestBodyBytes)
    {
        // The dashboard talks to the identity provider itself (discovery, token and refresh requests of the PKCE flow).
        var provider = app.ApplicationServices.GetRequiredService<AuthSettings>().DashboardAuthority is { } issuer
            ? " " + issuer.GetLeftPart(UriPartial.Authority)
            : "";
        var contentSecurityPolicy =
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
            $"connect-src 'self'{provider}; font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
        app.Use(async (http, next) =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            if (!http.Request.Path.StartsWithSegments("/scalar"))
                headers.ContentSecurityPolicy = contentSecurityPolicy;

            if (http.Request.ContentLength > maxRequestBodyBytes)
            {
                await Results.Problem(statusCode: 413, title: "Request body too large",
                    detail: $"Send at most {maxRequestBodyBytes} bytes in one request.").ExecuteAsync(http);
                return;
            }
            await next(http);
        });
        return app;
    }
}
