using FluentValidation;
using JasperFx;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using ValueLedger.Domain;
using Wolverine.Http;

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

    public static IResult NotFound(string what, Guid id) =>
        Results.Problem(statusCode: 404, title: $"{what} not found", detail: $"No {what.ToLowerInvariant()} with id {id}.");
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
