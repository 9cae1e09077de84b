namespace ValueLedger.Api.Tests.Audit;

/// <summary>Waits for a condition with a bounded timeout, polling (never a fixed sleep).</summary>
public static class Eventually
{
    public static async Task Async(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0}s waiting for {what}.");
            await poll.WaitForNextTickAsync();
        }
    }
}
