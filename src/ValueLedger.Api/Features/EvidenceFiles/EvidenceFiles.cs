using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace ValueLedger.Api.Features.EvidenceFiles;

/// <summary>The "Evidence" settings: where uploaded evidence files are kept and what is accepted.</summary>
public sealed class EvidenceSettings
{
    public const string Section = "Evidence";

    /// <summary>The folder of the files; default <c>{ValueLedger:DataDirectory}/evidence</c>.</summary>
    public string? Directory { get; set; }

    /// <summary>The largest file accepted (at most the request body limit, ValueLedger:MaxRequestBodyBytes).</summary>
    public long MaxBytes { get; set; } = 5 * 1024 * 1024;
}

/// <summary>An uploaded file of an account, named by its content's SHA-256; who uploaded it, as what and when.</summary>
public sealed class EvidenceFile
{
    /// <summary><c>{accountId}/{sha256}</c>: the same bytes uploaded to two accounts are two files of their own.</summary>
    public string Id { get; set; } = "";
    public Guid AccountId { get; set; }
    public string Sha256 { get; set; } = "";
    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long Size { get; set; }
    public string UploadedBy { get; set; } = "";
    public DateTimeOffset UploadedAt { get; set; }

    public static string IdOf(Guid accountId, string sha256) => $"{accountId}/{sha256}";

    /// <summary>The reference a measurement's or correction's <c>evidenceUrl</c> carries: the file's hash, so the event names the exact bytes.</summary>
    public string Reference => $"{EvidenceReference.Prefix}{Sha256}";
}

public sealed record EvidenceUploaded(string Sha256, string Reference, string FileName, string ContentType, long Size, string Url);

public static partial class EvidenceReference
{
    public const string Prefix = "sha256:";

    /// <summary>The hash of an uploaded file's reference (<c>sha256:</c> and 64 lower-case hex digits), or null.</summary>
    public static string? HashOf(string? reference) =>
        reference is { Length: 71 } && reference.StartsWith(Prefix, StringComparison.Ordinal) && IsHash(reference[Prefix.Length..]) ? reference[Prefix.Length..] : null;

    public static bool IsHash(string text) => Sha256Hex().IsMatch(text);

    [System.Text.RegularExpressions.GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial System.Text.RegularExpressions.Regex Sha256Hex();
}

/// <summary>
/// The kinds of file accepted as evidence, each recognised by its first bytes (never by the name or the declared type
/// alone): PDF, PNG, JPEG, Office Open XML (xlsx, docx: a zip), and plain text or CSV (valid UTF-8 without control
/// characters). What is served back is the kind found, with <c>nosniff</c>.
/// </summary>
public static class EvidenceKinds
{
    private static readonly (string Extension, string ContentType, byte[] Magic)[] Binary =
    [
        (".pdf", "application/pdf", "%PDF-"u8.ToArray()),
        (".png", "image/png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        (".jpg", "image/jpeg", [0xFF, 0xD8, 0xFF]),
        (".jpeg", "image/jpeg", [0xFF, 0xD8, 0xFF]),
        (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", [0x50, 0x4B, 0x03, 0x04]),
        (".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", [0x50, 0x4B, 0x03, 0x04])
    ];

    public const string Accepted = "PDF, PNG, JPEG, .xlsx, .docx, .csv or .txt";

    /// <summary>The content type of a file by its extension and first bytes, or null when they do not agree or the kind is not accepted.</summary>
    public static string? Recognise(string fileName, ReadOnlySpan<byte> head)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        foreach (var kind in Binary)
            if (kind.Extension == extension) return head.StartsWith(kind.Magic) ? kind.ContentType : null;
        if (extension is ".csv" or ".txt" && IsText(head)) return extension == ".csv" ? "text/csv; charset=utf-8" : "text/plain; charset=utf-8";
        return null;
    }

    private static bool IsText(ReadOnlySpan<byte> head)
    {
        // The head may end inside a multi-byte character: only what precedes its last four bytes must decode.
        var whole = head.Length < 4096 ? head : head[..^4];
        if (!System.Text.Unicode.Utf8.IsValid(whole)) return false;
        foreach (var b in whole)
            if (b < 0x20 && b is not (byte)'\t' and not (byte)'\n' and not (byte)'\r') return false;
        return true;
    }
}

/// <summary>The files, content-addressed in a folder (a file's path is its hash), written once and never changed.</summary>
public sealed class EvidenceStore(IOptions<EvidenceSettings> options, IConfiguration configuration)
{
    public string Directory { get; } = options.Value.Directory is { Length: > 0 } configured
        ? configured : Path.Combine(ValueLedgerSettings.DataDirectory(configuration), "evidence");

    public string PathOf(string sha256) => Path.Combine(Directory, sha256[..2], sha256);

    /// <summary>Copies the upload to a temporary file while hashing it, then moves it to its hash's path (kept if already there).</summary>
    public async Task<(string Sha256, long Size)> SaveAsync(Stream content, CancellationToken cancellation)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var temporary = Path.Combine(Directory, $".upload-{Guid.NewGuid():N}");
        try
        {
            string sha256;
            long size;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellation)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellation);
                }
                await file.FlushAsync(cancellation);
                size = file.Length;
                sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            }
            var path = PathOf(sha256);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (!File.Exists(path)) File.Move(temporary, path);
            return (sha256, size);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}

