using System.Globalization;

namespace Reframe.Bench.Media;

/// <summary>
/// Samples the peak resident memory (VmHWM) of a process and of every descendant it starts, from /proc, until it
/// exits. The sum of the per-process peaks is an upper bound of the tree's peak (they need not peak together).
/// </summary>
internal sealed class ProcessTreeMemory
{
    private readonly Dictionary<int, long> _peakKb = [];

    public long RootPeakKb { get; private set; }

    public long TreePeakKb => _peakKb.Values.Sum();

    public async Task WatchAsync(int rootPid, Func<bool> hasExited)
    {
        while (!hasExited())
        {
            Sample(rootPid, isRoot: true);
            foreach (var child in Descendants(rootPid))
            {
                Sample(child, isRoot: false);
            }
            await Task.Delay(10);
        }
    }

    private void Sample(int pid, bool isRoot)
    {
        var hwm = ReadHwmKb(pid);
        if (hwm <= 0)
        {
            return;
        }
        _peakKb[pid] = Math.Max(_peakKb.GetValueOrDefault(pid), hwm);
        if (isRoot)
        {
            RootPeakKb = Math.Max(RootPeakKb, hwm);
        }
    }

    public static long ReadHwmKb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return 0;
    }

    private static List<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
        }
        var result = new List<int>();
        var frontier = new Queue<int>([root]);
        while (frontier.Count > 0)
        {
            var p = frontier.Dequeue();
            foreach (var (pid, parent) in parents)
            {
                if (parent == p)
                {
                    result.Add(pid);
                    frontier.Enqueue(pid);
                }
            }
        }
        return result;
    }
}
