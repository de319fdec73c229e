using System.Net;
using System.Text.RegularExpressions;
using Reframe.Server.Tests.Infrastructure;

namespace Reframe.Server.Tests.Http;

/// <summary>A newcomer's first start: no key configured, the service creates one, prints it once, keeps its hash.</summary>
public sealed partial class FirstStartKeyTests
{
    [Fact]
    public async Task Start_PrintsANewKeyOnce_WhenTheDataDirectoryHasNoKeys()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "reframe-firststart-" + Guid.NewGuid().ToString("N"));
        var env = new Dictionary<string, string?> { ["REFRAME_WORKERS"] = "0" };
        try
        {
            string key;
            await using (var first = await ChildServer.StartAsync(dataDir, env))
            {
                var printed = first.Output.Select(l => KeyLine().Match(l)).Where(m => m.Success).ToList();
                key = Assert.Single(printed).Groups[1].Value;
                Assert.DoesNotContain(key, await File.ReadAllTextAsync(Path.Combine(dataDir, "api-keys.txt")), StringComparison.Ordinal);
                using var client = first.Client(key);
                var id = await client.SubmitAsync(new { model = ApiClient.Model, video_url = "https://example.com/v.mp4" });
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(id)).Status);
                using var stranger = first.Client("rf_not-the-key");
                Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync(id)).Status);
            }
            await using (var second = await ChildServer.StartAsync(dataDir, env))
            {
                Assert.DoesNotContain(second.Output, l => KeyLine().IsMatch(l));
                using var client = second.Client(key);
                Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(new { model = ApiClient.Model, video_url = "https://example.com/v.mp4" })).Status);
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [GeneratedRegex(@"^\s+(rf_[A-Za-z0-9_-]{43})\s*$")]
    private static partial Regex KeyLine();
}
