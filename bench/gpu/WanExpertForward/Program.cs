using System.Diagnostics;
using Reframe.Wan.Transformer;
using static TorchSharp.torch;

// One forward of a FULL-SIZE Wan2.2-VACE-Fun-A14B expert (random bf16 weights) at 832x480, 81 frames:
// latent [1, 16, 21, 60, 104] -> 21 x 30 x 52 = 32,760 tokens, 512 text rows. Prints seconds per forward and the
// achieved rate against the 2.03 PFLOP per forward of shared/wan/ARCHITECTURE.md section 8.2.
const double FlopPerForward = 2.030e15;
int repeats = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 3;

if (!cuda.is_available())
{
    Console.Error.WriteLine("CUDA is not available: build with -p:WanTorchBackend=cuda on a GPU machine.");
    return 1;
}

var device = CUDA;
using var noGrad = no_grad();
var build = Stopwatch.StartNew();
// nn.Linear/Conv3d initialise their weights randomly (Kaiming uniform) on construction: random bf16 weights.
using var expert = new VaceWanTransformer(WanTransformerConfig.A14B, device, ScalarType.BFloat16);
expert.eval();
cuda.synchronize();
long parameters = expert.parameters().Sum(p => p.numel());
Console.WriteLine($"built expert: {parameters:N0} parameters (bf16) in {build.Elapsed.TotalSeconds:F1} s");

var generator = new Generator(0, device);
var x = randn([1, 16, 21, 60, 104], dtype: ScalarType.BFloat16, device: device, generator: generator);
var vace = randn([1, 96, 21, 60, 104], dtype: ScalarType.BFloat16, device: device, generator: generator);
var context = randn([512, 4096], dtype: ScalarType.BFloat16, device: device, generator: generator);
var t = tensor(new[] { 999.0 });

void Forward()
{
    using var scope = NewDisposeScope();
    _ = expert.Forward(x, t, vace, [context], 1.0);
    cuda.synchronize();
}

var warm = Stopwatch.StartNew();
Forward();
Console.WriteLine($"warm-up forward: {warm.Elapsed.TotalSeconds:F2} s");

var seconds = new List<double>();
for (int i = 0; i < repeats; i++)
{
    var timer = Stopwatch.StartNew();
    Forward();
    seconds.Add(timer.Elapsed.TotalSeconds);
}

double best = seconds.Min(), mean = seconds.Average();
Console.WriteLine($"forward at 832x480x81 (L = 32,760), batch 1: best {best:F2} s, mean {mean:F2} s over {repeats}");
Console.WriteLine($"achieved: {FlopPerForward / best / 1e12:F0} TFLOP/s (best), {FlopPerForward / mean / 1e12:F0} TFLOP/s (mean) against 2.03 PFLOP per forward");
Console.WriteLine($"per CFG denoising step (2 forwards): {2 * mean:F2} s; 30 steps: {60 * mean / 60:F1} min");
return 0;
