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
