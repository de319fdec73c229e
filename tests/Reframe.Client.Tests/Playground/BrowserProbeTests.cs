using Microsoft.Playwright;

namespace Reframe.Client.Tests.Playground;

public class BrowserProbeTests
{
    [Fact]
    public async Task Chromium_Launches_WhenDebianBrowserIsInstalled()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Args = ["--headless", "--no-sandbox", "--disable-gpu"] });
        var page = await browser.NewPageAsync();
        await page.SetContentAsync("<p id=x>hi</p>");
        Assert.Equal("hi", await page.InnerTextAsync("#x"));
    }
}
