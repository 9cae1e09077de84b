using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ValueLedger.Api.Infrastructure;

public static class Telemetry
{
    /// <summary>
    /// Traces and metrics for ASP.NET Core, Wolverine and Marten, exported over OTLP. They are registered only when
    /// OTEL_EXPORTER_OTLP_ENDPOINT is set: an activity listener that nobody exports still makes every request,
    /// message and Marten command create and fill its spans, which a local run or a benchmark should not pay for.
    /// </summary>
    public static IServiceCollection AddValueLedgerTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (!IsExporting(configuration)) return services;
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(configuration["OTEL_SERVICE_NAME"] ?? "valueledger"))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/alive"))
                .AddHttpClientInstrumentation()
                .AddSource("Wolverine", "Marten"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Wolverine", "Marten"))
            .UseOtlpExporter();
        return services;
    }

    public static bool IsExporting(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
}
