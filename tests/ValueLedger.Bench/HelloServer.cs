using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ValueLedger.Bench;

/// <summary>
/// The cold start baseline: the smallest ASP.NET Core app (one route, no database), started with the same
/// runtime on the same machine. What it takes is the floor of any .NET web process here.
/// </summary>
public static class HelloServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/alive", () => Results.Ok(new { status = "alive" }));
        await app.RunAsync();
        return 0;
    }
}
