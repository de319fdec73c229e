using System.Diagnostics;
using Reframe.Core.Blobs;

namespace Reframe.Bench.Scale;

/// <summary>Blob put and get throughput (MB/s) of a store: <c>count</c> blobs of <c>size</c> bytes written from a seekable stream, then read back whole.</summary>
internal static class BlobPhase
{
    public static async Task<(double PutMBps, double GetMBps)> RunAsync(IBlobStore store, int count, int size)
    {
        var data = new byte[size];
        new Random(42).NextBytes(data);
        await store.PutAsync("bench/warm.bin", new MemoryStream(data), "application/octet-stream", CancellationToken.None);
        var put = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await store.PutAsync($"bench/{i}.bin", new MemoryStream(data), "application/octet-stream", CancellationToken.None);
        }
        put.Stop();
        var buffer = new byte[1 << 16];
        var get = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await using var content = (await store.OpenReadAsync($"bench/{i}.bin", null, CancellationToken.None))!;
            long read = 0;
            int n;
            while ((n = await content.Stream.ReadAsync(buffer)) > 0)
            {
                read += n;
            }
            if (read != size)
            {
                throw new InvalidOperationException($"read {read} bytes of {size}");
            }
        }
        get.Stop();
        var megabytes = (double)count * size / (1024 * 1024);
        for (var i = 0; i < count; i++)
        {
            await store.DeleteAsync($"bench/{i}.bin", CancellationToken.None);
        }
        return (megabytes / put.Elapsed.TotalSeconds, megabytes / get.Elapsed.TotalSeconds);
    }
}
