namespace Reframe.Wan.Text;

/// <summary>
/// A read-only trie over UTF-16 code units, built once from the vocabulary, in flat arrays (each node's
/// edges are contiguous and sorted by label, found by binary search). The segmenter walks it from every start
/// position, so the cost per position is the length of the longest matching piece, not the vocabulary's
/// longest piece times a hash of each candidate; memory is a few arrays of ints (no object per node).
/// </summary>
internal sealed class PieceTrie
{
    private readonly int[] _firstEdge;  // per node
    private readonly int[] _edgeCount;  // per node
    private readonly int[] _value;      // per node: piece id, or -1
    private readonly char[] _edgeLabel; // per edge
    private readonly int[] _edgeTarget; // per edge
    private readonly int[] _rootChild;  // per UTF-16 code unit: the root's child, or -1 (the widest node)

    public PieceTrie(IEnumerable<KeyValuePair<string, int>> entries)
    {
        var keys = entries.Where(e => e.Key.Length > 0).OrderBy(e => e.Key, StringComparer.Ordinal).ToArray();
        var firstEdge = new List<int> { 0 };
        var edgeCount = new List<int> { 0 };
        var value = new List<int> { -1 };
        var labels = new List<char>();
        var targets = new List<int>();

        // Breadth-first over ranges of the sorted keys that share a prefix of length `depth`.
        var pending = new Queue<(int Node, int Lo, int Hi, int Depth)>();
        pending.Enqueue((0, 0, keys.Length, 0));
        while (pending.Count > 0)
        {
            var (node, lo, hi, depth) = pending.Dequeue();
            if (lo < hi && keys[lo].Key.Length == depth)
            {
                value[node] = keys[lo].Value; // the shortest key of the range sorts first
                lo++;
            }
            firstEdge[node] = labels.Count;
            int start = lo;
            while (start < hi)
            {
                char label = keys[start].Key[depth];
                int end = start + 1;
                while (end < hi && keys[end].Key[depth] == label)
                {
                    end++;
                }
                int child = value.Count;
                firstEdge.Add(0);
                edgeCount.Add(0);
                value.Add(-1);
                labels.Add(label);
                targets.Add(child);
                pending.Enqueue((child, start, end, depth + 1));
                start = end;
            }
            edgeCount[node] = labels.Count - firstEdge[node];
        }

        _firstEdge = [.. firstEdge];
        _edgeCount = [.. edgeCount];
        _value = [.. value];
        _edgeLabel = [.. labels];
        _edgeTarget = [.. targets];
        _rootChild = new int[char.MaxValue + 1];
        Array.Fill(_rootChild, -1);
        for (int e = _firstEdge[Root]; e < _firstEdge[Root] + _edgeCount[Root]; e++)
        {
            _rootChild[_edgeLabel[e]] = _edgeTarget[e];
        }
    }

    public const int Root = 0;

    /// <summary>The child of <paramref name="node"/> along <paramref name="label"/>, or -1.</summary>
    public int Step(int node, char label)
    {
        if (node == Root)
        {
            return _rootChild[label];
        }
        int lo = _firstEdge[node], hi = lo + _edgeCount[node] - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            char c = _edgeLabel[mid];
            if (c == label)
            {
                return _edgeTarget[mid];
            }
            if (c < label)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return -1;
    }

    /// <summary>The piece id that ends at <paramref name="node"/>, or -1.</summary>
    public int ValueOf(int node) => _value[node];
}
