using System.Globalization;

namespace Reframe.Bench.Media;

/// <summary>
/// Samples, from /proc every 10 ms until the process exits, its own peak resident memory (VmHWM, exact) and the
/// resident memory of it and all its descendants together (sum of VmRSS; the peak of those samples).
/// </summary>
internal sealed class ProcessTreeMemory
{
    public long RootPeakKb { get; private set; }

    public long TreePeakKb { get; private set; }

    public async Task WatchAsync(int rootPid, Func<bool> hasExited)
    {
        while (!hasExited())
        {
            RootPeakKb = Math.Max(RootPeakKb, ReadKb(rootPid, "VmHWM:"));
            var tree = ReadKb(rootPid, "VmRSS:") + Descendants(rootPid).Sum(pid => ReadKb(pid, "VmRSS:"));
            TreePeakKb = Math.Max(TreePeakKb, tree);
            await Task.Delay(10);
        }
    }

    private static long ReadKb(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(field.Length).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
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