public static class EvidenceEndpoints
{
    public static string Url(Guid accountId, string sha256) => $"/api/accounts/{accountId}/evidence/{sha256}";

    /// <summary>
    /// Uploads one evidence file (<c>multipart/form-data</c>, field <c>file</c>) of an account. The answer's
    /// <c>reference</c> (<c>sha256:…</c>) goes into a measurement's or correction's <c>evidenceUrl</c>, so the event
    /// names the exact bytes; the same file uploaded again answers the same reference.
    /// </summary>
    [Authorize(Policy = Policies.WriteValues)]
    [WolverinePost("/api/accounts/{accountId}/evidence", Name = "UploadEvidence")]
    public static async Task<IResult> Post(Guid accountId, HttpContext http, IDocumentSession session, EvidenceStore store,
        IOptions<EvidenceSettings> options, TimeProvider clock)
    {
        var cancellation = http.RequestAborted;
        if (!http.Request.HasFormContentType)
            return FileProblem(415, "Send the file as multipart/form-data", "Upload the file as multipart/form-data, in a form field named 'file'.");
        if (await session.LoadAsync<Account>(accountId, cancellation) is null) return Problems.NotFound("Account", accountId);
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(cancellation);
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !cancellation.IsCancellationRequested)
        {
            // A body that claims to be multipart and is not (a broken boundary, a cut-off part) is the sender's mistake.
            return FileProblem(400, "The form could not be read", $"Send one multipart/form-data part named 'file': {e.Message}");
        }
        if (form.Files.GetFile("file") is not { } upload || upload.Length == 0)
            return FileProblem(400, "No file", "Upload the file in a form field named 'file'; it must not be empty.");
        var maxBytes = options.Value.MaxBytes;
        if (upload.Length > maxBytes)
            return FileProblem(413, "The file is too large", $"Evidence files may be at most {maxBytes / 1024 / 1024.0:0.#} MB; this one is {upload.Length / 1024 / 1024.0:0.#} MB.");
        var fileName = Path.GetFileName(upload.FileName).Trim();
        if (fileName.Length is 0 or > 200)
            return FileProblem(400, "The file needs a name", "Give the file a name of at most 200 characters.");

        await using var content = upload.OpenReadStream();
        var head = new byte[4096];
        var headLength = await content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellation);
        if (EvidenceKinds.Recognise(fileName, head.AsSpan(0, headLength)) is not { } contentType)
            return FileProblem(415, "This kind of file is not accepted",
                $"Evidence may be {EvidenceKinds.Accepted}, and its content must match its name's extension ('{fileName}' does not).");
        content.Position = 0;

        var (sha256, size) = await store.SaveAsync(content, cancellation);
        var id = EvidenceFile.IdOf(accountId, sha256);
        var file = await session.LoadAsync<EvidenceFile>(id, cancellation);
        if (file is null)
        {
            file = new EvidenceFile
            {
                Id = id, AccountId = accountId, Sha256 = sha256, FileName = fileName, ContentType = contentType, Size = size,
                UploadedBy = CurrentUser.IdOf(http.User), UploadedAt = clock.GetUtcNow()
            };
            session.Insert(file);
            await session.SaveChangesAsync(cancellation);
        }
        var url = Url(accountId, sha256);
        return Results.Created(url, new EvidenceUploaded(sha256, file.Reference, file.FileName, file.ContentType, file.Size, url));
    }

    /// <summary>Downloads an evidence file, authorised like the account (staff, and the account's own customer contacts).</summary>
    [Authorize(Policy = Policies.ReadAccount)]
    [WolverineGet("/api/accounts/{accountId}/evidence/{sha256}", Name = "DownloadEvidence")]
    public static async Task<IResult> Get(Guid accountId, string sha256, HttpContext http, IQuerySession session, EvidenceStore store)
    {
        if (!EvidenceReference.IsHash(sha256))
            return Results.Problem(statusCode: 400, title: "Not a file's hash", detail: "Name the file by its SHA-256: 64 lower-case hex digits.",
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["sha256"] = ["Use the 64 lower-case hex digits of the file's SHA-256."] } });
        if (await session.LoadAsync<EvidenceFile>(EvidenceFile.IdOf(accountId, sha256), http.RequestAborted) is not { } file || !File.Exists(store.PathOf(sha256)))
            return Results.Problem(statusCode: 404, title: "Evidence file not found", detail: $"The account has no evidence file {sha256}.");
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "private, max-age=31536000, immutable"; // the bytes of a hash never change
        return Results.File(store.PathOf(sha256), file.ContentType, file.FileName, enableRangeProcessing: true,
            entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{sha256}\""));
    }

    private static IResult FileProblem(int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail,
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["file"] = [detail] } });
}

public static class EvidenceConfiguration
{
    public static IServiceCollection AddValueLedgerEvidence(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<EvidenceSettings>(configuration.GetSection(EvidenceSettings.Section));
        services.AddSingleton<EvidenceStore>();
        services.ConfigureMarten(opts => opts.Schema.For<EvidenceFile>().Index(f => f.AccountId));
        return services;
    }
}
