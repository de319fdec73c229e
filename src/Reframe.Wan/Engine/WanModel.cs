using Microsoft.Extensions.Logging;
using Reframe.Wan.Checkpoints;
using Reframe.Wan.Modules;
using Reframe.Wan.Pipelines;
using Reframe.Wan.Runtime;
using Reframe.Wan.Text;
using Reframe.Wan.Transformer;
using Reframe.Wan.Vae;
using static TorchSharp.torch;

namespace Reframe.Wan.Engine;

/// <summary>
/// The whole model, loaded once per process and reused by every task: tokenizer + UMT5, the VAE and both experts,
/// placed by an <see cref="OffloadPlan"/>. <see cref="Load"/> first checks every file against the module it must
/// fill (names and shapes, built on the <c>meta</c> device: no memory), naming every missing or wrong file in one
/// <see cref="WanModelException"/>, then streams the weights in. Each checkpoint file is opened exactly once.
/// </summary>
public sealed class WanModel : IDisposable
{
    private readonly VaceWanTransformer _highNoise;
    private readonly VaceWanTransformer _lowNoise;
    private readonly WanVaeAdapter _vae;

    private WanModel(WanRuntime runtime, OffloadPlan plan, Umt5PromptEncoder text, WanVaeAdapter vae,
        VaceWanTransformer highNoise, VaceWanTransformer lowNoise, int textLength, double loadSeconds)
    {
        Runtime = runtime;
        Plan = plan;
        Text = text;
        _vae = vae;
        _highNoise = highNoise;
        _lowNoise = lowNoise;
        TextLength = textLength;
        LoadSeconds = loadSeconds;
        Experts = plan.Mode switch
        {
            _ when plan.DeviceBytes is null => new ResidentExpertSource(highNoise, lowNoise),
            OffloadMode.None => new ResidentExpertSource(highNoise, lowNoise),
            OffloadMode.Model => new HostSwappedExpertSource(highNoise, lowNoise, runtime.Device),
            _ => new BlockStreamedExpertSource(highNoise, lowNoise, runtime.Device),
        };
    }

    public WanRuntime Runtime { get; }

    public OffloadPlan Plan { get; }

    /// <summary>Tokenizer + UMT5, resident.</summary>
    public Umt5PromptEncoder Text { get; }

    public IWanVae Vae => _vae;

    /// <summary>The experts, behind the plan's residency policy.</summary>
    public IExpertSource Experts { get; }

    /// <summary>The experts' <c>text_len</c> (512 for the real model): the tokenizer length.</summary>
    public int TextLength { get; }

    /// <summary>Seconds the start-up load took.</summary>
    public double LoadSeconds { get; }

    /// <summary>Seconds spent moving weights between host and device so far (0 when everything stays resident).</summary>
    public double TransferSeconds => Text.TransferSeconds + Experts.TransferSeconds;

