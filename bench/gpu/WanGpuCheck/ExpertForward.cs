using System.Diagnostics;
using System.Globalization;
using Reframe.Wan.Checkpoints;
using Reframe.Wan.Modules;
using Reframe.Wan.Transformer;
using static TorchSharp.torch;

namespace Reframe.Bench.Gpu;

/// <summary>
/// One forward of a FULL-SIZE Wan2.2-VACE-Fun-A14B expert (random bf16 weights) at 832x480, 81 frames:
/// latent [1, 16, 21, 60, 104] -> 21 x 30 x 52 = 32,760 tokens, 512 text rows; seconds per forward and the rate
/// against ../shared/wan/ARCHITECTURE.md's 2.03 PFLOP per forward. The same inputs go to wan_expert_forward.py (plain
/// PyTorch) in the same run. With <c>--tiny WEIGHTS CASE</c> it runs the tiny parity expert on a parity case instead
/// and writes its output, so the Python forward can be compared with ours on the CPU before any GPU is lent.
/// </summary>
internal static class ExpertForward
{
    private const double FlopPerForward = 2.030e15;

    public static int Run(string[] args, TextWriter output)
    {
        var device = new Device(args[0]);
        int repeats = args.Length > 1 && int.TryParse(args[1], CultureInfo.InvariantCulture, out int r) ? r : 3;
        int tiny = Array.IndexOf(args, "--tiny");
        using var noGrad = no_grad();
        return tiny >= 0 ? Tiny(args[tiny + 1], args[tiny + 2], args[tiny + 3], device, output) : Full(device, repeats, output);
    }

    private static int Full(Device device, int repeats, TextWriter output)
    {
        backends.cuda.matmul.allow_tf32 = false;
        var build = Stopwatch.StartNew();
        // nn.Linear/Conv3d initialise their weights randomly (Kaiming uniform) on construction: random bf16 weights.
        using var expert = new VaceWanTransformer(WanTransformerConfig.A14B, new ModuleInit(ScalarType.BFloat16, device));
        expert.eval();
        Synchronize(device);
        long parameters = expert.parameters().Sum(p => p.numel());
        output.WriteLine($"ours: built the expert, {parameters:N0} parameters (bf16), in {build.Elapsed.TotalSeconds:F1} s");

        using var generator = new Generator(0, device);
        var x = randn([1, 16, 21, 60, 104], dtype: ScalarType.BFloat16, device: device, generator: generator);
        var vace = randn([1, 96, 21, 60, 104], dtype: ScalarType.BFloat16, device: device, generator: generator);
        var context = randn([512, 4096], dtype: ScalarType.BFloat16, device: device, generator: generator);
        var t = tensor(new[] { 999.0 });

        var seconds = new List<double>();
        for (int i = 0; i <= repeats; i++)
        {
            using var scope = NewDisposeScope();
            var timer = Stopwatch.StartNew();
            _ = expert.Forward(x, t, vace, [context], 1.0);
            Synchronize(device);
            if (i > 0)
            {
                seconds.Add(timer.Elapsed.TotalSeconds); // the first is a warm-up
            }
        }

        double best = seconds.Min(), mean = seconds.Average();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ours: forward at 832x480x81 (L = 32,760), batch 1: best {best:F3} s, mean {mean:F3} s over {repeats}; {FlopPerForward / best / 1e12:F0} TFLOP/s (best) of 2.03 PFLOP"));
        return 0;
    }

    private static int Tiny(string weights, string caseDir, string outputFile, Device device, TextWriter output)
    {
        using var model = ExpertCheckpoint.Load(weights, new ModuleInit(ScalarType.Float32, device));
        using var inputs = CheckpointFiles.Open(Path.Combine(caseDir, "inputs.safetensors"));
        Tensor Input(string name) => inputs.ReadTensor(name, ScalarType.Float32).to(device);
        var contexts = inputs.Tensors.Keys.Where(k => k.StartsWith("context_", StringComparison.Ordinal)).Order(StringComparer.Ordinal).Select(Input).ToList();
        double scale = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(caseDir, "case.json")))
            .RootElement.GetProperty("call").GetProperty("vace_context_scale").GetDouble();
        var result = model.Forward(Input("x"), Input("t"), Input("vace_context"), contexts, scale);
        SafetensorsWriter.WriteFloat32(outputFile, new Dictionary<string, Tensor> { ["out"] = result });
        output.WriteLine($"ours: tiny expert forward written to {outputFile}");
        return 0;
    }

    private static void Synchronize(Device device)
    {
        if (device.type == TorchSharp.DeviceType.CUDA)
        {
            cuda.synchronize();
        }
    }
}
