using static TorchSharp.torch;

namespace Reframe.Wan.Transformer;

/// <summary>
/// Called around every transformer block (VACE and main) so that an offload policy can bring a block's weights to
/// the device just before it runs and send them back after (<c>REFRAME_WAN_OFFLOAD=sequential</c>).
/// </summary>
public interface IBlockResidency
{
    void Enter(nn.Module block);

    void Exit(nn.Module block);
}
