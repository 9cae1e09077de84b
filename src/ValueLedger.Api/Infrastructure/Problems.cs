using JasperFx;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace ValueLedger.Api.Infrastructure;

/// <summary>Every error is an RFC 7807 answer that says what to change; nothing a caller sends yields a 500.</summary>
public static class Problems
{
    public static int StatusOf(RejectionKind kind) => kind switch
    {
        RejectionKind.NotFound => StatusCodes.Status404NotFound,
        RejectionKind.Conflict => StatusCodes.Status409Conflict,
        RejectionKind.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
        _ => StatusCodes.Status422UnprocessableEntity
    };

    public static IResult ToResult(this Rejection rejection) =>
        Results.Problem(statusCode: StatusOf(rejection.Kind), title: rejection.Title, detail: rejection.Detail,
            extensions: rejection.Extensions?.ToDictionary(p => p.Key, p => p.Value));

    /// <summary>
    /// ProblemDetails for every route, with one addition: a body that is valid JSON but holds a value of the wrong type
    /// (<c>{"target": "abc"}</c>) is answered by the framework before any validator runs, naming the field only inside
    /// the message. The field is lifted into <c>errors</c>, so a type error reads like every other field error.
    /// </summary>
    public static IServiceCollection AddValueLedgerProblems(this IServiceCollection services) =>
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context => JsonFieldErrors.Lift(context.ProblemDetails));

    public static IResult NotFound(string what, Guid id) =>
        Results.Problem(statusCode: 404, title: $"{what} not found", detail: $"No {what.ToLowerInvariant()} with id {id}.");
}

/// <summary>
/// System.Text.Json reports where reading failed as a JSON path at the end of its message
/// (<c>The JSON value could not be converted to System.Decimal. Path: $.baseline.value | LineNumber: 0 | …</c>), and
/// Wolverine's body reader passes on only that message. A value of the wrong type becomes a field error keyed by the path
/// in the API's own spelling (<c>baseline.value</c>, <c>rows[0].value</c>), saying what the field takes; a body that is
/// not JSON at all is reported under <c>body</c>, with where it broke.
/// </summary>
public static partial class JsonFieldErrors
{
    public const string BodyField = "body";

    public static void Lift(ProblemDetails problem)
    {
        if (problem.Status != StatusCodes.Status400BadRequest || problem.Extensions.ContainsKey("errors") ||
            problem.Detail is not { } detail || JsonPath().Match(detail) is not { Success: true } path)
            return;

        var field = FieldOf(path.Groups["path"].Value);
        if (WrongType().Match(detail) is { Success: true } wrongType && field != BodyField)
        {
            problem.Title = "The request has invalid fields";
            problem.Detail = $"'{field}' must be {Expected(TypeAt(wrongType.Groups["type"].Value.TrimEnd('.'), field))}.";
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [problem.Detail] };
        }
        else
        {
            problem.Title = "The request body is not valid JSON";
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [BodyField] = [detail] };
        }
    }

    /// <summary><c>$.baseline.value</c> → <c>baseline.value</c>; <c>$['odd name']</c> → <c>odd name</c>; <c>$</c> → <c>body</c>.</summary>
    public static string FieldOf(string path)
    {
        var field = BracketName().Replace(path, m => "." + m.Groups["name"].Value).TrimStart('$').TrimStart('.');
        return field.Length == 0 ? BodyField : field;
    }

    /// <summary>
    /// The type the field should hold. The message names either that type or, for constructor-bound records, the request
    /// type that holds it; then the path is followed through the request's properties (list elements for <c>[n]</c>).
    /// </summary>
    private static Type? TypeAt(string named, string field)
    {
        var type = Type.GetType(named) ?? typeof(Program).Assembly.GetType(named) ?? typeof(ValueLedger.Domain.Account).Assembly.GetType(named);
        if (type is null || IsLeaf(type)) return type;
        foreach (var segment in field.Split('.'))
        {
            var name = IndexSuffix().Replace(segment, "");
            type = type?.GetProperty(name, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase)?.PropertyType;
            for (var i = IndexSuffix().Match(segment).Groups["indexes"].Value.Count(c => c == '['); i > 0 && type is not null; i--)
                type = ElementOf(type);
        }
        return type;
    }

    private static bool IsLeaf(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type) is var t && (t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) ||
                                                                  t == typeof(DateOnly) || t == typeof(DateTimeOffset) || t == typeof(DateTime) || t == typeof(Guid));

    private static Type? ElementOf(Type type) =>
        type.IsArray ? type.GetElementType() : type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private static string Expected(Type? type) => (type is null ? null : Nullable.GetUnderlyingType(type) ?? type) switch
    {
        null => "a value of the documented type",
        var t when t == typeof(decimal) || t == typeof(double) || t == typeof(float) || t == typeof(int) || t == typeof(long) => "a number",
        var t when t == typeof(bool) => "true or false",
        var t when t == typeof(DateOnly) => "a calendar date such as 2026-01-31",
        var t when t == typeof(DateTimeOffset) || t == typeof(DateTime) => "a point in time with its offset, such as 2026-01-31T23:59:59Z",
        var t when t == typeof(Guid) => "an id (a GUID)",
        var t when t == typeof(string) => "a text",
        { IsEnum: true } t => $"one of: {string.Join(", ", Enum.GetNames(t).Select(System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName))}",
        var t when ElementOf(t) is not null => "a list",
        _ => "an object of the documented shape"
    };

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<indexes>(\[\d+\])+)$")]
    private static partial System.Text.RegularExpressions.Regex IndexSuffix();

    [System.Text.RegularExpressions.GeneratedRegex(@"Path: (?<path>\$[^|]*?) \| LineNumber")]
    private static partial System.Text.RegularExpressions.Regex JsonPath();

    /// <summary>The target type, unwrapped from <c>System.Nullable`1[[System.Decimal, System.Private.CoreLib, …]]</c>.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^The JSON value could not be converted to (?:System\.Nullable`1\[\[)?(?<type>[\w.+`]+)")]
    private static partial System.Text.RegularExpressions.Regex WrongType();

    [System.Text.RegularExpressions.GeneratedRegex(@"\['(?<name>[^']*)'\]")]
    private static partial System.Text.RegularExpressions.Regex BracketName();
}

