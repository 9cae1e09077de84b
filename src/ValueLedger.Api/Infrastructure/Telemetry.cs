using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ValueLedger.Api.Infrastructure;

public static class Telemetry
{
    /// <summary>
    /// Traces and metrics for ASP.NET Core, Wolverine and Marten. They are exported over OTLP only when
    /// OTEL_EXPORTER_OTLP_ENDPOINT is set, so a local run pays nothing for them.
    /// </summary>
    public static IServiceCollection AddValueLedgerTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(configuration["OTEL_SERVICE_NAME"] ?? "valueledger"))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/alive"))
                .AddHttpClientInstrumentation()
                .AddSource("Wolverine", "Marten"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Wolverine", "Marten"));

        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            otel.UseOtlpExporter();
        return services;
    }
}
