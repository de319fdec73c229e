using Reframe.Core.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Reframe.Core.Engines;
using Reframe.Core.Inputs;
using Reframe.Engines.Classic;
using Reframe.Media;
using Reframe.Media.Pipeline;
using Reframe.Media.Sources;
using Reframe.Server.Configuration;
using Reframe.Wan.Checkpoints;
using Reframe.Wan.Engine;

namespace Reframe.Server;

/// <summary>
/// The one place where the service's engine is chosen: the Wan engine when <c>REFRAME_WAN_MODEL_DIR</c> is set
/// (its weights checked and loaded strictly when the app is configured, before it serves anything), else the classic
/// engine, the embedded default. Around it: the SSRF-guarded input fetcher and the ffmpeg media pipeline. Every
/// registration is a TryAdd, so a test that registered first wins (an <see cref="IVideoEngine"/> of its own gets
/// the same media pipeline; an <see cref="IReframeRunner"/> replaces the pipeline).
/// </summary>
internal static class ReframeEngineRegistration
{
    public static void AddDefaults(IServiceCollection services, IConfiguration configuration)
    {
        // FetchSettings is read once, by ReframeApp.AddReframe, which also hands it to the webhook dispatch.
        services.TryAddSingleton<IInputFetcher>(sp => new InputFetcher(sp.GetRequiredService<FetchSettings>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(_ => Composition.OptionalPartsComposition.WithInterpolatorFiles(MediaSettingsBinding.FromConfiguration(configuration), configuration));
        AddWanEngine(services, configuration);
        services.TryAddSingleton<IReframeRunner>(sp =>
        {
            var media = sp.GetRequiredService<MediaSettings>();
            var logs = sp.GetService<ILoggerFactory>();
            // The installed RIFE/FILM networks (Composition/OptionalPartsComposition); none means minterpolate, said in meta.
            var networks = sp.GetServices<Media.Interpolation.INetworkInterpolator>().ToList();
            return new ReframeRunner(sp.GetService<IVideoEngine>() ?? new ClassicEngine(), media, logs, networks);
        });
    }

    /// <summary>
    /// Registers the Wan engine when a model folder is configured; returns whether it did. The options are read (and
    /// a wrong value refused) now; the weights load when the engine is first resolved, which <see cref="ReframeApp.Configure"/>
    /// does before the app starts.
    /// </summary>
    public static bool AddWanEngine(IServiceCollection services, IConfiguration configuration, Func<string, ICheckpointReader>? open = null)
    {
        WanEngineOptions? options;
        try
        {
            options = WanEngineOptions.FromConfiguration(key => configuration[key]);
        }
        catch (SettingException e)
        {
            throw new StartupException(e.Message, e);
        }

        if (options is null)
        {
            return false;
        }

        services.TryAddSingleton<IVideoEngine>(sp =>
        {
            try
            {
                return WanEngine.Create(options, sp.GetRequiredService<ILoggerFactory>(), open);
            }
            catch (Exception e) when (e is WanModelException or InvalidOperationException or ArgumentException or IOException or NotSupportedException)
            {
                throw new StartupException($"The Wan engine cannot start ({WanEngineOptions.ModelDirectoryKey}={options.ModelDirectory}): {e.Message}", e);
            }
        });
        return true;
    }
}
