using Microsoft.Playwright;
using Xunit.Abstractions;
using Reframe.TestSupport;

namespace Reframe.Client.Tests.Playground;

/// <summary>
/// The playground in a real browser (Debian's chromium driven by Playwright): paste a key, choose a clip, submit,
/// watch it finish, and check the result, the outline and the download link. Saves a screenshot as a test
/// artifact, and to docs/images/playground.png when REFRAME_UPDATE_DOCS_IMAGES=1.
/// </summary>
public sealed class PlaygroundBrowserTests(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Playground_ShowsResultWithOutlineAndDownload_WhenUserSubmitsAClip()
    {
        Assert.True(File.Exists(Chromium), "chromium is missing: run scripts/setup.sh --browser");
        await using var service = await ReframeService.StartAsync();
        using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1360, Height = 860 } });
        var consoleErrors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") consoleErrors.Add($"{message.Text} ({message.Location})"); };
        page.SetDefaultTimeout(60_000);

        await page.GotoAsync(service.Origin.AbsoluteUri); // "/" redirects to the playground
        Assert.EndsWith("/playground/", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#api-key", service.ApiKey);
        await page.SetInputFilesAsync("#video-file", SmallClips.Small4x3);
        await page.SelectOptionAsync("select[name=aspect_ratio]", "16:9");
        await page.FillAsync("textarea[name=prompt]", "a test pattern on a wider canvas");
        // Record every state the status card shows, to check the run was followed live.
        await page.EvaluateAsync(@"() => {
            window.seenStates = [];
            new MutationObserver(() => {
                const card = document.getElementById('status-card');
                const last = window.seenStates[window.seenStates.length - 1];
                const now = card.dataset.state + '|' + document.getElementById('status-text').textContent;
                if (now !== last) window.seenStates.push(now);
            }).observe(document.getElementById('status-card'), { attributes: true, subtree: true, childList: true, characterData: true });
        }");
        await page.ClickAsync("#submit");

        await page.WaitForSelectorAsync("#status-card[data-state=completed]");
        var seen = await page.EvaluateAsync<string[]>("() => window.seenStates");
        output.WriteLine(string.Join(Environment.NewLine, seen));
        Assert.Contains(seen, s => s.StartsWith("queued|", StringComparison.Ordinal));
        Assert.Contains(seen, s => s.StartsWith("generating|", StringComparison.Ordinal));
        Assert.StartsWith("completed|", seen[^1], StringComparison.Ordinal);
        // Wait for the result to be decodable so the screenshot shows a frame.
        await page.WaitForFunctionAsync("() => document.getElementById('result-video').readyState >= 2");
        await page.EvaluateAsync("() => { for (const v of document.querySelectorAll('video')) { v.pause(); v.currentTime = 0.5; } }");
        await page.WaitForTimeoutAsync(300);

        var href = await page.GetAttributeAsync("#download-link", "href");
        Assert.True(await page.IsVisibleAsync("#download-link"));
        Assert.Contains("/files/", href, StringComparison.Ordinal);
        Assert.True(await page.IsVisibleAsync("#keep-rect"));
        Assert.Equal("kept source", await page.GetAttributeAsync("#keep-rect", "data-label"));
        var keepX = int.Parse((await page.GetAttributeAsync("#keep-rect", "data-x"))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(keepX, 1, 415);
        Assert.Equal("completed", await page.TextContentAsync("#status-badge"));
        Assert.Equal("events", await page.GetAttributeAsync("#status-card", "data-transport")); // live, not polled
        Assert.Empty(consoleErrors);

        // The download link serves the mp4 itself.
        using var http = new HttpClient();
        var bytes = await http.GetByteArrayAsync(new Uri(href!));
        Assert.Equal("ftyp"u8.ToArray(), bytes[4..8]);

        var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "playground.png"), FullPage = true });
        if (Environment.GetEnvironmentVariable("REFRAME_UPDATE_DOCS_IMAGES") == "1")
        {
            var docs = Path.Combine(RepositoryPaths.RepositoryRoot, "docs", "images");
            Directory.CreateDirectory(docs);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(docs, "playground.png"), FullPage = true });
        }
    }

    [Fact]
    public async Task Playground_ShowsActionableError_WhenKeyIsWrong()
    {
        Assert.True(File.Exists(Chromium), "chromium is missing: run scripts/setup.sh --browser");
        await using var service = await ReframeService.StartAsync(new Dictionary<string, string> { ["REFRAME_WORKERS"] = "0" });
        using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
        });
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(20_000);

        await page.GotoAsync(new Uri(service.Origin, "/playground").AbsoluteUri);
        await page.FillAsync("#api-key", "wrong-key");
        await page.SetInputFilesAsync("#video-file", SmallClips.Small4x3);
        await page.ClickAsync("#submit");
        await page.WaitForSelectorAsync("#form-error:not([hidden])");

        var message = await page.InnerTextAsync("#form-error");
        Assert.Contains("HTTP 401", message, StringComparison.Ordinal);
        Assert.Contains("Check the API key", message, StringComparison.Ordinal);
        // The key persists for the next visit.
        await page.ReloadAsync();
        Assert.Equal("wrong-key", await page.InputValueAsync("#api-key"));
    }
}
