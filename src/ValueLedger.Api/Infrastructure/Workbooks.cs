using System.Globalization;
using MiniExcelLibs;

namespace ValueLedger.Api.Infrastructure;

/// <summary>
/// The first sheet of an .xlsx workbook (MiniExcel) as rows of named columns: the first row is the header, every other
/// row is named by its number in the sheet ("row 7"), rows left empty are skipped. A date cell reads as yyyy-MM-dd and a
/// number in invariant culture, as the CSV form of the same import would spell them.
/// </summary>
public static class Workbooks
{
    public const string XlsxMediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>Reads the columns named in <paramref name="columns"/>; a missing one of <paramref name="required"/> is a header error.</summary>
    public static async Task<IReadOnlyList<(string Label, IReadOnlyDictionary<string, string?> Fields)>> ReadAsync(
        Stream body, IReadOnlyList<string> columns, IReadOnlyList<string> required, CancellationToken cancellation)
    {
        // A workbook is a zip, read from its end: it is buffered (the request is bounded by MaxRequestBodyBytes).
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, cancellation);
        buffer.Position = 0;
        List<IDictionary<string, object?>> sheet;
        try
        {
            sheet = buffer.Query(useHeaderRow: false, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ImportFormatException(new() { ["xlsx"] = [$"Not a readable .xlsx workbook: {e.Message}"] });
        }
        // Cells are keyed by column letter; the header row says which column is which.
        var header = sheet.FirstOrDefault() ?? new Dictionary<string, object?>();
        var letterOf = header.Where(h => Cell(h.Value) is { } name && columns.Contains(name.Trim()))
            .GroupBy(h => Cell(h.Value)!.Trim()).ToDictionary(g => g.Key, g => g.First().Key);
        var missing = required.Except(letterOf.Keys).ToList();
        if (missing.Count > 0)
            throw new ImportFormatException(new() { ["header"] = [$"Missing column(s): {string.Join(", ", missing)}. The header row names {string.Join(",", columns)}."] });
        return sheet.Skip(1)
            .Select((cells, i) => ($"row {i + 2}", (IReadOnlyDictionary<string, string?>)columns.ToDictionary(c => c,
                c => letterOf.TryGetValue(c, out var letter) && cells.TryGetValue(letter, out var value) ? Cell(value) : null)))
            .Where(row => row.Item2.Values.Any(v => !string.IsNullOrWhiteSpace(v)))
            .ToList();
    }

    /// <summary>A workbook of one sheet: the header row, then the rows (MiniExcel's writer).</summary>
    public static byte[] Write(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<object?>> rows)
    {
        var sheet = rows.Select(row => (IDictionary<string, object?>)columns.Select((c, i) => (c, row[i])).ToDictionary(p => p.c, p => p.Item2)).ToList();
        if (sheet.Count == 0) sheet.Add(columns.ToDictionary(c => c, _ => (object?)null));
        using var stream = new MemoryStream();
        stream.SaveAs(sheet, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    private static string? Cell(object? value) => value switch
    {
        null => null,
        string text => text,
        DateTime date => date.TimeOfDay == TimeSpan.Zero ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : date.ToString("O", CultureInfo.InvariantCulture),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()
    };
}

/// <summary>An import that cannot be read at all (not its rows: its format), with what to change, by field.</summary>
public sealed class ImportFormatException(Dictionary<string, string[]> errors) : Exception("The import could not be read")
{
    public Dictionary<string, string[]> Errors { get; } = errors;
}
