using System.Text.Json;
using Reframe.Wan.Checkpoints;
using Reframe.Wan.Modules;
using Reframe.Wan.Pipelines;
using Reframe.Wan.Runtime;
using Reframe.Wan.Text;
using Reframe.Wan.Transformer;
using Reframe.Wan.Vae;
using static TorchSharp.torch;

namespace Reframe.Bench.Gpu;

/// <summary>
/// The tiny parity cases (transformer, VAE encode/decode, UMT5, the two-expert loop) on a device, in float32 (TF32 off:
/// must meet each case's own tolerance) and in bf16 (reported against a bf16 bound, as CPU bf16 runs are). Prints one
/// line per case and dtype; exit status 1 when a float32 case misses its tolerance.
/// </summary>
internal static class ParityCheck
{
    /// <summary>What a correct bf16 run lands at (8 bits of mantissa through a few layers); kernels that are wrong land at 0.3+.</summary>
    private const double Bf16Bound = 0.05;

    public static int Run(string kit, string deviceName, TextWriter output)
    {
        var device = new Device(deviceName);
        backends.cuda.matmul.allow_tf32 = false;
        backends.cudnn.allow_tf32 = false;
        int failures = 0;
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.BFloat16 })
        {
            foreach (var (kind, caseDir) in Cases(kit))
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(caseDir, "case.json"))).RootElement;
                try
                {
                    var (name, actual, expected, tolerance) = kind switch
                    {
                        "transformer" => Transformer(caseDir, json, device, dtype),
                        "vae" => Vae(caseDir, json, device, dtype),
                        "t5" => Text(caseDir, json, device, dtype),
                        _ => Loop(caseDir, json, device, dtype),
                    };
                    double error = RelativeL2(actual, expected);
                    double limit = dtype == ScalarType.Float32 ? tolerance : Bf16Bound;
                    bool ok = error <= limit;
                    failures += ok ? 0 : 1;
                    output.WriteLine($"{(ok ? "ok  " : "FAIL")} {dtype,-9} {kind}/{Path.GetFileName(caseDir)} {name}: rel-L2 {error:E2} (limit {limit:E0})");
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    failures++;
                    output.WriteLine($"FAIL {dtype,-9} {kind}/{Path.GetFileName(caseDir)}: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
                }
            }
        }

        output.WriteLine(failures == 0 ? "parity: every case within its limit" : $"parity: {failures} case(s) outside their limit");
        return failures == 0 ? 0 : 1;
    }

    private static IEnumerable<(string Kind, string Directory)> Cases(string kit)
    {
        foreach (var kind in new[] { "transformer", "vae", "t5", "pipeline" })
        {
            var root = Path.Combine(kit, kind);
            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (var folder in Directory.GetDirectories(root).Order(StringComparer.Ordinal).Where(f => File.Exists(Path.Combine(f, "case.json"))))
            {
                yield return (kind, folder);
            }
        }
    }

    private static (string, Tensor, Tensor, double) Transformer(string dir, JsonElement json, Device device, ScalarType dtype)
    {
        var weights = Path.GetFullPath(Path.Combine(dir, json.GetProperty("weights").GetProperty("folder").GetString()!));
        using var model = ExpertCheckpoint.Load(weights, new ModuleInit(dtype, device));
        var inputs = Load(dir, "inputs.safetensors");
        var contexts = inputs.Keys.Where(k => k.StartsWith("context_", StringComparison.Ordinal)).Order(StringComparer.Ordinal).Select(k => inputs[k].to(device)).ToList();
        double scale = json.GetProperty("call").GetProperty("vace_context_scale").GetDouble();
        var output = model.Forward(inputs["x"].to(device), inputs["t"].to(device), inputs["vace_context"].to(device), contexts, scale);
        return ("out", output, Load(dir, "outputs.safetensors")["out"], Tolerance(json, "out"));
    }

    private static (string, Tensor, Tensor, double) Vae(string dir, JsonElement json, Device device, ScalarType dtype)
    {
        var weights = json.GetProperty("weights");
        var file = Path.Combine(dir, weights.GetProperty("folder").GetString()!, weights.GetProperty("loaded_from").GetString()!);
        int dim;
        using (var checkpoint = CheckpointFiles.Open(file))
        {
            dim = (int)checkpoint.Tensors["encoder.conv1.weight"].Shape[0];
        }

        using var vae = WanVae.Load(file, WanVaeConfig.Wan21 with { Dim = dim }, new WanRuntime(device, dtype, false));
        var inputs = Load(dir, "inputs.safetensors");
        var outputs = Load(dir, "outputs.safetensors");
        return inputs.ContainsKey("video")
            ? ("latents", vae.Encode(inputs["video"].to(device)), outputs["latents"], Tolerance(json, "latents"))
            : ("decoded_unclamped", vae.DecodeUnclamped(inputs["latents"].to(device)), outputs["decoded_unclamped"], Tolerance(json, "decoded_unclamped"));
    }

    private static (string, Tensor, Tensor, double) Text(string dir, JsonElement json, Device device, ScalarType dtype)
    {
        var weights = json.GetProperty("weights");
        var folder = Path.Combine(dir, weights.GetProperty("folder").GetString()!);
        var file = Path.Combine(folder, weights.TryGetProperty("loaded_from", out var from) ? from.GetString()! : weights.GetProperty("files")[0].GetString()!);
        using var checkpoint = CheckpointFiles.Open(file);
        using var encoder = new Umt5Encoder(Umt5Config.FromCheckpoint(checkpoint), new ModuleInit(dtype, device));
        StrictStateDictLoader.Load(encoder, checkpoint, file);
        var inputs = Load(dir, "inputs.safetensors");
        var hidden = encoder.forward(inputs["input_ids"].to(ScalarType.Int64).to(device), inputs["attention_mask"].to(ScalarType.Int64).to(device));
        return ("last_hidden_state", hidden, Load(dir, "outputs.safetensors")["last_hidden_state"], Tolerance(json, "last_hidden_state", 1e-5));
    }

    private static (string, Tensor, Tensor, double) Loop(string dir, JsonElement json, Device device, ScalarType dtype)
    {
        var experts = json.GetProperty("experts");
        using var high = ExpertCheckpoint.Load(Path.Combine(dir, experts.GetProperty("high_noise_model").GetProperty("folder").GetString()!), new ModuleInit(dtype, device));
        using var low = ExpertCheckpoint.Load(Path.Combine(dir, experts.GetProperty("low_noise_model").GetProperty("folder").GetString()!), new ModuleInit(dtype, device));
        var spec = json.GetProperty("generator_spec");
        var settings = new SamplingSettings(spec.GetProperty("steps").GetInt32(), spec.GetProperty("guidance").GetDouble(),
            spec.GetProperty("shift").GetDouble(), Reframe.Core.Requests.Sampler.UniPC, spec.GetProperty("scale").GetDouble());
        var inputs = Load(dir, "inputs.safetensors");
        var intermediates = Load(dir, "intermediates.safetensors");
        var pipeline = new ReframePipeline(new ResidentExpertSource(high, low), new NoVae());
        var final = pipeline.Denoise(inputs["initial_latents"].to(device), intermediates["vace_context"].to(device),
            inputs["prompt_embeds"].to(device), inputs["negative_prompt_embeds"].to(device), settings, null, CancellationToken.None);
        return ("final_latents", final, Load(dir, "outputs.safetensors")["final_latents"], Tolerance(json, "final_latents", 2e-4));
    }

    private static Dictionary<string, Tensor> Load(string dir, string file)
    {
        using var reader = CheckpointFiles.Open(Path.Combine(dir, file));
        return reader.Tensors.Keys.ToDictionary(k => k, k => reader.ReadTensor(k, ScalarType.Float32));
    }

    private static double Tolerance(JsonElement json, string name, double fallback = 1e-4) =>
        json.TryGetProperty("tolerance", out var t) && t.ValueKind == JsonValueKind.Object && t.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetDouble()
            : fallback;

    private static double RelativeL2(Tensor actual, Tensor expected)
    {
        using var a = actual.to(ScalarType.Float64).cpu();
        using var e = expected.to(ScalarType.Float64).cpu();
        return (a - e).norm().item<double>() / e.norm().item<double>();
    }

    private sealed class NoVae : IWanVae
    {
        public Tensor Encode(Tensor video) => throw new InvalidOperationException("the loop must not encode");
        public Tensor Decode(Tensor latents) => throw new InvalidOperationException("the loop must not decode");
    }
}
