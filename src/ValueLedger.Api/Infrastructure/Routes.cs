namespace ValueLedger.Api.Infrastructure;

/// <summary>Where resources live, for Location headers and links.</summary>
public static class Routes
{
    public static string Account(Guid accountId) => $"/api/accounts/{accountId}";
    public static string Commitment(Guid accountId, Guid commitmentId) => $"{Account(accountId)}/commitments/{commitmentId}";
    public static string Measurement(Guid accountId, Guid commitmentId, Guid measurementId) =>
        $"{Commitment(accountId, commitmentId)}/measurements/{measurementId}";
}
