using System.Text.Json;
using Reframe.Wan.Modules;
using Reframe.Wan.Tests.Parity;
using Reframe.Wan.Transformer;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Transformer;

/// <summary>
/// Every <c>parity/transformer/*</c> forward case against the reference: output, hints, every block output,
/// head output, embeddings, and the RoPE tables, each with the case's tolerance.
/// </summary>
[Trait("Category", "Parity")]
public class TransformerParityTests(ITestOutputHelper output)
{
    public static TheoryData<string> Cases => CaseFiles.Cases("transformer");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_MatchesReference_WithIntermediates(string caseName)
    {
        using var scope = NewDisposeScope();
        var directory = CaseFiles.CaseDirectory("transformer", caseName);
        var caseJson = CaseFiles.ReadCaseJson(directory);
        var weightsFolder = Path.GetFullPath(Path.Combine(directory, caseJson.GetProperty("weights").GetProperty("folder").GetString()!));
        using var model = LoadModel(weightsFolder);

        var inputs = CaseFiles.LoadTensors(Path.Combine(directory, "inputs.safetensors"));
        var expected = CaseFiles.LoadTensors(Path.Combine(directory, "outputs.safetensors"));
        var intermediates = CaseFiles.LoadTensors(Path.Combine(directory, "intermediates.safetensors"));
        var call = caseJson.GetProperty("call");
        int batch = (int)inputs["x"].shape[0];
        var contexts = Enumerable.Range(0, batch).Select(i => inputs[$"context_{i}"]).ToArray();
        double scale = call.GetProperty("vace_context_scale").GetDouble();

        var probed = new Dictionary<string, Tensor>();
        var outTensor = model.Forward(inputs["x"], inputs["t"], inputs["vace_context"], contexts, scale,
            (name, t) => probed[name] = t.detach().clone().MoveToOuterDisposeScope()); // probes run in Forward's scope

        double simple = CaseFiles.Tolerance(caseJson, "default_intermediate", 1e-5);
        Check("out", outTensor, expected["out"], caseJson, 1e-4);
        foreach (var name in new[] { "patch_embedding_out", "vace_patch_embedding_out", "time_sinusoid", "time_embedding_e", "time_projection_e0", "context_embedding" })
        {
            Check(name, probed[name], intermediates[name], caseJson, simple);
        }

        Check("rope_cos", probed["rope_cos"], intermediates["rope_cos"], caseJson, 1e-6);
        Check("rope_sin", probed["rope_sin"], intermediates["rope_sin"], caseJson, 1e-6);
        Check("hints", probed["hints"], intermediates["hints"], caseJson, 1e-4);
        var blockOutputs = stack(Enumerable.Range(0, model.Config.NumLayers).Select(i => probed[$"block_output.{i}"]).ToArray());
        Check("block_outputs", blockOutputs, intermediates["block_outputs"], caseJson, 1e-4);
        Check("head_out", probed["head_out"], intermediates["head_out"], caseJson, 1e-4);

        var table = RopeFrequencies.AngleTable(model.Config.HeadDim);
        Check("rope_table_cos", cos(table).to_type(ScalarType.Float32), intermediates["rope_table_cos"], caseJson, 1e-6);
        Check("rope_table_sin", sin(table).to_type(ScalarType.Float32), intermediates["rope_table_sin"], caseJson, 1e-6);
    }

    internal static VaceWanTransformer LoadModel(string weightsFolder)
    {
        return ExpertCheckpoint.Load(weightsFolder, ModuleInit.CpuFloat32);
    }

    private void Check(string name, Tensor actual, Tensor reference, JsonElement caseJson, double fallback) =>
        CaseFiles.AssertClose(output, name, actual, reference, CaseFiles.Tolerance(caseJson, name, fallback));
}
