using Reframe.Core.Blobs;
using Reframe.Core.Requests;

namespace Reframe.Core.Tests.Blobs;

public sealed class StoredInputsTests
{
    [Fact]
    public void AnyIn_IsTrue_WhenAnyInputFieldNamesAStoredBlob()
    {
        var reference = StoredInputs.Reference(StoredInputs.Key(Guid.NewGuid(), "last_frame_url"));
        var plain = new GenerationOptions { VideoUrl = "https://e.com/a.mp4", FirstFrameUrl = "data:image/png;base64,AA" };

        Assert.False(StoredInputs.AnyIn(plain));
        Assert.True(StoredInputs.AnyIn(plain with { LastFrameUrl = reference }));
        Assert.True(StoredInputs.AnyIn(plain with { VideoUrl = reference }));
    }
}
