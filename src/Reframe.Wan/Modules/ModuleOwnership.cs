using TorchSharp;
using static TorchSharp.torch;

namespace Reframe.Wan.Modules;

/// <summary>
/// TorchSharp registers every tensor it wraps, parameters included, with the dispose scope that is current on the
/// thread. A model built inside a scope (an expert loaded in the middle of the denoising loop, the VAE loaded
/// lazily during a task) would lose its weights when that scope ends; this hands ownership to the module.
/// </summary>
public static class ModuleOwnership
{
    /// <summary>Detaches every parameter and buffer from dispose scopes: only disposing the module frees them.</summary>
    public static T OwnWeights<T>(this T module) where T : nn.Module
    {
        foreach (var parameter in module.parameters())
        {
            parameter.DetachFromDisposeScope();
        }

        foreach (var buffer in module.buffers())
        {
            buffer.DetachFromDisposeScope();
        }

        return module;
    }
}
