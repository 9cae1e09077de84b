using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using Wolverine.Http.CodeGen;

namespace ValueLedger.Api.Infrastructure;

/// <summary>
/// Runs the FluentValidation validator of an endpoint's request type before the endpoint, for every Wolverine HTTP
/// chain whose request type has one: 400 with the fields named, or carry on. (WolverineFx.Http.FluentValidation does
/// the same and is not served here.) An endpoint only declares its validator; it does not call it.
/// </summary>
public sealed class RequestValidationPolicy : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(c => c.HasRequestType))
        {
            if (!container.RegistrationsFor(typeof(IValidator<>).MakeGenericType(chain.RequestType!)).Any()) continue;
            chain.Metadata.ProducesValidationProblem(400);
            var validate = new MethodCall(typeof(RequestValidation),
                typeof(RequestValidation).GetMethod(nameof(RequestValidation.Validate))!.MakeGenericMethod(chain.RequestType!));
            chain.Middleware.InsertRange(0, [validate, new MaybeEndWithResultFrame(validate.ReturnVariable!)]);
        }
    }
}

public static class RequestValidation
{
    public static IResult Validate<T>(IValidator<T> validator, T? request)
    {
        if (request is null)
            return Results.Problem(statusCode: 400, title: "A request body is required", detail: "Send a JSON body.");
        var result = validator.Validate(request);
        return result.IsValid
            ? WolverineContinue.Result()
            : Results.ValidationProblem(result.ToDictionary(), title: "The request has invalid fields");
    }
}
