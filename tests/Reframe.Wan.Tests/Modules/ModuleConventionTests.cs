using Reframe.Wan.Checkpoints;
using Reframe.Wan.Modules;
using Reframe.Wan.Text;
using Reframe.Wan.Transformer;
using Reframe.Wan.Vae;
using TorchSharp;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Modules;

/// <summary>
/// The module convention of <c>Reframe.Wan</c> (docs/wan.md, "Module convention"): children are registered
/// explicitly under their checkpoint key, once, and nothing else becomes a child or a buffer, not even through
/// TorchSharp's reflective pass over the fields of every module a parent registers.
/// </summary>
public class ModuleConventionTests
{
    public static TheoryData<string> FullSizeModels => ["vae", "expert", "umt5"];

    [Theory]
    [MemberData(nameof(FullSizeModels))]
    public void FullSizeModels_RegisterEveryModuleOnce_UnderItsKeyAndWithoutBuffers(string model)
    {
        using var module = Build(model);
        var modules = module.named_modules().ToList();
        var twice = modules.GroupBy(m => m.module, ReferenceEqualityComparer.Instance).Where(g => g.Count() > 1)
            .Select(g => string.Join(" = ", g.Select(m => m.name))).Take(5).ToList();
        Assert.True(twice.Count == 0, $"registered twice: {string.Join("; ", twice)}");
        var fieldNamed = modules.Select(m => m.name).Where(name => name.Split('.').Any(part => part.StartsWith('_'))).Take(5).ToList();
        Assert.True(fieldNamed.Count == 0, $"registered under a private field's name: {string.Join(", ", fieldNamed)}");
        Assert.Empty(module.named_buffers());
    }

    [Fact]
    public void ANormRegisteredAfterUse_KeepsOnlyGamma()
    {
        // The forward computes the cached sqrt(C) * gamma; registering the norm afterwards runs TorchSharp's reflective
        // pass over its fields, which must not make the cache a buffer (the strict loader would reject the key).
        using var norm = new ChannelL2Norm(4, images: false, ModuleInit.CpuFloat32);
        using (var scope = NewDisposeScope())
        {
            norm.Forward(ones([1, 4, 1, 2, 2]));
        }

        using var parent = new IndexedSlots((0, norm));
        Assert.Equal(["0.gamma"], StrictStateDictLoader.Keys(parent).Select(k => k.Name));
    }

    [Fact]
    public void AVaeRegisteredAfterUse_KeepsOnlyItsCheckpointKeys()
    {
        // The same for the VAE's latent constants (and the norms' caches, computed by the decode).
        using var vae = new WanVae(WanVaeConfig.Wan21 with { Dim = 4 }, ModuleInit.CpuFloat32);
        using (no_grad())
        {
            foreach (var (_, parameter) in vae.named_parameters())
            {
                parameter.normal_(0, 0.1, new Generator(1));
            }
        }

        var before = StrictStateDictLoader.Keys(vae).Select(k => k.Name).ToList();
        using (var scope = NewDisposeScope())
        {
            vae.Decode(zeros([1, 16, 2, 2, 2]));
        }

        using var parent = new IndexedSlots((0, vae));
        var after = StrictStateDictLoader.Keys(parent).Select(k => k.Name).ToList();
        Assert.Equal(before.Select(name => "0." + name), after);
        Assert.Empty(parent.named_buffers());
    }

    private static nn.Module Build(string model) => model switch
    {
        "vae" => new WanVae(WanVaeConfig.Wan21, ModuleInit.Meta),
        "expert" => new VaceWanTransformer(WanTransformerConfig.A14B, ModuleInit.Meta),
        "umt5" => new Umt5Encoder(Umt5Config.UmT5Xxl, ModuleInit.Meta),
        _ => throw new ArgumentOutOfRangeException(nameof(model)),
    };
}