    /// <summary>
    /// Checks and loads a model folder for a runtime. <paramref name="offload"/> null chooses from the device's
    /// memory. <paramref name="open"/> opens a checkpoint (tests count the calls); it defaults to
    /// <see cref="CheckpointFiles.Open"/>.
    /// </summary>
    public static WanModel Load(WanModelLayout layout, WanRuntime runtime, OffloadMode? offload, ILogger log,
        Func<string, ICheckpointReader>? open = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(log);
        open ??= CheckpointFiles.Open;
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var files = ModelFiles.OpenAndCheck(layout, open);

        int elementBytes = runtime.DType == ScalarType.Float32 ? 4 : 2;
        long highBytes = files.HighNoise.Parameters * elementBytes, lowBytes = files.LowNoise.Parameters * elementBytes;
        long textBytes = files.TextParameters * elementBytes, vaeBytes = files.VaeParameters * elementBytes;
        long? deviceBytes = runtime.IsCuda ? DeviceMemoryProbe.TotalBytes(runtime.Device) : null;
        var mode = offload ?? OffloadPlan.Choose(Math.Max(highBytes, lowBytes), textBytes, vaeBytes, deviceBytes);
        var plan = OffloadPlan.For(mode, runtime.Device.ToString(), deviceBytes, highBytes, lowBytes, textBytes, vaeBytes);
        log.LogInformation("Wan weights: {Plan}", plan.Describe());
        foreach (long gpu in new[] { 80L * 1000 * 1000 * 1000, 141L * 1000 * 1000 * 1000 })
        {
            log.LogInformation("Wan weights, for comparison, the real model in bf16 on a {Gb} GB GPU: {Plan}", gpu / 1_000_000_000, OffloadPlan.ForRealWeights(gpu).Describe());
        }

        bool hostHome = deviceBytes is not null && mode != OffloadMode.None;
        var expertInit = new ModuleInit(runtime.DType, hostHome ? CPU : runtime.Device); // where the experts live
        var modules = new List<IDisposable>();
        try
        {
            var vae = new WanVaeAdapter(WanVae.Load(files.Vae, files.VaePath, files.VaeConfig, runtime).OwnWeights());
            modules.Add(vae);
            var text = Umt5PromptEncoder.Load(layout.TokenizerDirectory, files.TextEncoder, layout.TextEncoderPath, runtime.Device, runtime.DType,
                hostHome ? CPU : runtime.Device);
            modules.Add(text);
            var high = ExpertCheckpoint.Load(files.HighNoise.Config, files.HighNoise.Reader, layout.HighNoiseDirectory, expertInit);
            modules.Add(high);
            var low = ExpertCheckpoint.Load(files.LowNoise.Config, files.LowNoise.Reader, layout.LowNoiseDirectory, expertInit);
            modules.Add(low);
            double seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
            log.LogInformation("Wan weights loaded in {Seconds:F1} s from {Directory}", seconds, layout.ModelDirectory);
            return new WanModel(runtime, plan, text, vae, high, low, files.HighNoise.Config.TextLen, seconds);
        }
        catch
        {
            foreach (var module in modules)
            {
                module.Dispose();
            }

            throw;
        }
    }

    public void Dispose()
    {
        Experts.Dispose();
        _highNoise.Dispose();
        _lowNoise.Dispose();
        Text.Dispose();
        _vae.Dispose();
    }

    /// <summary>Every checkpoint of the folder, opened once and checked against its module before anything loads.</summary>
    private sealed class ModelFiles : IDisposable
    {
        private readonly List<ICheckpointReader> _open = [];

        public required ExpertFiles HighNoise { get; init; }
        public required ExpertFiles LowNoise { get; init; }
        public required ICheckpointReader TextEncoder { get; init; }
        public required long TextParameters { get; init; }
        public required ICheckpointReader Vae { get; init; }
        public required string VaePath { get; init; }
        public required WanVaeConfig VaeConfig { get; init; }
        public required long VaeParameters { get; init; }

        public static ModelFiles OpenAndCheck(WanModelLayout layout, Func<string, ICheckpointReader> open)
        {
            var problems = layout.FindMissing().Select(item => $"missing: {item}").ToList();
            if (problems.Count > 0)
            {
                throw new WanModelException(layout.ModelDirectory, problems);
            }

            var opened = new List<ICheckpointReader>();
            try
            {
                var high = Expert(layout, ExpertKind.HighNoise, open, opened, problems);
                var low = Expert(layout, ExpertKind.LowNoise, open, opened, problems);
                var text = Check(WanModelLayout.TextEncoderFile, layout.TextEncoderPath, open, opened, problems,
                    reader => new Umt5Encoder(Umt5Config.FromCheckpoint(reader), ModuleInit.Meta));
                WanVaeConfig? vaeConfig = null;
                var vae = Check(Path.GetFileName(layout.VaePath), layout.VaePath, open, opened, problems, reader =>
                {
                    vaeConfig = WanVaeConfig.Wan21 with { Dim = (int)reader.Tensors["encoder.conv1.weight"].Shape[0] };
                    return new WanVae(vaeConfig, ModuleInit.Meta);
                });
                TokenizerProblem(layout, problems);
                if (problems.Count > 0 || high is null || low is null || text is null || vae is null || vaeConfig is null)
                {
                    throw new WanModelException(layout.ModelDirectory, problems);
                }

                if (high.Value.Config.TextDim != text.Value.Width || low.Value.Config.TextDim != text.Value.Width)
                {
                    throw new WanModelException(layout.ModelDirectory,
                        [$"the experts read {high.Value.Config.TextDim}-wide text but {WanModelLayout.TextEncoderFile} writes {text.Value.Width}-wide embeddings"]);
                }

                var files = new ModelFiles
                {
                    HighNoise = high.Value, LowNoise = low.Value,
                    TextEncoder = text.Value.Reader, TextParameters = text.Value.Parameters,
                    Vae = vae.Value.Reader, VaePath = layout.VaePath, VaeConfig = vaeConfig, VaeParameters = vae.Value.Parameters,
                };
                files._open.AddRange(opened);
                return files;
            }
            catch
            {
                foreach (var reader in opened)
                {
                    reader.Dispose();
                }

                throw;
            }
        }

