using TorchSharp;
using static TorchSharp.torch;

namespace Reframe.Wan.Modules;

/// <summary>Moves a module's weights between host and device memory without losing ownership of them.</summary>
public static class ModuleResidency
{
    /// <summary>
    /// Moves every parameter and buffer to <paramref name="device"/> (a no-op when they are there). The moved tensors
    /// are new native tensors that TorchSharp would register with the current dispose scope (a denoising step's, when
    /// an expert swaps mid-loop), so ownership is handed back to the module at once.
    /// </summary>
    public static T MoveTo<T>(T module, Device device) where T : nn.Module
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(device);
        var first = module.parameters().FirstOrDefault();
        if (first is not null && first.device.type == device.type && first.device.index == device.index)
        {
            return module;
        }

        module.to(device);
        return module.OwnWeights();
    }
}
