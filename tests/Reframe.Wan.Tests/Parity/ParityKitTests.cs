using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Parity;

public class ParityKitTests
{
    [Fact]
    public void Cases_DiscoversCaseFoldersOnly_WhenAnAreaHasWeightFolders()
    {
        var ids = ParityKit.CaseIds("vae");
        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.True(File.Exists(ParityKit.Path(id.Split('/')) + "/case.json"), id));
        Assert.DoesNotContain("vae/weights_dim4", ids);
    }

    [Fact]
    public void Cases_FiltersByKind()
    {
        var encode = ParityKit.CaseIds("vae", kind => kind.EndsWith("_encode", StringComparison.Ordinal));
        var all = ParityKit.CaseIds("vae");
        Assert.NotEmpty(encode);
        Assert.True(encode.Count < all.Count);
    }

    [Fact]
    public void Tolerance_ReadsNamedPatternAndIntermediateEntries()
    {
        string id = ParityKit.CaseIds("vae")[0];
        using var kase = ParityKit.Load(id);
        Assert.Equal(1e-4, kase.Tolerance("intermediate-not-named", TensorRole.Intermediate, fallback: 1));
        Assert.Equal(7, kase.Tolerance("output-not-named", TensorRole.Output, fallback: 7));
    }

    [Fact]
    public void RelativeL2_IsComputedInFloat64()
    {
        using var expected = tensor(new[] { 3.0f, 4.0f });
        using var actual = tensor(new[] { 3.0f, 4.5f });
        Assert.Equal(0.1, ParityKit.RelativeL2(actual, expected), 12);
        Assert.Equal(0, ParityKit.RelativeL2(expected, expected));
    }
}
