using System.Text.Json;
using Reframe.Wan.Schedulers;
using Reframe.Wan.Tests.Parity;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Schedulers;

/// <summary>
/// Every <c>parity/scheduler/*</c> case: timesteps (exact for the integer samplers), sigmas, and the whole
/// trajectory driven by the case's fixed model outputs, plus x0 / corrected-sample intermediates.
/// </summary>
[Trait("Category", "Parity")]
public class SchedulerParityTests(ITestOutputHelper output)
{
    public static TheoryData<string> Cases => CaseFiles.Cases("scheduler");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Step_ReproducesReferenceTrajectory_ForEveryKitCase(string caseName)
    {
        using var scope = NewDisposeScope();
        var directory = CaseFiles.CaseDirectory("scheduler", caseName);
        var caseJson = CaseFiles.ReadCaseJson(directory);
        var inputs = CaseFiles.LoadTensors(Path.Combine(directory, "inputs.safetensors"));
        var outputs = CaseFiles.LoadTensors(Path.Combine(directory, "outputs.safetensors"));
        var intermediatesPath = Path.Combine(directory, "intermediates.safetensors");
        var intermediates = File.Exists(intermediatesPath) ? CaseFiles.LoadTensors(intermediatesPath) : [];

        using var scheduler = Build(caseJson);
        output.WriteLine($"{caseName}: {scheduler.Name}, {scheduler.Timesteps.Count} steps");

        // Timesteps: integer samplers exactly, Euler within the case's tolerance.
        var expectedTimesteps = caseJson.GetProperty("timesteps").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        bool integerTimesteps = caseJson.GetProperty("timesteps_dtype_in_reference").GetString() == "int64";
        if (integerTimesteps)
        {
            Assert.Equal(expectedTimesteps, scheduler.Timesteps);
        }
        else
        {
            using var actualT = tensor(scheduler.Timesteps.ToArray());
            CaseFiles.AssertClose(output, "timesteps", actualT, outputs["timesteps"], CaseFiles.Tolerance(caseJson, "timesteps", 1e-6));
        }

        using var actualSigmas = tensor(scheduler.Sigmas.ToArray());
        CaseFiles.AssertClose(output, "sigmas", actualSigmas, outputs["sigmas"], CaseFiles.Tolerance(caseJson, "sigmas", 1e-6));

        var modelOutputs = inputs["model_outputs"];
        var sample = inputs["sample0"];
        double trajectoryTolerance = CaseFiles.Tolerance(caseJson, "samples", 1e-5);
        double worst = 0;
        for (int i = 0; i < scheduler.Timesteps.Count; i++)
        {
            sample = scheduler.Step(modelOutputs[i], sample);
            worst = Math.Max(worst, CaseFiles.RelativeL2(sample, outputs["samples"][i]));
            CheckIntermediates(scheduler, intermediates, caseJson, i);
        }

        output.WriteLine($"samples: worst per-step rel-L2 {worst:E2} (limit {trajectoryTolerance:E0})");
        Assert.True(worst <= trajectoryTolerance, $"trajectory error {worst:E3}");
    }

    [Fact]
    public void FlowSchedulers_Create_GivesEveryTheRequestShift_EulerIncluded()
    {
        // The reference pipeline never passes its shift to Euler (the yaml's constructor shift, 12, wins); we do,
        // so that `shift` means the same for every sampler. The kit's Euler cases pin the sampler at shift 1, 5, 12.
        using var euler = FlowSchedulers.Create(Core.Requests.Sampler.Euler, 4, shift: 5);
        using var shift5 = new FlowMatchEulerScheduler(4, 5);
        using var shift12 = new FlowMatchEulerScheduler(4, 12);
        Assert.Equal(shift5.Sigmas, euler.Sigmas);
        Assert.NotEqual(shift12.Sigmas, euler.Sigmas);
        using var unipc = FlowSchedulers.Create(Core.Requests.Sampler.UniPC, 6, shift: 12);
        // The pipeline case's schedule (README "Pipeline case").
        Assert.Equal(new double[] { 999, 983, 959, 922, 856, 705 }, unipc.Timesteps);
    }

    private void CheckIntermediates(IFlowScheduler scheduler, Dictionary<string, Tensor> intermediates, JsonElement caseJson, int step)
    {
        Tensor? x0 = scheduler switch
        {
            FlowUniPcScheduler u => u.LastX0Prediction,
            FlowDpmSolverScheduler d => d.LastX0Prediction,
            _ => null,
        };
        if (x0 is not null && intermediates.TryGetValue("x0_pred", out var expectedX0))
        {
            double error = CaseFiles.RelativeL2(x0, expectedX0[step]);
            Assert.True(error <= CaseFiles.Tolerance(caseJson, "x0_pred", 1e-5), $"x0_pred step {step}: {error:E3}");
        }

        if (scheduler is FlowUniPcScheduler uni && intermediates.TryGetValue("corrected_sample", out var expectedCorrected))
        {
            double error = CaseFiles.RelativeL2(uni.LastCorrectedSample!, expectedCorrected[step]);
            Assert.True(error <= CaseFiles.Tolerance(caseJson, "corrected_sample", 1e-5), $"corrected_sample step {step}: {error:E3}");
        }
    }

    /// <summary>Builds the sampler exactly as the case's constructor/set_timesteps call describes.</summary>
    private static IFlowScheduler Build(JsonElement caseJson)
    {
        int steps = caseJson.GetProperty("steps").GetInt32();
        double shift = caseJson.GetProperty("shift").GetDouble();
        double constructorShift = caseJson.GetProperty("constructor_kwargs").GetProperty("shift").GetDouble();
        return caseJson.GetProperty("sampler_name").GetString() switch
        {
            "Flow_Unipc" => new FlowUniPcScheduler(steps, shift),
            "Flow_DPM++" => new FlowDpmSolverScheduler(steps, shift),
            "Flow" => new FlowMatchEulerScheduler(steps, constructorShift),
            var other => throw new InvalidOperationException($"Unknown sampler {other}"),
        };
    }
}
