namespace ValueLedger.Api.Features.Live;

public static class LiveConfiguration
{
    /// <summary>
    /// SignalR with the API's JSON dialect. With Redis configured (Redis:ConnectionString) pushes travel over the
    /// Redis backplane, so a client connected to any node receives changes made through any other; one node needs
    /// no Redis. While Redis is unreachable a node still pushes to its own clients; clients of other nodes catch up
    /// when they reconnect, because every Watch call answers with the current state. The ledger never depends on it.
    /// </summary>
    public static IServiceCollection AddValueLedgerLive(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(ValueLedgerSettings.Section).Get<LivePushSettings>() ?? new LivePushSettings();
        services.Configure<LivePushSettings>(configuration.GetSection(ValueLedgerSettings.Section));
        services.ConfigureWolverine(opts => LivePush.Configure(opts, settings.LivePushInterval));
        services.AddSingleton<LivePushLedger>();
        services.AddSingleton<LivePortfolio>();
        services.AddSingleton<PortfolioPushes>();
        services.AddHostedService(sp => sp.GetRequiredService<PortfolioPushes>());
        // Two nodes comparing one account's step at once: the second save fails and its retry finds the comparison made.
        services.ConfigureMarten(opts => opts.Schema.For<AtRiskWatch>().UseOptimisticConcurrency(true));

        var signalR = services.AddSignalR().AddJsonProtocol(o => Json.Configure(o.PayloadSerializerOptions));
        if (configuration["Redis:ConnectionString"] is { Length: > 0 } redis)
            signalR.AddStackExchangeRedis(redis, o =>
            {
                o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("valueledger");
                o.Configuration.AbortOnConnectFail = false;
            });
        return services;
    }
}
