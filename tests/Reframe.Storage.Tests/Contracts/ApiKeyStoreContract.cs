using Reframe.Core.Auth;

namespace Reframe.Storage.Tests.Contracts;

/// <summary>What every API key store must do (the keys file, PostgreSQL): add, look up by hash, list, revoke by key, label or hash prefix.</summary>
public abstract class ApiKeyStoreContract : IAsyncLifetime
{
    private IApiKeyStore _store = null!;
    private Func<ValueTask> _close = () => ValueTask.CompletedTask;

    protected abstract Task<(IApiKeyStore Store, Func<ValueTask> Close)> OpenAsync();

    /// <summary>A second handle on the same keys (another node, or the CLI), opened after the first.</summary>
    protected abstract Task<IApiKeyStore> OpenAnotherAsync();

    public async Task InitializeAsync() => (_store, _close) = await OpenAsync();

    public async Task DisposeAsync() => await _close();

    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task AddedKey_IsFoundByItsHash_OnAnotherHandleAtOnce()
    {
        var other = await OpenAnotherAsync();
        var key = ApiKeys.NewKey();
        Assert.False(await other.ContainsAsync(ApiKeys.Hash(key), None)); // looked at before the add: no stale cache afterwards
        await _store.AddAsync(ApiKeys.Hash(key), "alice", None);
        Assert.True(await other.ContainsAsync(ApiKeys.Hash(key), None));
        Assert.False(await other.ContainsAsync(ApiKeys.Hash(key + "x"), None));
        var listed = Assert.Single(await other.ListAsync(None));
        Assert.Equal((ApiKeys.HashHex(key), "alice"), (listed.HashHex, listed.Label));
    }

    [Fact]
    public async Task Revoke_ByKeyLabelOrHashPrefix_RemovesOnlyThoseKeys()
    {
        var keys = Enumerable.Range(0, 4).Select(_ => ApiKeys.NewKey()).ToArray();
        string[] labels = ["alice", "bob", "carol", "dave"];
        for (var i = 0; i < keys.Length; i++)
        {
            await _store.AddAsync(ApiKeys.Hash(keys[i]), labels[i], None);
        }
        Assert.Equal(["alice"], (await _store.RevokeAsync(keys[0], None)).Select(k => k.Label));
        Assert.Equal(["bob"], (await _store.RevokeAsync("bob", None)).Select(k => k.Label));
        Assert.Equal(["carol"], (await _store.RevokeAsync(ApiKeys.HashHex(keys[2])[..12], None)).Select(k => k.Label));
        Assert.Empty(await _store.RevokeAsync("nobody", None));
        Assert.Empty(await _store.RevokeAsync("abc", None)); // too short to be a hash prefix
        var other = await OpenAnotherAsync();
        Assert.Equal(["dave"], (await other.ListAsync(None)).Select(k => k.Label));
        Assert.False(await other.ContainsAsync(ApiKeys.Hash(keys[0]), None));
        Assert.True(await other.ContainsAsync(ApiKeys.Hash(keys[3]), None));
    }

    [Fact]
    public async Task AddAsync_RefusesALabelWithSpaces()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.AddAsync(ApiKeys.Hash("k"), "two words", None));
        Assert.Empty(await _store.ListAsync(None));
    }
}
