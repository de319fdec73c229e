using Reframe.Wan.Modules;
using Reframe.Wan.Tests.Parity;
using Reframe.Wan.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Text;

public class Umt5EncoderTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly Umt5Config Tiny = new(Vocab: 50, Dim: 16, DimAttn: 32, DimFfn: 24, NumHeads: 2, NumLayers: 2, NumBuckets: 32);

    [Theory]
    [InlineData(1, 17)]
    [InlineData(7, 23)]
    [InlineData(8, 24)]
    [InlineData(11, 24)]
    [InlineData(12, 25)]
    [InlineData(15, 25)]
    [InlineData(16, 26)]
    [InlineData(22, 26)]
    [InlineData(23, 27)]
    [InlineData(31, 27)]
    [InlineData(32, 28)]
    [InlineData(45, 28)]
    [InlineData(46, 29)]
    [InlineData(63, 29)]
    [InlineData(64, 30)]
    [InlineData(90, 30)]
    [InlineData(91, 31)]
    [InlineData(599, 31)]
    public void Buckets_FollowTheLogSpacedTable_ForEveryDistance(int distance, int keyAfterQueryBucket)
    {
        // Key after the query: +16; key before: the same bucket without the offset; distance 0 -> bucket 0.
        using var embedding = new T5RelativeEmbedding(32, 2, ModuleInit.CpuFloat32);
        using var buckets = embedding.Buckets(600, 600); // [Lq, Lk]
        Assert.Equal(keyAfterQueryBucket, buckets[0, distance].item<long>());
        Assert.Equal(keyAfterQueryBucket - 16, buckets[distance, 0].item<long>());
        Assert.Equal(0, buckets[distance, distance].item<long>());
    }

    [Theory]
    [InlineData(T5AttentionKernel.Fused)]
    [InlineData(T5AttentionKernel.Explicit)]
    public void Forward_GivesTheSameRealRows_WhetherOrNotThePromptIsPadded(T5AttentionKernel kernel)
    {
        // Masked keys get zero softmax weight and the bias depends only on offsets, so padding must not
        // change the real tokens' outputs (the reference's own equivalence; breaks if the mask is ignored).
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(3);
        using var encoder = new Umt5Encoder(Tiny, ModuleInit.CpuFloat32);
        foreach (var (_, p) in encoder.named_parameters())
        {
            p.normal_();
        }
        encoder.SetAttentionKernel(kernel);
        var ids = tensor(new long[] { 5, 9, 13, 1 }, [1, 4]);
        var padded = tensor(new long[] { 5, 9, 13, 1, 0, 0, 0 }, [1, 7]);
        var paddedMask = tensor(new long[] { 1, 1, 1, 1, 0, 0, 0 }, [1, 7]);
        var alone = encoder.forward(ids, ones_like(ids));             // [1, 4, 16]
        var withPadding = encoder.forward(padded, paddedMask)[.., ..4]; // [1, 4, 16]
        Assert.True(ParityKit.RelativeL2(withPadding, alone) < 1e-6);
        var unmasked = encoder.forward(padded, ones_like(padded))[.., ..4];
        Assert.True(ParityKit.RelativeL2(unmasked, alone) > 1e-3, "ignoring the mask must change the result");
    }

    [Fact]
    public void Config_RejectsUnknownKeys_WhenReadFromJson()
    {
        using var json = System.Text.Json.JsonDocument.Parse("""{"vocab":10,"dim":8,"dim_attn":8,"dim_ffn":8,"num_heads":2,"num_layers":1,"num_buckets":32,"shared_pos":false,"dropout":0.0,"extra":1}""");
        var error = Assert.Throws<InvalidDataException>(() => Umt5Config.FromJson(json.RootElement));
        Assert.Contains("extra", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromFiles_NamesTheMismatchedKeys_WhenConfigDoesNotFitTheCheckpoint()
    {
        string folder = ParityKit.Path("t5", "weights_tiny_a");
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "config.json")));
        var config = Umt5Config.FromJson(json.RootElement.GetProperty("additional_kwargs"));
        var error = Assert.Throws<Reframe.Wan.Checkpoints.CheckpointMismatchException>(() => Umt5TextEncoder.FromFiles(
            ParityKit.Path("tokenizer", "tiny_umt5_v1000"), Path.Combine(folder, "t5_encoder.safetensors"),
            config with { NumLayers = config.NumLayers - 1, DimFfn = config.DimFfn * 2 },
            Reframe.Wan.Runtime.WanRuntime.CpuFloat32));
        Assert.Contains($"blocks.{config.NumLayers - 1}.", error.Message, StringComparison.Ordinal);
        Assert.Contains("ffn.fc1.weight", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forward_RunsInBFloat16_CloseToTheFloat32Reference()
    {
        // The real encoder runs in bf16: built directly in that dtype, loaded by the strict loader (which
        // converts), normalised in float32 inside T5LayerNorm, softmax in float32. Not a parity limit (the kit
        // covers float32 only): a check that the bf16 path runs and stays within bf16 rounding of the reference.
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var parityCase = ParityKit.Load("t5/tiny_a_b2_len32");
        string folder = ParityKit.Path("t5", "weights_tiny_a");
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "config.json")));
        var config = Umt5Config.FromJson(json.RootElement.GetProperty("additional_kwargs"));
        using var encoder = new Umt5Encoder(config, new ModuleInit(bfloat16, CPU));
        Reframe.Wan.Checkpoints.StrictStateDictLoader.Load(encoder, Path.Combine(folder, "t5_encoder.safetensors"));
        var hidden = encoder.forward(parityCase.Input("input_ids").to(int64), parityCase.Input("attention_mask").to(int64));
        Assert.Equal(ScalarType.BFloat16, hidden.dtype);
        using var expected = parityCase.Output("last_hidden_state");
        double error = ParityKit.RelativeL2(hidden, expected);
        output.WriteLine($"bf16 last_hidden_state vs float32 reference: rel L2 {error:E2}");
        Assert.InRange(error, 1e-4, 5e-2); // bf16 really used (not float32), and only bf16-sized rounding
    }

    [Fact]
    public void FusedKernel_MatchesExplicit_ForEveryHeadSize()
    {
        // Head sizes whose square root is not a power of two (8, 12, 24, 40) run the fused kernel on zero-padded
        // q/k; the result must be the explicit kernel's, and the padded width a power of four.
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (int headDim in new[] { 4, 8, 12, 16, 24, 40, 64 })
        {
            int width = T5Attention.FusedHeadDim(headDim);
            Assert.True(width >= headDim && width < 4 * headDim && (width & (width - 1)) == 0 && int.TrailingZeroCount(width) % 2 == 0, $"width {width} for {headDim}");
            using var attention = new T5Attention(dim: 2 * headDim, dimAttn: 2 * headDim, numHeads: 2, ModuleInit.CpuFloat32);
            manual_seed(headDim);
            foreach (var (_, p) in attention.named_parameters())
            {
                p.normal_(0, 0.3);
            }

            var x = randn(2, 5, 2 * headDim);
            var mask = tensor(new long[] { 1, 1, 1, 1, 1, 1, 1, 1, 0, 0 }, [2, 5]);
            var bias = randn(1, 2, 5, 5);
            attention.Kernel = T5AttentionKernel.Explicit;
            var explicitOut = attention.forward(x, mask, bias);
            attention.Kernel = T5AttentionKernel.Fused;
            var fusedOut = attention.forward(x, mask, bias);
            double error = ParityKit.RelativeL2(fusedOut, explicitOut);
            Assert.True(error < 1e-6, $"head_dim {headDim}: fused vs explicit rel-L2 {error:E2}");
        }
    }

    [Fact]
    public void FromModelFolder_LoadsTheRealLayout_AndEncodesLikeThePipeline()
    {
        // A model folder laid out as the real one (google/umt5-xxl/spiece.model, models_t5_umt5-xxl-enc-bf16.pth)
        // holding the kit's tiny tokenizer and tiny bf16 .pth: the size comes from the checkpoint's shapes.
        string folder = Directory.CreateTempSubdirectory("reframe-model-").FullName;
        try
        {
            Directory.CreateDirectory(Umt5ModelFiles.TokenizerPath(folder));
            File.Copy(ParityKit.Path("tokenizer", "tiny_umt5_v1000", "spiece.model"),
                Path.Combine(Umt5ModelFiles.TokenizerPath(folder), "spiece.model"));
            File.Copy(ParityKit.Path("t5", "weights_tiny_b_pth", "t5_encoder_bf16.pth"), Umt5ModelFiles.EncoderPath(folder));

            var text = Umt5TextEncoder.FromModelFolder(folder, Reframe.Wan.Runtime.WanRuntime.CpuFloat32);
            using var encoder = text.Encoder;
            Assert.Equal(new Umt5Config(1024, 48, 48, 96, 3, 2, 32), text.Encoder.Config);

            using var parityCase = ParityKit.Load("t5/tiny_b_b2_len160");
            var prompts = parityCase.Json.GetProperty("call").GetProperty("prompts").EnumerateArray()
                .Select(p => p.GetString()!).ToList();
            var embeds = text.Encode(prompts, maxLength: 160);
            for (int i = 0; i < embeds.Count; i++)
            {
                using var embed = embeds[i];
                parityCase.Check(output, TensorRole.Output, $"prompt_embeds.{i}", embed, 1e-5);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
