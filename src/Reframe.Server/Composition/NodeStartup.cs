using Reframe.Core.Auth;
using Reframe.Server.Auth;
using Reframe.Server.Configuration;
using Reframe.Storage.Sqlite;

namespace Reframe.Server.Composition;

/// <summary>
/// What a node does before it serves: load the keys, and on a shared database claim its own data directory (scratch
/// space only there) so two processes never share one, then clear the scratch a killed process left behind.
/// </summary>
internal static class NodeStartup
{
    public static void Prepare(IServiceProvider services, ReframeSettings settings, ILogger log)
    {
        var keys = services.GetRequiredService<ApiKeyRing>();
        var store = services.GetRequiredService<IApiKeyStore>();
        log.LogInformation("Role {Role}; {Configured} key(s) from REFRAME_API_KEYS, more in {Store}; data directory {DataDirectory}",
            settings.Role.ToString().ToLowerInvariant(), keys.ConfiguredCount, store.GetType().Name, settings.DataDirectory);
        if (settings.DatabaseUrl is null)
        {
            return; // the SQLite backend took the directory lock and cleared the scratch itself
        }
        services.GetRequiredService<NodeDirectoryLock>().Acquire(settings.DataDirectory);
        if (Directory.Exists(settings.WorkDirectory))
        {
            Directory.Delete(settings.WorkDirectory, recursive: true);
        }
    }
}

/// <summary>Holds this node's data-directory lock for the life of the app (the kernel drops it if the process dies).</summary>
internal sealed class NodeDirectoryLock : IDisposable
{
    private DataDirectoryLock? _lock;

    public void Acquire(string dataDirectory) => _lock ??= DataDirectoryLock.Acquire(dataDirectory);

    public void Dispose() => _lock?.Dispose();
}
