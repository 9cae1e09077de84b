using ValueLedger.Api.Features.EvidenceFiles;
using ValueLedger.Api.Features.Contacts;
using JasperFx;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scalar.AspNetCore;
using ValueLedger.Api.Features.Accounts;
using ValueLedger.Api.Features.Audit;
using ValueLedger.Api.Features.Live;
using ValueLedger.Api.Features.Notifications;
using ValueLedger.Api.Features.Reports;
using ValueLedger.Api.Features.ServiceAccounts;
using ValueLedger.Api.Features.Webhooks;

var builder = WebApplication.CreateBuilder(args);
var settings = builder.Configuration.GetSection(ValueLedgerSettings.Section).Get<ValueLedgerSettings>() ?? new ValueLedgerSettings();

builder.Services.Configure<ValueLedgerSettings>(builder.Configuration.GetSection(ValueLedgerSettings.Section));
// Wolverine's handler and endpoint code is compiled into the assembly (Internal/Generated, written by ops/codegen;
// `when_the_generated_code_is_checked` fails when it is stale). Production loads only those types and never runs
// Roslyn; Development uses them too and generates (and writes) only what is missing.
builder.Services.CritterStackDefaults(x =>
{
    x.Production.GeneratedCodeMode = JasperFx.CodeGeneration.TypeLoadMode.Static;
    x.Production.AssertAllPreGeneratedTypesExist = true;
    x.Production.SourceCodeWritingEnabled = false;
    x.Development.GeneratedCodeMode = JasperFx.CodeGeneration.TypeLoadMode.Auto;
});
builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.AddValueLedgerPersistence(builder.Configuration);
builder.Services.AddValueLedgerAccounts(builder.Configuration);
builder.Services.AddValueLedgerEvidence(builder.Configuration);
builder.Services.AddValueLedgerAudit(builder.Configuration);
builder.Host.UseWolverine(opts =>
{
    Messaging.Configure(opts, settings);
    opts.Policies.ForMessagesOfType<IWriteCommand>().AddMiddleware(typeof(RecordedByMiddleware));
});
builder.Services.AddWolverineHttp();
builder.Services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
builder.Services.AddValueLedgerLive(builder.Configuration);
builder.Services.AddValueLedgerProblems();
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
builder.Services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton);
builder.Services.AddOpenApi();
builder.Services.AddHealthChecks().AddCheck<LedgerHealthCheck>("ledger");
builder.Services.AddValueLedgerTelemetry(builder.Configuration);
builder.Services.AddValueLedgerSecurity(builder.Configuration);
builder.Services.AddValueLedgerHardening(builder.Configuration);
builder.Services.AddValueLedgerCustomerAccess(builder.Configuration);
builder.Services.AddValueLedgerReports(builder.Configuration);
builder.Services.AddValueLedgerWebhooks(builder.Configuration);
builder.Services.AddValueLedgerServiceAccounts();
builder.Services.AddValueLedgerNotifications();
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = settings.MaxRequestBodyBytes);

var app = builder.Build();

app.UseForwardedHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseValueLedgerHardening(settings.MaxRequestBodyBytes);
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseCors();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();
app.UseMiddleware<IdempotencyMiddleware>();

app.MapOpenApi().AllowAnonymous();
app.MapScalarApiReference().AllowAnonymous();
app.MapHealthChecks("/health").AllowAnonymous();
app.MapGet("/alive", () => Results.Ok(new { status = "alive" })).AllowAnonymous().ExcludeFromDescription();
app.MapHub<ValueHub>(ValueHub.Route, o => o.CloseOnAuthenticationExpiration = true);
app.MapWolverineEndpoints(http => http.AddPolicy<RequestValidationPolicy>());

return await app.RunJasperFxCommands(args);

/// <summary>The web host; public so integration tests can start it.</summary>
public partial class Program;
