using Microsoft.Extensions.DependencyInjection.Extensions;
using Reframe.Core.Engines;
using Reframe.Wan.Engine;
using Reframe.Wan.Runtime;

namespace Reframe.Wan.Host;

/// <summary>
/// Puts the Wan engine behind the service's media pipeline when a model folder is configured:
/// <c>REFRAME_WAN_MODEL_DIR</c> (the Wan2.2-VACE-Fun-A14B folder), optional <c>REFRAME_WAN_DEVICE</c>
/// (<c>auto</c>, <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>), <c>REFRAME_WAN_DTYPE</c> (<c>auto</c>, <c>bf16</c>,
/// <c>float32</c>) and <c>REFRAME_WAN_CPU_THREADS</c> (libtorch CPU threads). Without a model folder the service
/// keeps its classic engine. The folder is checked at start-up, so an incomplete one stops the process with a
/// message naming every missing file.
/// </summary>
public static class WanHostRegistration
{
    public const string ModelDirectoryKey = "REFRAME_WAN_MODEL_DIR";
    public const string DeviceKey = "REFRAME_WAN_DEVICE";
    public const string DTypeKey = "REFRAME_WAN_DTYPE";
    public const string CpuThreadsKey = "REFRAME_WAN_CPU_THREADS";

    /// <summary>Registers the Wan engine as the service's <see cref="IVideoEngine"/> when configured; returns whether it did.</summary>
    public static bool AddWanEngine(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var modelDirectory = builder.Configuration[ModelDirectoryKey];
        if (string.IsNullOrWhiteSpace(modelDirectory))
        {
            return false;
        }

        var runtime = new WanRuntimeOptions
        {
            Device = builder.Configuration[DeviceKey] ?? "auto",
            DType = builder.Configuration[DTypeKey] ?? "auto",
            CpuThreads = ReadThreads(builder.Configuration[CpuThreadsKey]),
        };

        // Eager: the layout check and the device resolution fail here, at start-up, not on the first task.
        var layout = new WanModelLayout(modelDirectory);
        layout.RequireComplete();
        var resolved = WanRuntime.Resolve(runtime);
        builder.Services.AddSingleton(sp => WanEngine.Create(layout, resolved, sp.GetRequiredService<ILoggerFactory>()));
        // The server wraps whatever IVideoEngine is registered in its media pipeline (with the configured
        // MediaSettings); its own default runner factory resolves this at first use.
        builder.Services.RemoveAll<IVideoEngine>();
        builder.Services.AddSingleton<IVideoEngine>(sp => sp.GetRequiredService<WanEngine>());
        return true;
    }

    private static int? ReadThreads(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int threads) && threads > 0
            ? threads
            : throw new InvalidOperationException($"{CpuThreadsKey} must be a positive integer; got '{text}'.");
    }
}
