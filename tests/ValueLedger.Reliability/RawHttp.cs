using System.Net.Sockets;
using System.Text;

namespace ValueLedger.Reliability;

/// <summary>
/// HTTP/1.1 over a plain socket, for oversized uploads: the body is written while the answer is read, so a server
/// that answers 413 early and stops reading is heard (HttpClient gives up with a broken pipe instead).
/// </summary>
public static class RawHttp
{
    public sealed record Answer(int Status, string ContentType, string Body);

    public static async Task<Answer> SendAsync(Uri baseUrl, string method, string path, string token, string contentType, byte[] body, bool chunked,
        CancellationToken cancellation)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(baseUrl.Host, baseUrl.Port, cancellation);
        var stream = client.GetStream();
        var head = new StringBuilder()
            .Append($"{method} {path} HTTP/1.1\r\nHost: {baseUrl.Authority}\r\nAuthorization: Bearer {token}\r\nContent-Type: {contentType}\r\n")
            .Append(chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {body.Length}\r\n")
            .Append("Connection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellation);

        var sending = Task.Run(async () =>
        {
            try
            {
                const int chunk = 64 * 1024;
                for (var offset = 0; offset < body.Length; offset += chunk)
                {
                    var size = Math.Min(chunk, body.Length - offset);
                    if (chunked) await stream.WriteAsync(Encoding.ASCII.GetBytes($"{size:X}\r\n"), cancellation);
                    await stream.WriteAsync(body.AsMemory(offset, size), cancellation);
                    if (chunked) await stream.WriteAsync("\r\n"u8.ToArray(), cancellation);
                }
                if (chunked) await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), cancellation);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The server answered and closed the connection before taking the whole body.
            }
        }, cancellation);

        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellation)) > 0)
            {
                received.Write(buffer, 0, read);
                if (Complete(received.ToArray())) break;
            }
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // Reset after the answer: what was read counts.
        }
        client.Close();
        await sending;
        return Parse(Encoding.UTF8.GetString(received.ToArray()));
    }

    private static bool Complete(byte[] data)
    {
        var text = Encoding.UTF8.GetString(data);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0) return false;
        var length = text[..end].Split("\r\n").Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(p => int.Parse(p[1].Trim())).FirstOrDefault(-1);
        return length >= 0 && Encoding.UTF8.GetByteCount(text[(end + 4)..]) >= length;
    }

    private static Answer Parse(string text)
    {
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (!text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) || end < 0) return new Answer(0, "", text);
        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1]);
        var contentType = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            .Select(p => p[1].Trim().Split(';')[0]).FirstOrDefault("");
        var body = text[(end + 4)..];
        if (lines.Any(l => l.StartsWith("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))) body = Dechunk(body);
        return new Answer(status, contentType, body);
    }

    private static string Dechunk(string body)
    {
        var result = new StringBuilder();
        var position = 0;
        while (position < body.Length)
        {
            var lineEnd = body.IndexOf("\r\n", position, StringComparison.Ordinal);
            if (lineEnd < 0) break;
            var size = Convert.ToInt32(body[position..lineEnd].Split(';')[0], 16);
            if (size == 0) break;
            result.Append(body.AsSpan(lineEnd + 2, Math.Min(size, body.Length - lineEnd - 2)));
            position = lineEnd + 2 + size + 2;
        }
        return result.ToString();
    }
}
