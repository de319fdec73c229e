using Microsoft.Extensions.DependencyInjection.Extensions;
using Reframe.Core.Auth;
using Reframe.Core.Blobs;
using Reframe.Core.Tasks;
using Reframe.Core.Webhooks;
using Reframe.Server.Configuration;
using Reframe.Storage.Files;
using Reframe.Storage.Postgres;
using Reframe.Storage.S3;
using Reframe.Storage.Sqlite;

namespace Reframe.Server.Composition;

/// <summary>
/// Picks the implementation of every durable port from the settings: SQLite + files in the data directory (the
/// embedded default, one process), or PostgreSQL (REFRAME_DATABASE_URL) and an S3 bucket (REFRAME_BLOB_URL) shared by
/// every node. Everything is a TryAdd, so a test may register its own first.
/// </summary>
internal static class StorageComposition
{
    public static void Add(IServiceCollection services, ReframeSettings settings)
    {
        services.TryAddSingleton<OpenedStorage>();
        services.TryAddSingleton<NodeDirectoryLock>();
        if (settings.DatabaseUrl is null)
        {
            AddEmbedded(services, settings);
        }
        else
        {
            AddShared(services, settings);
        }
        AddBlobs(services, settings);
    }

    private static void AddEmbedded(IServiceCollection services, ReframeSettings settings)
    {
        services.TryAddSingleton(sp =>
        {
            var backend = SqliteBackend.Open(settings.DataDirectory, settings.Queue, sp.GetRequiredService<TimeProvider>());
            sp.GetRequiredService<OpenedStorage>().Sqlite = backend;
            return backend;
        });
        services.TryAddSingleton<ITaskStore>(sp => sp.GetRequiredService<SqliteBackend>().Store);
        services.TryAddSingleton<ITaskQueue>(sp => sp.GetRequiredService<SqliteBackend>().Queue);
        services.TryAddSingleton<ITaskSignals>(sp => sp.GetRequiredService<SqliteBackend>().Signals);
        services.TryAddSingleton<IWebhookOutbox>(sp => new SqliteWebhookOutbox(settings.DataDirectory, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IApiKeyStore>(_ => FileApiKeyStore.InDataDirectory(settings.DataDirectory));
    }

    private static void AddShared(IServiceCollection services, ReframeSettings settings)
    {
        services.TryAddSingleton(sp =>
        {
            PostgresBackend backend;
            try
            {
                backend = PostgresBackend.OpenAsync(settings.DatabaseUrl!, settings.Queue, sp.GetRequiredService<TimeProvider>(),
                    sp.GetService<ILoggerFactory>(), CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (System.Data.Common.DbException e)
            {
                // Start-up stops with what went wrong (the URL's password is never part of Npgsql's messages).
                throw new StartupException($"Cannot open the PostgreSQL database of REFRAME_DATABASE_URL: {e.Message}", e);
            }
            sp.GetRequiredService<OpenedStorage>().Postgres = backend;
            return backend;
        });
        services.TryAddSingleton<ITaskStore>(sp => sp.GetRequiredService<PostgresBackend>().Store);
        services.TryAddSingleton<ITaskQueue>(sp => sp.GetRequiredService<PostgresBackend>().Queue);
        services.TryAddSingleton<ITaskSignals>(sp => sp.GetRequiredService<PostgresBackend>().Signals);
        services.TryAddSingleton<IWebhookOutbox>(sp => sp.GetRequiredService<PostgresBackend>().Outbox);
        services.TryAddSingleton<IApiKeyStore>(sp => sp.GetRequiredService<PostgresBackend>().ApiKeys);
    }

    private static void AddBlobs(IServiceCollection services, ReframeSettings settings)
    {
        if (settings.Blobs is not { } blobs)
        {
            services.TryAddSingleton<IBlobStore>(_ =>
            {
                // Results stay where they always were (data/results/<token>.mp4), the folder there from the start.
                Directory.CreateDirectory(Path.Combine(settings.DataDirectory, "results"));
                return new LocalFolderBlobStore(settings.DataDirectory);
            });
            return;
        }
        services.TryAddSingleton<IBlobStore>(_ => new S3BlobStore(blobs.S3));
    }
}

/// <summary>Which backend was opened, for the start-up log and the single-node recovery.</summary>
internal sealed class OpenedStorage
{
    public SqliteBackend? Sqlite { get; set; }

    public PostgresBackend? Postgres { get; set; }
}
