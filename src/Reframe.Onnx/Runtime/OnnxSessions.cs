using Microsoft.ML.OnnxRuntime;

namespace Reframe.Onnx.Runtime;

/// <summary>
/// Opens an operator's model file once, at start-up, so a missing or broken file stops the service with its name
/// instead of failing the first task that needs it. The CUDA provider is added only where this ONNX Runtime build
/// has it (the NuGet CPU package does not; the GPU package does); <c>auto</c> then falls back to the CPU quietly.
/// </summary>
public static class OnnxSessions
{
    public const string CudaProvider = "CUDAExecutionProvider";

    public static bool CudaAvailable => OrtEnv.Instance().GetAvailableProviders().Contains(CudaProvider, StringComparer.Ordinal);

    /// <summary>Opens <paramref name="path"/>; returns the session and the device it runs on (<c>cpu</c>, <c>cuda</c>).</summary>
    /// <param name="what">How the error names the model, e.g. <c>REFRAME_SAFETY_MODEL</c>.</param>
    public static (InferenceSession Session, string Device) Open(string path, OnnxRuntimeSettings settings, string what)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!File.Exists(path))
        {
            throw new OnnxModelException($"{what}: the model file {path} does not exist.");
        }
        var useCuda = settings.Device switch
        {
            OnnxDevice.Cpu => false,
            OnnxDevice.Cuda when !CudaAvailable => throw new OnnxModelException(
                $"{OnnxRuntimeSettings.DeviceKey}=cuda but this ONNX Runtime has no CUDA provider (it has {string.Join(", ", OrtEnv.Instance().GetAvailableProviders())})."),
            OnnxDevice.Cuda => true,
            _ => CudaAvailable,
        };
        var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        try
        {
            if (settings.Threads > 0)
            {
                options.IntraOpNumThreads = settings.Threads;
            }
            if (useCuda)
            {
                options.AppendExecutionProvider_CUDA(0);
            }
            return (new InferenceSession(path, options), useCuda ? "cuda" : "cpu");
        }
        catch (OnnxRuntimeException e)
        {
            throw new OnnxModelException($"{what}: {path} is not a model ONNX Runtime can load: {e.Message}", e);
        }
        finally
        {
            options.Dispose();
        }
    }
}
