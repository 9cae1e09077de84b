using PuppeteerSharp;
using PuppeteerSharp.Media;

namespace ValueLedger.Api.Features.Reports;

/// <summary>The "Reports" configuration section.</summary>
public sealed class ReportSettings
{
    /// <summary>The Chromium that prints reports as PDF (Debian's package: apt-get install chromium). HTML reports need none.</summary>
    public string ChromiumPath { get; set; } = "/usr/bin/chromium";
    /// <summary>How many PDFs print at once on a node; further requests wait for a slot (each print holds a browser tab).</summary>
    public int ConcurrentPrints { get; set; } = 2;
    /// <summary>How long one print may take, waiting for a slot included.</summary>
    public TimeSpan PrintTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

public sealed class PrinterUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Prints HTML reports as PDF in headless Chromium (PuppeteerSharp over the DevTools protocol; ADR 0013). One browser
/// per node, started at the first print and started again if it dies; every print gets a tab of its own, closed
/// after it, and no more than <see cref="ReportSettings.ConcurrentPrints"/> run at once. The page is loaded from the
/// report's own text (which holds no script) and may fetch nothing: a report is self-contained.
/// </summary>
public sealed class PdfPrinter(ReportSettings settings, ILoggerFactory loggers) : IAsyncDisposable
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, settings.ConcurrentPrints));
    private readonly SemaphoreSlim _launch = new(1);
    private IBrowser? _browser;

    public async Task<byte[]> PrintAsync(string html, string footer, CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(settings.PrintTimeout);
        var slot = false;
        try
        {
            await _slots.WaitAsync(timeout.Token);
            slot = true;
            var browser = await BrowserAsync(timeout.Token);
            await using var page = await browser.NewPageAsync();
            await page.SetRequestInterceptionAsync(true);
            page.Request += async (_, e) =>
            {
                // Only the report itself; a reference to anything else (it has none) is refused, not fetched.
                if (e.Request.Url.StartsWith("data:", StringComparison.Ordinal) || e.Request.Url == "about:blank") await e.Request.ContinueAsync();
                else await e.Request.AbortAsync();
            };
            await page.SetContentAsync(html, new NavigationOptions { WaitUntil = [WaitUntilNavigation.Load], Timeout = (int)settings.PrintTimeout.TotalMilliseconds });
            return await page.PdfDataAsync(new PdfOptions
            {
                Format = PaperFormat.A4,
                PrintBackground = true,
                DisplayHeaderFooter = true,
                HeaderTemplate = "<span></span>",
                FooterTemplate =
                    "<div style=\"font-size:8px;width:100%;padding:0 12mm;display:flex;justify-content:space-between;color:#555\">" +
                    $"<span>{System.Net.WebUtility.HtmlEncode(footer)}</span><span>page <span class=\"pageNumber\"></span> of <span class=\"totalPages\"></span></span></div>",
                MarginOptions = new MarginOptions { Top = "14mm", Bottom = "16mm", Left = "12mm", Right = "12mm" },
                Tagged = true,
                Outline = true,
            });
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            throw new PrinterUnavailableException($"The report was not printed within {settings.PrintTimeout.TotalSeconds:0} s; other reports are printing. Try again shortly.");
        }
        catch (PuppeteerException e)
        {
            throw new PrinterUnavailableException($"Chromium failed to print the report: {e.Message}", e);
        }
        finally
        {
            if (slot) _slots.Release();
        }
    }

    private async Task<IBrowser> BrowserAsync(CancellationToken cancellation)
    {
        if (_browser is { IsConnected: true } running) return running;
        await _launch.WaitAsync(cancellation);
        try
        {
            if (_browser is { IsConnected: true } started) return started;
            if (_browser is not null) await _browser.DisposeAsync();
            if (!File.Exists(settings.ChromiumPath))
                throw new PrinterUnavailableException(
                    $"PDF reports need Chromium at {settings.ChromiumPath} (Reports__ChromiumPath); install it with apt-get install chromium. The HTML report (format=html) needs none.");
            try
            {
                _browser = await Puppeteer.LaunchAsync(new LaunchOptions
                {
                    ExecutablePath = settings.ChromiumPath,
                    Headless = true,
                    Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--no-first-run", "--disable-extensions"],
                }, loggers);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new PrinterUnavailableException($"Chromium at {settings.ChromiumPath} did not start: {e.Message}", e);
            }
            return _browser;
        }
        finally
        {
            _launch.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _slots.Dispose();
        _launch.Dispose();
    }
}
