using Reframe.Wan.Engine;
using Reframe.Wan.Tests.Parity;

namespace Reframe.Wan.Tests.Engine;

/// <summary>A temporary tiny model folder written by <see cref="TinyWanModel"/> (what scripts/tiny-wan-model.sh writes).</summary>
public sealed class TinyModelFolder : IDisposable
{
    public TinyModelFolder()
    {
        Directory = TinyWanModel.Write(ParityKit.Directory, Path.Combine(Path.GetTempPath(), "reframe-wan-tiny-" + Guid.NewGuid().ToString("N")));
    }

    public string Directory { get; }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }
    }
}