        private static ExpertFiles? Expert(WanModelLayout layout, ExpertKind kind, Func<string, ICheckpointReader> open,
            List<ICheckpointReader> opened, List<string> problems)
        {
            string directory = layout.ExpertDirectory(kind), folder = Path.GetFileName(directory);
            WanTransformerConfig config;
            try
            {
                config = WanTransformerConfig.Load(Path.Combine(directory, "config.json"));
            }
            catch (Exception e) when (e is IOException or System.Text.Json.JsonException or ArgumentException or InvalidDataException or InvalidOperationException)
            {
                problems.Add($"{folder}/config.json: {e.Message}");
                return null;
            }

            var checkedFile = Check($"{folder}/diffusion_pytorch_model*.safetensors", directory, open, opened, problems,
                _ => new VaceWanTransformer(config, ModuleInit.Meta));
            return checkedFile is { } c ? new ExpertFiles(config, c.Reader, c.Parameters) : null;
        }

        /// <summary>Opens one checkpoint and compares it with its module built on the meta device.</summary>
        private static (ICheckpointReader Reader, long Parameters, int Width)? Check(string name, string path,
            Func<string, ICheckpointReader> open, List<ICheckpointReader> opened, List<string> problems,
            Func<ICheckpointReader, nn.Module> skeleton)
        {
            ICheckpointReader reader;
            try
            {
                reader = open(path);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or UnauthorizedAccessException)
            {
                problems.Add($"{name}: unreadable ({e.Message})");
                return null;
            }

            opened.Add(reader);
            try
            {
                using var module = skeleton(reader);
                var mismatch = StrictStateDictLoader.Compare(module, reader);
                if (!mismatch.IsEmpty)
                {
                    problems.Add($"{name}: {mismatch.Describe(limit: 8)}");
                    return null;
                }

                long parameters = StrictStateDictLoader.Keys(module).Sum(k => k.Shape.Aggregate(1L, (a, b) => a * b));
                int width = reader.Tensors.TryGetValue("token_embedding.weight", out var embedding) ? (int)embedding.Shape[1] : 0;
                return (reader, parameters, width);
            }
            catch (Exception e) when (e is InvalidDataException or KeyNotFoundException or ArgumentException or InvalidOperationException)
            {
                problems.Add($"{name}: not the expected model ({e.Message})");
                return null;
            }
        }

        private static void TokenizerProblem(WanModelLayout layout, List<string> problems)
        {
            try
            {
                _ = UmT5Tokenizer.FromFolder(layout.TokenizerDirectory);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or InvalidOperationException)
            {
                problems.Add($"{WanModelLayout.TokenizerFolder}/spiece.model: unreadable ({e.Message})");
            }
        }

        public void Dispose()
        {
            foreach (var reader in _open)
            {
                reader.Dispose();
            }
        }
    }

    private readonly record struct ExpertFiles(WanTransformerConfig Config, ICheckpointReader Reader, long Parameters);
}
