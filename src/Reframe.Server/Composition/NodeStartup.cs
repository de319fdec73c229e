using Reframe.Core.Auth;
using Reframe.Core.Blobs;
using Reframe.Server.Auth;
using Reframe.Server.Configuration;
using Reframe.Storage.Files;
using Reframe.Storage.Sqlite;
using Reframe.Workers;

namespace Reframe.Server.Composition;

/// <summary>
/// What a node does before it serves: load the keys, and on a shared database claim its own data directory (scratch
/// space only there) so two processes never share one, then clear the scratch a killed process left behind; on the
/// single-node default, clear everything a killed process left.
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
            return; // the SQLite backend took the directory lock; ClearSingleNodeLeftovers cleared what a killed process left
        }
        services.GetRequiredService<NodeDirectoryLock>().Acquire(settings.DataDirectory);
        if (Directory.Exists(settings.WorkDirectory))
        {
            Directory.Delete(settings.WorkDirectory, recursive: true);
        }
    }

    /// <summary>
    /// The single-node default (SQLite, with the data-directory lock held and the orphaned tasks already queued again),
    /// before any worker runs or a request is taken: a killed process's scratch belongs to nobody now. With the local
    /// folder store no other process writes blobs there either, so unfinished uploads, results no task refers to (a
    /// kill between a task's upload and its completion) and stored inputs of ended tasks are orphans at once, not
    /// only after the upkeep's grace. A bucket is left to the upkeep: the lock says nothing about who else writes to it.
    /// </summary>
    public static void ClearSingleNodeLeftovers(IServiceProvider services, ReframeSettings settings, ILogger log)
    {
        if (Directory.Exists(settings.WorkDirectory))
        {
            Directory.Delete(settings.WorkDirectory, recursive: true);
        }
        if (services.GetRequiredService<IBlobStore>() is not LocalFolderBlobStore local)
        {
            return;
        }
        try
        {
            if (local.DeleteUnfinishedUploads() is var unfinished and > 0)
            {
                log.LogWarning("Deleted {Count} unfinished upload(s) a killed process left", unfinished);
            }
            // Logs what it deletes itself.
            services.GetRequiredService<OrphanBlobSweep>().SweepAsync(TimeSpan.Zero, CancellationToken.None).GetAwaiter().GetResult();
        }
#pragma warning disable CA1031 // tidying must not stop the service: the upkeep sweeps again with its grace
        catch (Exception ex)
#pragma warning restore CA1031
        {
            log.LogWarning(ex, "Could not delete the blobs a previous process left; the upkeep will try again");
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
