using JasperFx.Events.Projections;
using ValueLedger.Api.Features.Demo;
using ValueLedger.Api.Features.Live;
using ValueLedger.Api.Features.Portfolio;

namespace ValueLedger.Api.Features;

/// <summary>The "ValueLedger" settings of the dashboards: live push pacing and the demo.</summary>
public sealed class DashboardSettings
{
    /// <summary>Longest a change waits before it is pushed; also the shortest gap between two portfolio pushes.</summary>
    public TimeSpan LivePushInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Load the demo portfolio into an empty ledger at start (ops/run sets it).</summary>
    public bool DemoData { get; set; }

    /// <summary>Keep recording simulated measurements so the dashboards move (ops/run --simulate).</summary>
    public bool Simulate { get; set; }

    /// <summary>How often the simulation records something.</summary>
    public TimeSpan SimulateEvery { get; set; } = TimeSpan.FromSeconds(3);
}

public static class Dashboards
{
    /// <summary>The read side for dashboards: live pushes and the demo (the portfolio sums the inline account summaries).</summary>
    public static IServiceCollection AddValueLedgerDashboards(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection("ValueLedger").Get<DashboardSettings>() ?? new DashboardSettings();
        services.Configure<DashboardSettings>(configuration.GetSection("ValueLedger"));

        // Two nodes comparing one account's step at once: the second save fails and its retry finds the comparison made.
        services.ConfigureMarten(opts => opts.Schema.For<AtRiskWatch>().UseOptimisticConcurrency(true));
        services.ConfigureWolverine(opts => LivePush.Configure(opts, settings.LivePushInterval));
        services.AddSingleton<LivePushLedger>();
        services.AddSingleton<LivePortfolio>();
        services.AddHostedService<DemoService>();
        return services;
    }
}
