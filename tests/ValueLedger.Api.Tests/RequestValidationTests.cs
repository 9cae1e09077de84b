using System.Net;
using FluentValidation;
using JasperFx.CodeGeneration.Frames;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ValueLedger.Api.Infrastructure;
using Wolverine.Http;

namespace ValueLedger.Api.Tests;

public sealed class when_a_request_type_has_a_validator(AppFixture app) : IntegrationContext(app)
{
    private IReadOnlyList<HttpChain> Chains() => Host.Services.GetRequiredService<EndpointDataSource>().Endpoints
        .Select(e => e.Metadata.GetMetadata<HttpChain>()).OfType<HttpChain>().ToList();

    [Fact]
    public void every_chain_whose_request_type_has_one_runs_it_first()
    {
        var validated = Chains().Where(c => c.HasRequestType &&
            Host.Services.GetService(typeof(IValidator<>).MakeGenericType(c.RequestType!)) is not null).ToList();

        Assert.True(validated.Count >= 15, $"only {validated.Count} chains have a validator; the lookup is broken");
        Assert.All(validated, chain => Assert.Contains(chain.Middleware,
            f => f is MethodCall { HandlerType: var t } && t == typeof(RequestValidation)));
    }

    [Fact]
    public async Task its_answer_names_the_fields_and_nothing_is_written()
    {
        var response = await PostAsync("/api/accounts", new { name = "", industry = "Food", segment = "smb", currency = "euro", approach = "processCentric", owner = "maria" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await ReadAsync(response))["errors"]!.AsObject();
        Assert.Contains("name", errors.Select(e => e.Key));
        Assert.Contains("currency", errors.Select(e => e.Key));
        Assert.Equal(0, (int)(await GetJsonAsync("/api/accounts"))["totalItems"]!);
    }
}
