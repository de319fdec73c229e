using Reframe.Wan.Engine;
using Reframe.Wan.Tests.Parity;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests.Engine;

/// <summary>The engine's text side, loaded the way the engine loads it (tokenizer folder + .pth), against the kit.</summary>
public class Umt5PromptEncoderTests(ITestOutputHelper output)
{
    [Fact]
    public void Encode_MatchesPipelinePromptEmbeds_WhenLoadedFromPth()
    {
        using var scope = NewDisposeScope();
        var caseDirectory = CaseFiles.CaseDirectory("t5", "tiny_b_b2_len160");
        var caseJson = CaseFiles.ReadCaseJson(caseDirectory);
        var prompt = caseJson.GetProperty("call").GetProperty("prompts")[1].GetString()!;
        var expected = CaseFiles.LoadTensors(Path.Combine(caseDirectory, "outputs.safetensors"))["prompt_embeds.1"];

        using var encoder = Umt5PromptEncoder.Load(
            ParityKit.Path("tokenizer", "tiny_umt5_v1000"), ParityKit.Path("t5", "weights_tiny_b_pth", "t5_encoder_bf16.pth"),
            CPU, ScalarType.Float32);
        var embeds = encoder.Encode(prompt, 512);

        // Padded to 512 here instead of 160: masked keys get exactly zero weight, so only rounding differs.
        CaseFiles.AssertClose(output, "prompt_embeds.1", embeds, expected, 1e-5);
    }
}
