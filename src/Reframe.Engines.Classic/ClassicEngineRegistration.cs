using Microsoft.Extensions.Logging;
using Reframe.Core.Engines;
using Reframe.Media;
using Reframe.Media.Interpolation;
using Reframe.Media.Pipeline;

namespace Reframe.Engines.Classic;

/// <summary>How a host builds runners: the classic engine (the embedded default), or any other engine.</summary>
public static class ClassicEngineRegistration
{
    /// <summary>A runner around the classic engine with its default look.</summary>
    public static IReframeRunner CreateRunner(MediaSettings settings, ILoggerFactory? loggerFactory = null) =>
        CreateRunner(settings, new ClassicEngineSettings(), loggerFactory);

    /// <summary>A runner around the classic engine with a tuned look.</summary>
    public static IReframeRunner CreateRunner(MediaSettings settings, ClassicEngineSettings engineSettings, ILoggerFactory? loggerFactory = null) =>
        new ReframeRunner(new ClassicEngine(engineSettings), settings, loggerFactory);

    /// <summary>A runner around any engine (e.g. the Wan engine), with optional interpolation networks.</summary>
    public static IReframeRunner CreateRunner(IVideoEngine engine, MediaSettings settings, ILoggerFactory? loggerFactory = null,
        IEnumerable<INetworkInterpolator>? networkInterpolators = null) =>
        new ReframeRunner(engine, settings, loggerFactory, networkInterpolators);
}
