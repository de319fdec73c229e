using System.Globalization;
using Reframe.Wan.Engine;

namespace Reframe.Bench.Wan;

/// <summary>
/// Expected minutes per task of the real model on one H100 (<see cref="WanCostModel"/>: the FLOP count of
/// ../shared/wan/ARCHITECTURE.md at the specification's sustained rates), for the clip lengths and tiers users ask
/// for, with the default sliding windows (81 frames, 16 overlapping) against one pass over the whole clip.
/// </summary>
internal static class CostModelScenario
{
    public const string Name = "cost-model";

    public static void Run(TextWriter output)
    {
        var rates = WanCostModel.Rates.H100;
        output.WriteLine("expected minutes per task on one H100 (bf16 GEMM 700 TFLOP/s, attention 450, convolutions 350), 30 steps with CFG");
        output.WriteLine("| frames | tier (canvas) | windows | minutes (windows of 81) | minutes (one pass) |");
        output.WriteLine("| --- | --- | --- | --- | --- |");
        foreach (int frames in new[] { 81, 161, 241 })
        {
            foreach (var (tier, width, height) in new[] { ("480p", 832, 480), ("580p", 1024, 576), ("720p", 1280, 720) })
            {
                int windows = Reframe.Wan.Pipelines.SlidingWindows.Plan(frames, 81, 16).Count;
                double windowed = WanCostModel.TaskSeconds(frames, width, height, 30, true, rates) / 60;
                double onePass = WanCostModel.TaskSeconds(frames, width, height, 30, true, rates, windowFrames: 241, windowOverlap: 0) / 60;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {frames} | {tier} ({width}x{height}) | {windows} | {windowed:F1} | {onePass:F1} |"));
            }
        }
    }
}
