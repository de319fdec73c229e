using Microsoft.Extensions.DependencyInjection.Extensions;
using Reframe.Core.Engines;
using Reframe.Core.Inputs;
using Reframe.Engines.Classic;
using Reframe.Media;
using Reframe.Media.Sources;
using Reframe.Server.Configuration;

namespace Reframe.Server;

/// <summary>
/// The default pipeline of the embedded service: the SSRF-guarded input fetcher, the ffmpeg media pipeline, and the
/// classic engine. Every registration is a TryAdd, so a host that registered first wins:
/// <list type="bullet">
/// <item>an <see cref="IVideoEngine"/> (e.g. the Wan engine) gets the same media pipeline around it;</item>
/// <item>an <see cref="IReframeRunner"/> replaces the pipeline entirely;</item>
/// <item><see cref="MediaSettings"/> or <see cref="FetchSettings"/> replace the defaults.</item>
/// </list>
/// </summary>
internal static class ReframeEngineRegistration
{
    public static void AddDefaults(IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ => FetchSettings.FromEnvironment(key => configuration[key]));
        services.TryAddSingleton<IInputFetcher>(sp => new InputFetcher(sp.GetRequiredService<FetchSettings>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(_ => MediaSettingsBinding.FromConfiguration(configuration));
        services.TryAddSingleton<IReframeRunner>(sp =>
        {
            var media = sp.GetRequiredService<MediaSettings>();
            var logs = sp.GetService<ILoggerFactory>();
            return sp.GetService<IVideoEngine>() is { } engine
                ? ClassicEngineRegistration.CreateRunner(engine, media, logs)
                : ClassicEngineRegistration.CreateRunner(media, logs);
        });
    }
}
