using Reframe.Wan.Modules;
using Reframe.Wan.Tests.Parity;
using Reframe.Wan.Transformer;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Transformer;

/// <summary>
/// The production dtype path (bf16 weights and activations, norms and RoPE in float32) runs end to end and stays
/// close to the float32 result. bf16 keeps 8 mantissa bits, so this is a sanity bound, not parity.
/// </summary>
public class TransformerDTypeTests(ITestOutputHelper output)
{
    [Fact]
    public void Forward_InBFloat16_StaysCloseToFloat32()
    {
        using var scope = NewDisposeScope();
        var caseId = ParityKit.CaseIds("transformer").First();
        var directory = ParityKit.Path(caseId.Split('/'));
        var caseJson = CaseFiles.ReadCaseJson(directory);
        var weights = Path.GetFullPath(Path.Combine(directory, caseJson.GetProperty("weights").GetProperty("folder").GetString()!));
        var inputs = CaseFiles.LoadTensors(Path.Combine(directory, "inputs.safetensors"));
        int batch = (int)inputs["x"].shape[0];
        var contexts = Enumerable.Range(0, batch).Select(i => inputs[$"context_{i}"]).ToArray();

        using var full = ExpertCheckpoint.Load(weights, ModuleInit.CpuFloat32);
        using var half = ExpertCheckpoint.Load(weights, new ModuleInit(ScalarType.BFloat16, CPU));
        var reference = full.Forward(inputs["x"], inputs["t"], inputs["vace_context"], contexts, 1.0);
        var bf16 = half.Forward(inputs["x"], inputs["t"], inputs["vace_context"], contexts, 1.0);

        Assert.Equal(ScalarType.BFloat16, bf16.dtype);
        double error = CaseFiles.RelativeL2(bf16, reference);
        output.WriteLine($"bf16 vs float32 rel-L2 {error:E2}");
        Assert.True(error < 5e-2, $"bf16 output drifts {error:E2} from float32");
    }
}
