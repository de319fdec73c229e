using Reframe.Core.Requests;
using Reframe.Wan.Pipelines;
using Reframe.Wan.Tests.Parity;
using Reframe.Wan.Tests.Transformer;
using TorchSharp;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Pipelines;

/// <summary>
/// Nothing leaks across denoising steps: the number of live tensors on this thread is the same after every step,
/// and a whole loop leaves exactly its result behind.
/// </summary>
public class PipelineLifetimeTests
{
    [Fact]
    public void Denoise_KeepsLiveTensorCountConstant_AcrossSteps()
    {
        var caseDirectory = FirstPipelineCase();
        using var high = TransformerParityTests.LoadModel(Path.Combine(caseDirectory, "high_noise_model"));
        using var low = TransformerParityTests.LoadModel(Path.Combine(caseDirectory, "low_noise_model"));
        using var latents = randn([1, 16, 3, 6, 8]);
        using var vaceContext = randn([96, 3, 6, 8]);
        using var prompt = randn([9, 32]);
        using var negative = randn([14, 32]);
        var pipeline = new ReframePipeline(new ResidentExpertSource(high, low), new LoopOnlyVae());
        var settings = new SamplingSettings(Steps: 6, GuidanceScale: 5, Shift: 12, Sampler.UniPC);

        // A first run lets each expert build what it keeps for the grid (its RoPE tables); then nothing may grow.
        pipeline.Denoise(latents, vaceContext, prompt, negative, settings, null, CancellationToken.None).Dispose();
        var liveAfterStep = new List<long>();
        long before = LiveTensors();
        var result = pipeline.Denoise(latents, vaceContext, prompt, negative, settings,
            new SynchronousProgress<DenoiseProgress>(_ => liveAfterStep.Add(LiveTensors())), CancellationToken.None);
        long after = LiveTensors();
        result.Dispose();

        Assert.Equal(6, liveAfterStep.Count);
        // Steps 2..6 hold the same set (the sampler's two-step history is full from step 2 on).
        Assert.All(liveAfterStep.Skip(2), count => Assert.Equal(liveAfterStep[1], count));
        Assert.Equal(before + 1, after);
        Assert.Equal(before, LiveTensors());
    }

    [Fact]
    public void Denoise_StopsBetweenSteps_WhenCancelled()
    {
        var caseDirectory = FirstPipelineCase();
        using var high = TransformerParityTests.LoadModel(Path.Combine(caseDirectory, "high_noise_model"));
        using var low = TransformerParityTests.LoadModel(Path.Combine(caseDirectory, "low_noise_model"));
        using var scope = NewDisposeScope();
        using var cancellation = new CancellationTokenSource();
        var steps = new List<int>();
        var pipeline = new ReframePipeline(new ResidentExpertSource(high, low), new LoopOnlyVae());
        var progress = new SynchronousProgress<DenoiseProgress>(p =>
        {
            steps.Add(p.Step);
            if (p.Step == 2)
            {
                cancellation.Cancel();
            }
        });

        Assert.Throws<OperationCanceledException>(() => pipeline.Denoise(randn([1, 16, 3, 6, 8]), randn([96, 3, 6, 8]), randn([9, 32]), randn([14, 32]),
            new SamplingSettings(6, 5, 12, Sampler.UniPC), progress, cancellation.Token));
        Assert.Equal([1, 2], steps);
    }

    private static string FirstPipelineCase() =>
        ParityKit.Path(ParityKit.CaseIds("pipeline").First().Split('/'));

    private static long LiveTensors()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return DisposeScopeManager.Statistics.ThreadTotalLiveCount;
    }
}
