using System.Text.Json;
using Reframe.Core.Requests;
using Reframe.Wan.Engine;
using Reframe.Wan.Pipelines;
using Reframe.Wan.Tests.Parity;
using Reframe.Wan.Tests.Transformer;
using Reframe.Wan.Transformer;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Pipelines;

/// <summary>
/// Every <c>parity/pipeline_teacache/*</c> case (the reference's TeaCache, shared by both experts) and every
/// <c>parity/pipeline_cfgskip/*</c> case (TeaCache plus <c>cfg_skip_ratio</c>): the loop from the saved
/// <c>vace_context</c> must take exactly the reference's decisions, step by step and per branch, and give its outputs
/// within the case's tolerances.
/// </summary>
[Trait("Category", "Parity")]
public class StepCacheParityTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in new[] { "pipeline_teacache", "pipeline_cfgskip" })
        {
            foreach (var name in CaseFiles.Cases(kind))
            {
                data.Add(kind, name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Denoise_TakesTheReferencesCacheDecisions_AndMatchesItsOutputs(string kind, string caseName)
    {
        using var scope = NewDisposeScope();
        var pipelineCase = PipelineCase.Load(kind, caseName);
        var (_, caseJson, inputs, outputs, intermediates) = pipelineCase;
        var experts = pipelineCase.LoadExperts();
        using var high = experts.High;
        using var low = experts.Low;
        var settings = Settings(caseJson);
        output.WriteLine($"TeaCache threshold {settings.TeaCache!.Threshold}, {settings.TeaCache.SkipStartSteps} uncached first steps, cfg_skip_ratio {settings.CfgSkipRatio}");

        var worst = new Dictionary<string, double>();
        var stats = new DenoiseStats();
        var pipeline = new ReframePipeline(new ResidentExpertSource(high, low), new LoopOnlyVae());
        var final = pipeline.Denoise(
            inputs["initial_latents"], intermediates["vace_context"], inputs["prompt_embeds"], inputs["negative_prompt_embeds"],
            settings, null, CancellationToken.None,
            (name, step, actual) =>
            {
                string saved = name == "latents" ? "latents_per_step" : name;
                var reference = pipelineCase.Saved(saved, step);
                worst[saved] = Math.Max(worst.GetValueOrDefault(saved), CaseFiles.RelativeL2(actual.squeeze(0), reference));
            },
            stats);

        // 1. The decisions, exactly: per step, did the cond call and the uncond call run the blocks (null: no call).
        var expected = caseJson.GetProperty("teacache").GetProperty("per_step").EnumerateArray().ToList();
        var condCalls = stats.CacheCalls.Where(c => c.Cond).ToList();
        var uncondCalls = stats.CacheCalls.Where(c => !c.Cond).ToDictionary(c => c.Step);
        Assert.Equal(expected.Count, condCalls.Count);
        for (int step = 0; step < expected.Count; step++)
        {
            var want = expected[step];
            var cond = condCalls[step];
            bool? uncondComputed = uncondCalls.TryGetValue(step, out var u) ? u.Computed : null;
            bool? wantUncond = want.GetProperty("uncond_computed").ValueKind == JsonValueKind.Null ? null : want.GetProperty("uncond_computed").GetBoolean();
            output.WriteLine($"step {step}: cond {(cond.Computed ? "computed" : "reused")}, uncond {Describe(uncondComputed)}; rel_l1 {cond.RelL1:F6}, rescaled {cond.Rescaled:F1}, accumulated before {cond.AccumulatedBefore:F1}");
            Assert.Equal(step, cond.Step);
            Assert.True(want.GetProperty("cond_computed").GetBoolean() == cond.Computed, $"step {step}: the cond call {(cond.Computed ? "computed" : "reused")}");
            Assert.True(wantUncond == uncondComputed, $"step {step}: the uncond call {Describe(uncondComputed)}, the reference's {Describe(wantUncond)}");
            AssertNear(want, "rel_l1", cond.RelL1, step);
            AssertNear(want, "rescaled", cond.Rescaled, step);
            AssertNear(want, "accumulated_before", cond.AccumulatedBefore, step);
        }

        // 2. CFG skips, where the case has them (its observed pattern is stored as exact intermediates too).
        if (intermediates.TryGetValue("cfg_skipped", out var skipped))
        {
            var wantSkipped = Enumerable.Range(0, (int)skipped.shape[0]).Where(i => skipped[i].item<float>() == 1).ToList();
            Assert.Equal(wantSkipped, stats.CfgSkippedSteps);
            var branches = intermediates["teacache_branch_computed"];                            // [steps, 2]: 1, 0, -1 (no call)
            for (int step = 0; step < branches.shape[0]; step++)
            {
                Assert.Equal(branches[step, 0].item<float>(), condCalls[step].Computed ? 1 : 0);
                Assert.Equal(branches[step, 1].item<float>(), uncondCalls.TryGetValue(step, out var call) ? (call.Computed ? 1 : 0) : -1);
            }
        }

        // 3. The outputs, within the case's tolerances (noise predictions at reused steps are what the reference
        //    returned with the cached residual).
        foreach (var (name, fallback) in new[] { ("latents_before_step", 2e-4), ("noise_pred_uncond", 1e-4), ("noise_pred_cond", 1e-4), ("noise_pred_guided", 2e-4), ("latents_per_step", 2e-4) })
        {
            double tolerance = CaseFiles.Tolerance(caseJson, name, fallback);
            output.WriteLine($"{name}: worst per-step rel-L2 {worst[name]:E2} (limit {tolerance:E0})");
            Assert.True(worst[name] <= tolerance, $"{name}: {worst[name]:E3}");
        }

        CaseFiles.AssertClose(output, "final_latents", final, outputs["final_latents"], CaseFiles.Tolerance(caseJson, "final_latents", 2e-4));
    }

    private static string Describe(bool? computed) => computed switch { true => "computed", false => "reused", null => "made no call" };

    /// <summary>The bookkeeping numbers, to a part in 10^4 (they come from float32 means, like the reference's).</summary>
    private static void AssertNear(JsonElement step, string name, double? actual, int index)
    {
        var want = step.GetProperty(name);
        if (want.ValueKind == JsonValueKind.Null)
        {
            Assert.Null(actual);
            return;
        }

        Assert.NotNull(actual);
        double expected = want.GetDouble();
        Assert.True(Math.Abs(actual.Value - expected) <= 1e-4 * Math.Max(1, Math.Abs(expected)), $"step {index} {name}: {actual} against {expected}");
    }

    private static SamplingSettings Settings(JsonElement caseJson)
    {
        var spec = caseJson.GetProperty("generator_spec");
        var teacache = caseJson.GetProperty("teacache");
        Assert.Equal("FlowUniPCMultistepScheduler", caseJson.GetProperty("scheduler").GetProperty("class").GetString());
        return new SamplingSettings(
            Steps: spec.GetProperty("steps").GetInt32(),
            GuidanceScale: spec.GetProperty("guidance").GetDouble(),
            Shift: spec.GetProperty("shift").GetDouble(),
            Sampler: Sampler.UniPC,
            VaceContextScale: spec.GetProperty("scale").GetDouble())
        {
            TeaCache = new TeaCacheSettings(
                teacache.GetProperty("threshold").GetDouble(),
                teacache.GetProperty("num_skip_start_steps").GetInt32(),
                teacache.GetProperty("coefficients").EnumerateArray().Select(c => c.GetDouble()).ToList()),
            CfgSkipRatio = spec.TryGetProperty("cfg_skip_ratio", out var ratio) ? ratio.GetDouble() : 0,
        };
    }
}
