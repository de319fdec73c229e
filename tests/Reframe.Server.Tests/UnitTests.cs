using Microsoft.Extensions.Time.Testing;
using Reframe.Core.Auth;
using Reframe.Server.Auth;
using Reframe.Server.Tasks;
using Reframe.Storage.Files;
using Reframe.Workers;

namespace Reframe.Server.Tests;

public sealed class GenerationIdsTests
{
    [Fact]
    public void Format_AndTryParse_RoundTrip()
    {
        var id = Guid.NewGuid();
        var text = GenerationIds.Format(id);
        Assert.Equal($"{id}:alibaba/wan2.2-vace-fun-a14b-reframe", text);
        Assert.True(GenerationIds.TryParse(text, out var back));
        Assert.Equal(id, back);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("b5592d70-dd31-4e5a-bc5c-5063660c001b")]
    [InlineData("b5592d70-dd31-4e5a-bc5c-5063660c001b:alibaba/other-model")]
    [InlineData("not-a-uuid-at-all-but-36-chars-long!:alibaba/wan2.2-vace-fun-a14b-reframe")]
    [InlineData(" b5592d70-dd31-4e5a-bc5c-5063660c001b:alibaba/wan2.2-vace-fun-a14b-reframe")]
    public void TryParse_Refuses_WhenTheIdIsMalformed(string? text) => Assert.False(GenerationIds.TryParse(text, out _));
}

public sealed class ApiKeyRingTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Authenticate_ReturnsOwner_OnlyForAnAcceptedKey()
    {
        var ring = new ApiKeyRing([ApiKeyRing.Hash("key-one"), ApiKeyRing.Hash("key-two")]);
        var one = await ring.AuthenticateAsync("key-one", None);
        var two = await ring.AuthenticateAsync("key-two", None);
        Assert.NotNull(one);
        Assert.NotNull(two);
        Assert.NotEqual(one, two);
        Assert.Null(await ring.AuthenticateAsync("key-one ", None));
        Assert.Null(await ring.AuthenticateAsync("KEY-ONE", None));
        Assert.Null(await ring.AuthenticateAsync("", None));
        Assert.Null(await ring.AuthenticateAsync(new string('k', 10_000), None));
    }

    [Fact]
    public async Task StoreKeys_WorkAtOnce_AndARevokedOneStopsWithinTheCacheTime()
    {
        var dir = Path.Combine(Path.GetTempPath(), "reframe-keys-" + Guid.NewGuid().ToString("N"));
        try
        {
            var store = FileApiKeyStore.InDataDirectory(dir);
            var time = new FakeTimeProvider();
            var ring = new ApiKeyRing([], store, time);
            var key = ApiKeys.NewKey();
            Assert.Null(await ring.AuthenticateAsync(key, None));
            await store.AddAsync(ApiKeys.Hash(key), "later", None); // as the CLI does while the service runs
            Assert.NotNull(await ring.AuthenticateAsync(key, None));
            Assert.DoesNotContain(key, await File.ReadAllTextAsync(store.Path), StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.Path));
            }

            await store.RevokeAsync("later", None);
            time.Advance(ApiKeyRing.AcceptedFor + TimeSpan.FromMilliseconds(1));
            Assert.Null(await ring.AuthenticateAsync(key, None));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