/// <summary>
/// Maps exceptions that are not the caller's fault, or that reach us from the framework, onto ProblemDetails:
/// unreadable bodies are 400, oversized ones 413, lost optimistic races 409, an unreachable database 503.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellation)
    {
        var (status, title, detail) = Classify(exception);
        if (status >= 500) logger.LogError(exception, "Request failed: {Title}", title);
        else logger.LogInformation("Request refused with {Status}: {Title}", status, title);

        http.Response.StatusCode = status;
        if (status == 503) http.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail }
        });
    }

    /// <summary>
    /// Database errors arrive wrapped (Marten wraps every failed command in a MartenCommandException), so the chain
    /// of inner exceptions is searched: a value PostgreSQL cannot store (SQL state class 22, e.g. the NUL character
    /// in text) is the caller's 400; a lost or refused connection (no server answer, class 08, 53, 57P) is 503.
    /// </summary>
    public static (int Status, string Title, string? Detail) Classify(Exception exception) => exception switch
    {
        BadHttpRequestException { StatusCode: 413 } => (413, "Request body too large", exception.Message),
        BadHttpRequestException bad => (bad.StatusCode, "The request could not be read", bad.Message),
        System.Text.Json.JsonException json => (400, "The request body is not valid JSON for this route", json.Message),
        ConcurrencyException => (409, "The account changed while this request was being decided",
            "Another change to this account won the race and retrying did not succeed; read the account and try again."),
        _ when Find<PostgresException>(exception) is { SqlState: var state } && state.StartsWith("22", StringComparison.Ordinal) =>
            (400, "The request contains a value the ledger cannot store",
                "A text or number in the request cannot be stored (for example the NUL character \\u0000 in a text). Nothing was recorded."),
        _ when Find<PostgresException>(exception) is { SqlState: var state } && !IsUnavailable(state) => (500, "Unexpected error", null),
        _ when Find<NpgsqlException>(exception) is not null || Find<TimeoutException>(exception) is not null =>
            (503, "The ledger database is unavailable", "The request was not recorded. Try again shortly."),
        _ => (500, "Unexpected error", null)
    };

    private static bool IsUnavailable(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState.StartsWith("53", StringComparison.Ordinal) ||
        sqlState.StartsWith("57P", StringComparison.Ordinal);

    private static T? Find<T>(Exception? exception) where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is T found) return found;
        return null;
    }
}
