using System.Text;

namespace Reframe.Media.Ffmpeg;

/// <summary>
/// Keeps the last <c>capacity</c> characters of a process's stderr. ffmpeg can print without end (a broken
/// stream logs every frame), so an unbounded buffer would be a memory leak driven by the input.
/// </summary>
internal sealed class StderrTail(int capacity)
{
    private readonly StringBuilder _buffer = new();
    private readonly Lock _gate = new();

    public void Append(ReadOnlySpan<char> chunk)
    {
        lock (_gate)
        {
            if (chunk.Length >= capacity)
            {
                _buffer.Clear();
                _buffer.Append(chunk[^capacity..]);
                return;
            }
            _buffer.Append(chunk);
            var excess = _buffer.Length - capacity;
            if (excess > 0)
            {
                _buffer.Remove(0, excess);
            }
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return _buffer.ToString();
        }
    }
}
