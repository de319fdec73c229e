using Microsoft.Extensions.DependencyInjection.Extensions;
using Reframe.Core.Engines;
using Reframe.Core.Inputs;
using Reframe.Engines.Classic;
using Reframe.Media;
using Reframe.Media.Sources;

namespace Reframe.Server;

/// <summary>
/// The default engine and input fetcher of the embedded service (classic engine, ffmpeg pipeline).
/// Registered with TryAdd, after anything a host registered first.
/// </summary>
internal static class ReframeEngineRegistration
{
    public static void AddDefaults(IServiceCollection services, FetchSettings fetchSettings)
    {
        services.TryAddSingleton<IReframeRunner>(sp =>
            ClassicEngineRegistration.CreateRunner(new MediaSettings(), sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton<IInputFetcher>(sp => new InputFetcher(
            fetchSettings,
            sp.GetRequiredService<TimeProvider>()));
    }
}
