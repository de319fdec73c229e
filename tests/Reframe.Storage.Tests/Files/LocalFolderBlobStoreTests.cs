using Reframe.Core.Blobs;
using Reframe.Storage.Files;
using Reframe.Storage.Tests.Contracts;
using Reframe.TestSupport;

namespace Reframe.Storage.Tests.Files;

/// <summary>The blob contract on a local folder, plus its layout (results stay at data/results/&lt;token&gt;.mp4).</summary>
public sealed class LocalFolderBlobStoreTests : BlobStoreContract, IDisposable
{
    private readonly TempDirectory _dir = new();

    protected override Task<(IBlobStore Store, Func<ValueTask> Close)> OpenAsync() =>
        Task.FromResult<(IBlobStore, Func<ValueTask>)>((new LocalFolderBlobStore(_dir.Path), () => ValueTask.CompletedTask));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Results_AreFilesUnderTheDataDirectory_AndNoPartialFileIsLeft()
    {
        var store = new LocalFolderBlobStore(_dir.Path);
        var token = BlobKeys.NewResultToken();
        await store.PutAsync(BlobKeys.Result(token), new MemoryStream([1, 2, 3]), "video/mp4", CancellationToken.None);
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(Path.Combine(_dir.Path, "results", token + ".mp4")));
        Assert.Single(Directory.GetFiles(Path.Combine(_dir.Path, "results")));
        Assert.Null(store.PresignedReadUrl(BlobKeys.Result(token), TimeSpan.FromMinutes(1)));
    }
}
