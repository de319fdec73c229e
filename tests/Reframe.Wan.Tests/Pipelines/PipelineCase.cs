using System.Text.Json;
using Reframe.Wan.Pipelines;
using Reframe.Wan.Tests.Parity;
using Reframe.Wan.Tests.Transformer;
using Reframe.Wan.Transformer;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Pipelines;

/// <summary>
/// One <c>parity/pipeline*/&lt;case&gt;</c> folder: its case.json, its saved inputs, outputs and intermediates, and its two
/// experts. Tensors are created in the caller's dispose scope.
/// </summary>
internal sealed record PipelineCase(
    string Directory,
    JsonElement Json,
    Dictionary<string, Tensor> Inputs,
    Dictionary<string, Tensor> Outputs,
    Dictionary<string, Tensor> Intermediates)
{
    public static PipelineCase Load(string kind, string caseName)
    {
        var directory = CaseFiles.CaseDirectory(kind, caseName);
        return new PipelineCase(
            directory,
            CaseFiles.ReadCaseJson(directory),
            CaseFiles.LoadTensors(Path.Combine(directory, "inputs.safetensors")),
            CaseFiles.LoadTensors(Path.Combine(directory, "outputs.safetensors")),
            CaseFiles.LoadTensors(Path.Combine(directory, "intermediates.safetensors")));
    }

    /// <summary>The high-noise and low-noise experts the case names; the caller disposes them.</summary>
    public (VaceWanTransformer High, VaceWanTransformer Low) LoadExperts()
    {
        var experts = Json.GetProperty("experts");
        var high = Expert(experts, "high_noise_model");
        try
        {
            return (high, Expert(experts, "low_noise_model"));
        }
        catch
        {
            high.Dispose();
            throw;
        }
    }

    /// <summary>A saved per-step tensor at <paramref name="step"/>: intermediates first, then outputs.</summary>
    public Tensor Saved(string name, int step) => (Intermediates.TryGetValue(name, out var i) ? i : Outputs[name])[step];

    private VaceWanTransformer Expert(JsonElement experts, string name) =>
        TransformerParityTests.LoadModel(Path.Combine(Directory, experts.GetProperty(name).GetProperty("folder").GetString()!));
}

/// <summary>The VAE of a pipeline that only runs the denoising loop: any call is a test failure.</summary>
internal sealed class LoopOnlyVae : IWanVae
{
    public Tensor Encode(Tensor video) => throw new InvalidOperationException("the loop must not encode");

    public Tensor Decode(Tensor latents) => throw new InvalidOperationException("the loop must not decode");
}
