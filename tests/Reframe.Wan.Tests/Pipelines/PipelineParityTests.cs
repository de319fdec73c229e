using System.Text.Json;
using Reframe.Core.Requests;
using Reframe.Wan.Engine;
using Reframe.Wan.Runtime;
using Reframe.Wan.Pipelines;
using Reframe.Wan.Tests.Parity;
using Reframe.Wan.Tests.Transformer;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Pipelines;

/// <summary>
/// Every <c>parity/pipeline/*</c> case: the mask side of the VACE context against the reference, and the whole
/// two-expert CFG loop from the saved <c>vace_context</c> (so it is checked independently of the VAE).
/// </summary>
[Trait("Category", "Parity")]
public class PipelineParityTests(ITestOutputHelper output)
{
    public static TheoryData<string> Cases => CaseFiles.Cases("pipeline");

    [Theory]
    [MemberData(nameof(Cases))]
    public void VaceConditioning_MaskParts_MatchReference(string caseName)
    {
        using var scope = NewDisposeScope();
        var directory = CaseFiles.CaseDirectory("pipeline", caseName);
        var caseJson = CaseFiles.ReadCaseJson(directory);
        var inputs = CaseFiles.LoadTensors(Path.Combine(directory, "inputs.safetensors"));
        var intermediates = CaseFiles.LoadTensors(Path.Combine(directory, "intermediates.safetensors"));

        var maskCondition = VaceConditioning.MaskCondition(inputs["mask_video"]);
        var inputVideo = VaceConditioning.InputVideo(inputs["video"], maskCondition);
        var maskLatents = VaceConditioning.MaskLatents(maskCondition[0], (int)intermediates["mask_latents"].shape[1]);

        CaseFiles.AssertClose(output, "mask_condition", maskCondition, intermediates["mask_condition"], 0);
        CaseFiles.AssertClose(output, "input_video", inputVideo, intermediates["input_video"], 1e-7);
        CaseFiles.AssertClose(output, "mask_latents", maskLatents, intermediates["mask_latents"], 0);
        // The saved context's last 64 channels are exactly these mask latents.
        CaseFiles.AssertClose(output, "vace_context[32:]", maskLatents, intermediates["vace_context"].narrow(0, 32, 64),
            CaseFiles.Tolerance(caseJson, "vace_context", 1e-5));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Denoise_ReproducesReferenceLoop_FromSavedVaceContext(string caseName)
    {
        using var scope = NewDisposeScope();
        var pipelineCase = PipelineCase.Load("pipeline", caseName);
        var (_, caseJson, inputs, outputs, intermediates) = pipelineCase;
        var experts = pipelineCase.LoadExperts();
        using var high = experts.High;
        using var low = experts.Low;
        var settings = Settings(caseJson);

        // The expert used at every step must be the case's.
        var expectedExperts = caseJson.GetProperty("per_step").EnumerateArray()
            .Select(s => s.GetProperty("expert").GetString() == "high" ? ExpertKind.HighNoise : ExpertKind.LowNoise).ToArray();
        var usedExperts = new List<ExpertKind>();
        var worst = new Dictionary<string, double>();
        var stepNames = new Dictionary<string, (string Name, double Fallback)>
        {
            ["latents_before_step"] = ("latents_before_step", 2e-4),
            ["noise_pred_uncond"] = ("noise_pred_uncond", 1e-4),
            ["noise_pred_cond"] = ("noise_pred_cond", 1e-4),
            ["noise_pred_guided"] = ("noise_pred_guided", 2e-4),
            ["latents"] = ("latents_per_step", 2e-4),
        };

        var pipeline = new ReframePipeline(new ResidentExpertSource(high, low), new LoopOnlyVae());
        var final = pipeline.Denoise(
            inputs["initial_latents"], intermediates["vace_context"], inputs["prompt_embeds"], inputs["negative_prompt_embeds"],
            settings, new SynchronousProgress<DenoiseProgress>(p => usedExperts.Add(p.Expert)), CancellationToken.None,
            (name, step, actual) =>
            {
                var (savedName, _) = stepNames[name];
                var reference = pipelineCase.Saved(savedName, step);
                double error = CaseFiles.RelativeL2(actual.squeeze(0), reference);
                worst[name] = Math.Max(worst.GetValueOrDefault(name), error);
            });

        Assert.Equal(expectedExperts, usedExperts);
        foreach (var (name, (savedName, fallback)) in stepNames)
        {
            double tolerance = CaseFiles.Tolerance(caseJson, savedName, fallback);
            output.WriteLine($"{savedName}: worst per-step rel-L2 {worst[name]:E2} (limit {tolerance:E0})");
            Assert.True(worst[name] <= tolerance, $"{savedName}: {worst[name]:E3}");
        }

        CaseFiles.AssertClose(output, "final_latents", final, outputs["final_latents"], CaseFiles.Tolerance(caseJson, "final_latents", 2e-4));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Pipeline_FromVideoAndMask_MatchesReference_ThroughVaeAndLoop(string caseName)
    {
        using var scope = NewDisposeScope();
        var pipelineCase = PipelineCase.Load("pipeline", caseName);
        var (directory, caseJson, inputs, outputs, intermediates) = pipelineCase;
        var experts = pipelineCase.LoadExperts();
        using var high = experts.High;
        using var low = experts.Low;
        using var vae = WanVaeAdapter.Load(Path.Combine(directory, caseJson.GetProperty("vae").GetProperty("file").GetString()!), WanRuntime.CpuFloat32);

        // VACE context through the VAE (two encodes) and the mask fold.
        var probed = new Dictionary<string, Tensor>();
        var vaceContext = VaceConditioning.Build(inputs["video"], inputs["mask_video"], vae,
            (name, t) => probed[name] = t.detach().clone().MoveToOuterDisposeScope());
        double contextTolerance = CaseFiles.Tolerance(caseJson, "vace_context", 1e-5);
        CaseFiles.AssertClose(output, "vace_inactive_latents", probed["vace_inactive_latents"], intermediates["vace_inactive_latents"], contextTolerance);
        CaseFiles.AssertClose(output, "vace_reactive_latents", probed["vace_reactive_latents"], intermediates["vace_reactive_latents"], contextTolerance);
        CaseFiles.AssertClose(output, "vace_context", vaceContext, intermediates["vace_context"], contextTolerance);

        // Then the loop from the case's initial latents, on our own context.
        var pipeline = new ReframePipeline(new ResidentExpertSource(high, low), vae);
        var final = pipeline.Denoise(inputs["initial_latents"], vaceContext, inputs["prompt_embeds"], inputs["negative_prompt_embeds"],
            Settings(caseJson), null, CancellationToken.None);
        CaseFiles.AssertClose(output, "final_latents", final, outputs["final_latents"], CaseFiles.Tolerance(caseJson, "final_latents", 2e-4));
    }

    private static SamplingSettings Settings(JsonElement caseJson)
    {
        var spec = caseJson.GetProperty("generator_spec");
        Assert.Equal("FlowUniPCMultistepScheduler", caseJson.GetProperty("scheduler").GetProperty("class").GetString());
        return new SamplingSettings(
            Steps: spec.GetProperty("steps").GetInt32(),
            GuidanceScale: spec.GetProperty("guidance").GetDouble(),
            Shift: spec.GetProperty("shift").GetDouble(),
            Sampler: Sampler.UniPC,
            VaceContextScale: spec.GetProperty("scale").GetDouble());
    }
}

/// <summary>An IProgress that reports on the calling thread (Progress&lt;T&gt; posts to the thread pool).</summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
