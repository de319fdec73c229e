using System.Collections.Concurrent;
using Reframe.Core.Engines;
using Reframe.Engines.Classic;
using Reframe.Media;

namespace Reframe.Server.Tests.OptionalParts;

/// <summary>The real classic runner, remembering the prompt each job reached it with (what an engine would read).</summary>
internal sealed class RecordingRunner : IReframeRunner
{
    private readonly IReframeRunner _inner = ClassicEngineRegistration.CreateRunner(new MediaSettings());

    public ConcurrentBag<string> Prompts { get; } = [];

    public Task<ReframeOutcome> RunAsync(ReframeJob job, IProgress<TaskProgress> progress, CancellationToken cancellationToken)
    {
        Prompts.Add(job.Options.Prompt);
        return _inner.RunAsync(job, progress, cancellationToken);
    }
}
