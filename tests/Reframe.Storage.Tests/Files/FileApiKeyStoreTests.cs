using Reframe.Core.Auth;
using Reframe.Storage.Files;
using Reframe.Storage.Tests.Contracts;
using Reframe.TestSupport;

namespace Reframe.Storage.Tests.Files;

/// <summary>The key store contract on <c>api-keys.txt</c>, plus the file's own rules (comments kept, malformed lines named).</summary>
public sealed class FileApiKeyStoreTests : ApiKeyStoreContract, IDisposable
{
    private readonly TempDirectory _dir = new();

    protected override Task<(IApiKeyStore Store, Func<ValueTask> Close)> OpenAsync() =>
        Task.FromResult<(IApiKeyStore, Func<ValueTask>)>((FileApiKeyStore.InDataDirectory(_dir.Path), () => ValueTask.CompletedTask));

    protected override Task<IApiKeyStore> OpenAnotherAsync() => Task.FromResult<IApiKeyStore>(FileApiKeyStore.InDataDirectory(_dir.Path));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Revoke_KeepsCommentsAndOtherLines()
    {
        var store = FileApiKeyStore.InDataDirectory(_dir.Path);
        await File.WriteAllTextAsync(store.Path, "# operators' note\n");
        await store.AddAsync(ApiKeys.Hash("k1"), "one", CancellationToken.None);
        await store.AddAsync(ApiKeys.Hash("k2"), "two", CancellationToken.None);
        await store.RevokeAsync("one", CancellationToken.None);
        var lines = await File.ReadAllLinesAsync(store.Path);
        Assert.Equal(["# operators' note", $"sha256:{ApiKeys.HashHex("k2")} two"], lines);
    }

    [Fact]
    public async Task MalformedLine_IsNamedWithItsLineNumber()
    {
        var store = FileApiKeyStore.InDataDirectory(_dir.Path);
        await File.WriteAllTextAsync(store.Path, "# ok\nsha256:nothex\n");
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => store.ListAsync(CancellationToken.None));
        Assert.Contains("api-keys.txt:2", ex.Message, StringComparison.Ordinal);
    }
}
