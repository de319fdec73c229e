using System.Security.Cryptography;
using Reframe.Core.Blobs;

namespace Reframe.Storage.Tests.Contracts;

/// <summary>What every blob store must do (local folder, S3): put from a stream, get whole or by range, stat, list, delete, refuse bad keys.</summary>
public abstract class BlobStoreContract : IAsyncLifetime
{
    private IBlobStore _store = null!;
    private Func<ValueTask> _close = () => ValueTask.CompletedTask;

    protected abstract Task<(IBlobStore Store, Func<ValueTask> Close)> OpenAsync();

    public async Task InitializeAsync() => (_store, _close) = await OpenAsync();

    public async Task DisposeAsync() => await _close();

    private static readonly CancellationToken None = CancellationToken.None;

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static async Task<byte[]> ReadAllAsync(BlobContent content)
    {
        using var copy = new MemoryStream();
        await content.Stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task Put_ThenGet_ReturnsTheSameBytes_FromASeekableOrAForwardOnlyStream()
    {
        var data = Bytes(3 * 1024 * 1024 + 17, 1);
        await _store.PutAsync("results/a.mp4", new MemoryStream(data), "video/mp4", None);
        await _store.PutAsync("results/b.mp4", new ForwardOnly(new MemoryStream(data)), "video/mp4", None);
        foreach (var key in new[] { "results/a.mp4", "results/b.mp4" })
        {
            await using var content = (await _store.OpenReadAsync(key, null, None))!;
            Assert.Equal((0L, (long)data.Length, (long)data.Length), (content.Offset, content.Length, content.TotalLength));
            Assert.Equal(SHA256.HashData(data), SHA256.HashData(await ReadAllAsync(content)));
            var info = (await _store.StatAsync(key, None))!;
            Assert.Equal(data.Length, info.Length);
            Assert.True(info.LastModified > DateTimeOffset.UtcNow.AddMinutes(-5));
        }
    }

    [Fact]
    public async Task OpenRead_WithARange_ReturnsExactlyThoseBytes()
    {
        var data = Bytes(100_000, 2);
        await _store.PutAsync("results/r.mp4", new MemoryStream(data), "video/mp4", None);
        await using (var middle = (await _store.OpenReadAsync("results/r.mp4", new ByteRange(1000, 500), None))!)
        {
            Assert.Equal((1000L, 500L, 100_000L), (middle.Offset, middle.Length, middle.TotalLength));
            Assert.Equal(data.AsSpan(1000, 500).ToArray(), await ReadAllAsync(middle));
        }
        await using (var tail = (await _store.OpenReadAsync("results/r.mp4", new ByteRange(99_990, null), None))!)
        {
            Assert.Equal(data.AsSpan(99_990).ToArray(), await ReadAllAsync(tail));
        }
        await using (var clamped = (await _store.OpenReadAsync("results/r.mp4", new ByteRange(99_000, 5000), None))!)
        {
            Assert.Equal(data.AsSpan(99_000).ToArray(), await ReadAllAsync(clamped));
        }
    }

    [Fact]
    public async Task Missing_Deleted_AndReplacedBlobs_BehaveAsExpected()
    {
        Assert.Null(await _store.StatAsync("results/none.mp4", None));
        Assert.Null(await _store.OpenReadAsync("results/none.mp4", null, None));
        await _store.PutAsync("results/x.mp4", new MemoryStream(Bytes(10, 3)), "video/mp4", None);
        await _store.PutAsync("results/x.mp4", new MemoryStream(Bytes(20, 4)), "video/mp4", None);
        Assert.Equal(20, (await _store.StatAsync("results/x.mp4", None))!.Length);
        Assert.True(await _store.DeleteAsync("results/x.mp4", None));
        Assert.Null(await _store.StatAsync("results/x.mp4", None));
        await _store.DeleteAsync("results/x.mp4", None); // deleting twice is fine
    }

    [Fact]
    public async Task List_ReturnsTheBlobsUnderAPrefix()
    {
        await _store.PutAsync("results/1.mp4", new MemoryStream(Bytes(5, 5)), "video/mp4", None);
        await _store.PutAsync("results/2.mp4", new MemoryStream(Bytes(6, 6)), "video/mp4", None);
        await _store.PutAsync("other/3.bin", new MemoryStream(Bytes(7, 7)), "application/octet-stream", None);
        var listed = new List<BlobInfo>();
        await foreach (var blob in _store.ListAsync("results/", None))
        {
            listed.Add(blob);
        }
        Assert.Equal([("results/1.mp4", 5L), ("results/2.mp4", 6L)], listed.Select(b => (b.Key, b.Length)).Order());
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("/absolute")]
    [InlineData("results/../../x")]
    [InlineData("results//x")]
    [InlineData("results\\x")]
    [InlineData("")]
    public async Task BadKeys_AreRefused(string key)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => _store.PutAsync(key, new MemoryStream([1]), "x", None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => _store.OpenReadAsync(key, null, None));
    }

    /// <summary>A stream that cannot seek or tell its length (a network body).</summary>
    private sealed class ForwardOnly(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
