using Reframe.Server.Tests.Infrastructure;
using Reframe.TestSupport;

namespace Reframe.Server.Tests.OptionalParts;

/// <summary>An operator installs a RIFE export (REFRAME_RIFE_MODEL): requests for rife get it, requests for film still say why not.</summary>
public sealed class InstalledInterpolatorTests
{
    [Fact]
    public async Task TheInstalledNetworkRuns_ForItsModelOnly()
    {
        await using var server = await InProcessServer.StartAsync(new Dictionary<string, string?> { ["REFRAME_RIFE_MODEL"] = OnnxTestModels.BlendConcat7 });
        using var client = server.Client();
        var clip = await Tools.DataUriAsync(await Tools.ClipAsync(64, 36, 5, 8));
        foreach (var (model, expected, reason) in new[]
                 {
                     ("rife", "rife", (string?)null),
                     ("film", "minterpolate_mci", "no film model is installed on this server; ffmpeg's motion-compensated minterpolate ran instead"),
                 })
        {
            var done = await client.WaitForEndAsync(await client.SubmitAsync(new
            {
                model = ApiClient.Model, video_url = clip, aspect_ratio = "16:9", num_interpolated_frames = 2, interpolator_model = model, video_write_mode = "fast",
            }), TimeSpan.FromMinutes(2));
            Assert.True(done["status"]!.GetValue<string>() == "completed", done.ToJsonString());
            Assert.Equal((expected, reason), (done["meta"]!["interpolator"]!.GetValue<string>(), done["meta"]!["interpolator_reason"]?.GetValue<string>()));
            Assert.Equal((13, 24.0), (done["video"]!["num_frames"]!.GetValue<int>(), done["video"]!["fps"]!.GetValue<double>()));
        }
    }
}
