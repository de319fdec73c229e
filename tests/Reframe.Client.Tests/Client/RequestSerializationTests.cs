using System.Text.Json;

namespace Reframe.Client.Tests.Client;

public sealed class RequestSerializationTests
{
    [Fact]
    public void Serialize_WritesOnlySetFieldsWithWireNames_WhenDefaultsLeftUnset()
    {
        var json = JsonSerializer.Serialize(new GenerationRequest
        {
            VideoUrl = "https://example.com/a.mp4",
            AspectRatio = ReframeAspectRatio.Portrait9x16,
            Sampler = ReframeSampler.DpmPlusPlus,
            Resolution = ReframeResolution.P720,
        }, ReframeJsonContext.Default.GenerationRequest);

        using var document = JsonDocument.Parse(json);
        var fields = document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal(new Dictionary<string, string?>
        {
            ["model"] = "alibaba/wan2.2-vace-fun-a14b-reframe",
            ["video_url"] = "https://example.com/a.mp4",
            ["resolution"] = "720p",
            ["aspect_ratio"] = "9:16",
            ["sampler"] = "dpm++",
        }, fields);
    }
}
