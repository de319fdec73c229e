using Reframe.Core.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Reframe.Core.Prompts;
using Reframe.Core.Requests;
using Reframe.Core.Safety;
using Reframe.Media;
using Reframe.Media.Interpolation;
using Reframe.Onnx.Interpolation;
using Reframe.Onnx.Runtime;
using Reframe.Onnx.Safety;
using Reframe.Server.Configuration;
using Reframe.Workers.Prompts;
using Reframe.Workers.Safety;

namespace Reframe.Server.Composition;

/// <summary>
/// The parts a request can ask for that the operator installs: the safety classifier (REFRAME_SAFETY_MODEL), the
/// prompt expansion endpoint (REFRAME_PROMPT_EXPANSION_URL) and the RIFE/FILM networks (REFRAME_RIFE_MODEL,
/// REFRAME_FILM_MODEL). Composed only where tasks run. Each model file is opened and dry-run by <see cref="Load"/>
/// before the node serves, so a broken one is a <see cref="StartupException"/>; an absent one is reported per task
/// in <c>meta</c>.
/// </summary>
internal static class OptionalPartsComposition
{
    public static void AddWorkerParts(IServiceCollection services, IConfiguration configuration)
    {
        var runtime = Read(() => OnnxRuntimeSettings.FromConfiguration(key => configuration[key]));
        var safety = Read(() => SafetyModelSettings.FromConfiguration(key => configuration[key]));
        if (safety is not null)
        {
            services.TryAddSingleton<ISafetyChecker>(sp =>
                new OnnxSafetyChecker(Read(() => OnnxImageClassifier.Open(safety, runtime)), safety, sp.GetRequiredService<MediaSettings>()));
        }
        foreach (var model in Enum.GetValues<InterpolatorModel>())
        {
            if (Read(() => InterpolatorModelSettings.FromConfiguration(model, key => configuration[key])) is { } network)
            {
                services.AddSingleton<INetworkInterpolator>(_ => Read(() => OnnxFrameInterpolator.Open(network, runtime)));
            }
        }
        var prompts = Read(() => PromptExpansionSettings.FromConfiguration(configuration));
        if (prompts is not null)
        {
            services.TryAddSingleton<IPromptExpander>(_ => new ChatCompletionsPromptExpander(prompts));
        }
        services.TryAddSingleton(sp => new SafetyGate(sp.GetService<ISafetyChecker>(),
            sp.GetRequiredService<SafetyCheckerAvailability>().WhenUnavailable, sp.GetRequiredService<ILogger<SafetyGate>>()));
        services.TryAddSingleton(sp => new PromptExpansionStep(sp.GetService<IPromptExpander>(), sp.GetRequiredService<ILogger<PromptExpansionStep>>()));
    }

    /// <summary>The interpolation models' files, for <see cref="MediaSettings.InterpolatorWeights"/> (which picks the step per task).</summary>
    public static MediaSettings WithInterpolatorFiles(MediaSettings media, IConfiguration configuration)
    {
        var weights = new Dictionary<InterpolatorModel, string>(media.InterpolatorWeights);
        foreach (var model in Enum.GetValues<InterpolatorModel>())
        {
            if (Read(() => InterpolatorModelSettings.FromConfiguration(model, key => configuration[key])) is { } network)
            {
                weights[model] = network.ModelPath;
            }
        }
        return media with { InterpolatorWeights = weights };
    }

    /// <summary>Opens every installed model now (start-up) and logs what each field will do on this node.</summary>
    public static void Load(IServiceProvider services, ILogger log)
    {
        var safety = services.GetService<ISafetyChecker>();
        var policy = services.GetRequiredService<SafetyCheckerAvailability>();
        log.LogInformation("enable_safety_checker: {Safety}", safety?.Description
            ?? $"no checker installed (set {SafetyModelSettings.ModelKey}); requests asking for it are {(policy.Rejects ? "refused with a 400" : "run unchecked, meta.safety_checker \"unavailable\"")}");
        var networks = services.GetServices<INetworkInterpolator>().OfType<OnnxFrameInterpolator>().ToList();
        foreach (var model in Enum.GetValues<InterpolatorModel>())
        {
            var network = networks.FirstOrDefault(n => n.Model == model);
            log.LogInformation("interpolator_model {Model}: {Network}", WireNames.Of(model), network is null
                ? $"not installed (set {InterpolatorModelSettings.Keys(model).Path}); ffmpeg's minterpolate runs instead"
                : $"{network.ModelPath} on {network.Device}");
        }
        log.LogInformation("enable_prompt_expansion: {Prompts}", services.GetService<IPromptExpander>()?.ToString()
            ?? $"no endpoint configured (set {PromptExpansionSettings.UrlKey}); meta.prompt_expansion \"unavailable\"");
    }

    private static T Read<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (OnnxModelException e)
        {
            throw new StartupException(e.Message, e);
        }
        catch (SettingException e)
        {
            throw new StartupException(e.Message, e);
        }
    }
}
