using Microsoft.Extensions.Logging;
using Reframe.Core.Engines;
using Reframe.Media;
using Reframe.Media.Pipeline;

namespace Reframe.Engines.Classic;

/// <summary>Runners around the classic engine (the embedded default). A runner around any other engine is a plain <see cref="ReframeRunner"/>.</summary>
public static class ClassicEngineRegistration
{
    /// <summary>A runner around the classic engine with its default look.</summary>
    public static IReframeRunner CreateRunner(MediaSettings settings, ILoggerFactory? loggerFactory = null) =>
        CreateRunner(settings, new ClassicEngineSettings(), loggerFactory);

    /// <summary>A runner around the classic engine with a tuned look.</summary>
    public static IReframeRunner CreateRunner(MediaSettings settings, ClassicEngineSettings engineSettings, ILoggerFactory? loggerFactory = null) =>
        new ReframeRunner(new ClassicEngine(engineSettings), settings, loggerFactory);
}
