using System.Globalization;

namespace ValueLedger.Api.Infrastructure;

/// <summary>
/// Query-string values of list routes (pages and filters), each checked against its bounds; a bad one is reported
/// under its own name in <paramref name="errors"/>, so the route answers one ValidationProblem naming every field.
/// </summary>
public static class QueryParameters
{
    public static int Int(string? text, int fallback, int min, int max, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text)) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        errors[field] = [$"Use a whole number from {min} to {max}."];
        return fallback;
    }

    public static T? Enum<T>(string? text, string field, Dictionary<string, string[]> errors) where T : struct, System.Enum
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (System.Enum.TryParse<T>(text, ignoreCase: true, out var value) && System.Enum.IsDefined(value) && !int.TryParse(text, out _)) return value;
        errors[field] = [$"Use one of: {string.Join(", ", System.Enum.GetNames<T>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]))}."];
        return null;
    }

    public static DateOnly? Date(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        errors[field] = ["Use a date as yyyy-MM-dd."];
        return null;
    }
}
