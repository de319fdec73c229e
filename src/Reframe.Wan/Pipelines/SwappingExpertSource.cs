using Reframe.Wan.Transformer;

namespace Reframe.Wan.Pipelines;

/// <summary>
/// Keeps at most ONE expert alive: asking for the other role disposes the current one first, then loads the
/// requested one. With the reference's schedule the switch happens once per generation (high-noise steps come
/// first), so one 34.7 GB bf16 expert is resident at a time on an 80 GB GPU.
/// </summary>
public sealed class SwappingExpertSource(Func<ExpertKind, VaceWanTransformer> load) : IExpertSource
{
    private VaceWanTransformer? _current;
    private ExpertKind _currentKind;

    /// <summary>How many experts were loaded so far (a swap costs a load).</summary>
    public int Loads { get; private set; }

    public VaceWanTransformer Get(ExpertKind kind)
    {
        if (_current is not null && _currentKind == kind)
        {
            return _current;
        }

        // Free first, then load: never two experts at once.
        _current?.Dispose();
        _current = null;
        _current = load(kind);
        _currentKind = kind;
        Loads++;
        return _current;
    }

    public void Dispose()
    {
        _current?.Dispose();
        _current = null;
    }
}
