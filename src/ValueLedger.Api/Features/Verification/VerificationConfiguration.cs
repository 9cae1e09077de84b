namespace ValueLedger.Api.Features.Verification;

public static class VerificationConfiguration
{
    public static IServiceCollection AddValueLedgerVerification(this IServiceCollection services) => services.AddSingleton<ReceiptBuilder>();
}
