using System.Net;
using Reframe.Client;
using Reframe.TestSupport;

namespace Reframe.Cli.Tests.Commands;

/// <summary>The <c>reframe</c> command line, run as a process against the real service.</summary>
public sealed class CliTests
{
    [Fact]
    public async Task SubmitWait_DownloadsResultAndExitsZero_WhenGenerationCompletes()
    {
        await using var service = await ReframeService.StartAsync();
        var output = Path.Combine(TempPaths.NewDirectory("cli"), "out.mp4");

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(
            "submit", SmallClips.Small4x3, "--wait", "-o", output, "--server", service.ApiRoot.AbsoluteUri, "--key", service.ApiKey,
            "--aspect-ratio", "16:9", "--prompt", "a test pattern", "--trim-borders", "false");

        Assert.True(exitCode == 0, stderr);
        Assert.Equal(output, stdout.Trim());
        Assert.Contains("completed", stderr, StringComparison.Ordinal);
        Assert.Contains("100% completed", stderr, StringComparison.Ordinal);
        var (width, height, _) = SmallClips.Probe(output);
        Assert.Equal((832, 480), (width, height));
    }

    [Fact]
    public async Task SubmitStatusCancel_PrintIdStateAndRefuseSecondCancel_WhenTaskIsQueued()
    {
        await using var service = await ReframeService.StartAsync(new Dictionary<string, string> { ["REFRAME_WORKERS"] = "0" });
        string[] connection = ["--server", service.ApiRoot.AbsoluteUri, "--key", service.ApiKey];

        var (submitCode, id, _) = await CliProcess.RunAsync(["submit", SmallClips.Small4x3, .. connection]);
        id = id.Trim();
        var (cancelCode, _, cancelErr) = await CliProcess.RunAsync(["cancel", id, .. connection]);
        var (statusCode, status, _) = await CliProcess.RunAsync(["status", id, .. connection]);
        var (againCode, _, againErr) = await CliProcess.RunAsync(["cancel", id, .. connection]);
        var (goneCode, _, goneErr) = await CliProcess.RunAsync(["status", id, .. connection]);

        Assert.Equal(0, submitCode);
        Assert.EndsWith(":" + GenerationRequest.ReframeModel, id, StringComparison.Ordinal);
        Assert.Equal(0, cancelCode);
        Assert.Contains("cancelled", cancelErr, StringComparison.Ordinal);
        Assert.Equal(3, statusCode); // the task ended in error (cancelled)
        Assert.Contains("\"name\":\"cancelled\"", status, StringComparison.Ordinal);
        Assert.Equal(0, againCode); // it had ended: the second cancel deletes it
        Assert.Contains("deleted", againErr, StringComparison.Ordinal);
        Assert.Equal(7, goneCode);
        Assert.Contains("Not found", goneErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_ExitsWithAuthCodeAndSaysWhatToDo_WhenKeyIsRefused()
    {
        await using var service = await ReframeService.StartAsync(new Dictionary<string, string> { ["REFRAME_WORKERS"] = "0" });

        var (exitCode, _, stderr) = await CliProcess.RunAsync(
            "submit", SmallClips.Small4x3, "--server", service.ApiRoot.AbsoluteUri, "--key", "wrong-key");

        Assert.Equal(5, exitCode);
        Assert.Contains("refused the key", stderr, StringComparison.Ordinal);
        Assert.Contains("reframe keys create", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_ExitsWithUsageCodeAndNamesTheField_WhenServerRejectsTheRequest()
    {
        await using var service = await ReframeService.StartAsync(new Dictionary<string, string> { ["REFRAME_WORKERS"] = "0" });

        var (exitCode, _, stderr) = await CliProcess.RunAsync(
            "submit", "https://example.com/a.mp4", "--server", service.ApiRoot.AbsoluteUri, "--key", service.ApiKey, "--webhook-url", "ftp://example.com/hook");

        Assert.Equal(1, exitCode);
        Assert.Contains("rejected the request", stderr, StringComparison.Ordinal);
        Assert.Contains("webhook_url", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_ExitsWithUsageCodeBeforeSending_WhenOptionIsOutOfRange()
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync("submit", "https://example.com/a.mp4", "--key", "k", "--num-inference-steps", "99");

        Assert.Equal(1, exitCode);
        Assert.Contains("--num-inference-steps must be between 2 and 50", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_ExitsWithUnavailableCode_WhenNothingListens()
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync("submit", "https://example.com/a.mp4", "--server", "http://127.0.0.1:9/v2", "--key", "k");

        Assert.Equal(6, exitCode);
        Assert.Contains("Cannot reach", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_CreatedKeyIsAcceptedAndRevokedKeyRefused_ByServiceOnThatDataDirectory()
    {
        var dataDirectory = TempPaths.NewDirectory("cli-keys");
        var (created, key, createErr) = await CliProcess.RunAsync("keys", "create", "--label", "alice", "--data-dir", dataDirectory);
        Assert.True(created == 0, createErr);
        key = key.Trim();
        var (_, list, _) = await CliProcess.RunAsync("keys", "list", "--data-dir", dataDirectory);
        Assert.Contains("alice", list, StringComparison.Ordinal);
        var unknown = $"{Guid.NewGuid():D}:{GenerationRequest.ReframeModel}";

        // No REFRAME_API_KEYS: the service accepts exactly the keys file.
        var noEnvironmentKeys = new Dictionary<string, string> { ["REFRAME_WORKERS"] = "0", ["REFRAME_API_KEYS"] = "" };
        await using (var service = await ReframeService.StartAsync(noEnvironmentKeys, dataDirectory, key))
        {
            using var client = service.CreateClient();
            var accepted = await Assert.ThrowsAsync<ReframeApiException>(() => client.GetAsync(unknown));
            Assert.Equal(HttpStatusCode.NotFound, accepted.StatusCode); // past authentication
        }

        var (revoked, _, revokeErr) = await CliProcess.RunAsync("keys", "revoke", "alice", "--data-dir", dataDirectory);
        Assert.True(revoked == 0, revokeErr);
        var (_, other, _) = await CliProcess.RunAsync("keys", "create", "--label", "bob", "--data-dir", dataDirectory);
        await using (var service = await ReframeService.StartAsync(noEnvironmentKeys, dataDirectory, key))
        {
            using var client = service.CreateClient();
            var refused = await Assert.ThrowsAsync<ReframeApiException>(() => client.GetAsync(unknown));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            using var bob = service.CreateClient(other.Trim());
            Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<ReframeApiException>(() => bob.GetAsync(unknown))).StatusCode);
        }
        TempPaths.TryDelete(dataDirectory);
    }

    [Fact]
    public async Task Help_ListsCommandsAndExitsZero_AndUnknownOptionExitsTwo()
    {
        var (helpCode, help, _) = await CliProcess.RunAsync("--help");
        var (badCode, _, badErr) = await CliProcess.RunAsync("submit", "x.mp4", "--aspect-ratio", "4:3");

        Assert.Equal(0, helpCode);
        Assert.Contains("submit", help, StringComparison.Ordinal);
        Assert.Contains("keys", help, StringComparison.Ordinal);
        Assert.Equal(1, badCode);
        Assert.Contains("16:9", badErr, StringComparison.Ordinal);
    }
}
