namespace Reframe.Media.Graph;

/// <summary>
/// A run started before it is known to be wanted (the one-process graph on the untrimmed plan, beside the bar detection).
/// <see cref="KeepAsync"/> adopts its result; <see cref="DiscardAsync"/> (or disposing without keeping) cancels it and
/// waits until its process is gone, so a restart never races it for the output file.
/// </summary>
internal sealed class SpeculativeRun<T> : IAsyncDisposable
{
    private readonly CancellationTokenSource _cancel;
    private readonly Task<T> _run;
    private bool _settled;

    internal SpeculativeRun(Func<CancellationToken, Task<T>> start, CancellationToken cancellationToken)
    {
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _run = start(_cancel.Token);
    }

    public Task<T> KeepAsync()
    {
        _settled = true;
        return _run;
    }

    public async Task DiscardAsync()
    {
        _settled = true;
        await _cancel.CancelAsync();
        try
        {
            await _run;
        }
#pragma warning disable CA1031 // a discarded run's outcome, failure included, is thrown away with it
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_settled)
        {
            await DiscardAsync();
        }
        _cancel.Dispose();
    }
}

/// <summary>Starts a <see cref="SpeculativeRun{T}"/>.</summary>
internal static class SpeculativeRun
{
    public static SpeculativeRun<T> Start<T>(Func<CancellationToken, Task<T>> start, CancellationToken cancellationToken) => new(start, cancellationToken);
}
