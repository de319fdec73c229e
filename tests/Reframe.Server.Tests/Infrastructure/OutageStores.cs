using Reframe.TestSupport;

namespace Reframe.Server.Tests.Infrastructure;

/// <summary>
/// The scale-out stores of one service, each of its own so a test can take it down and bring it back: a dedicated
/// PostgreSQL with one database, and an s3rver on a fixed port whose objects survive a restart (as after an outage).
/// Disposing stops both and deletes what they stored.
/// </summary>
public sealed class OutageStores : IAsyncDisposable
{
    private readonly string _bucket;
    private readonly int _port;
    private readonly string _database;
    private S3rverServer _s3;
    private bool _s3Running = true;

    private OutageStores(PostgresServer postgres, string database, S3rverServer s3, string bucket, int port)
    {
        Postgres = postgres;
        _database = database;
        _s3 = s3;
        _bucket = bucket;
        _port = port;
    }

    public PostgresServer Postgres { get; }

    public static async Task<OutageStores> StartAsync(string name)
    {
        var postgres = await PostgresServer.StartDedicatedAsync(durable: false);
        var database = await postgres.CreateDatabaseAsync(name);
        var port = LoopbackPorts.Free();
        var s3 = (await S3rverServer.StartAsync(name, port)).KeepDirectory();
        return new OutageStores(postgres, database, s3, name, port);
    }

    /// <summary>The service's settings for these stores (results under <paramref name="prefix"/>), plus <paramref name="extra"/>.</summary>
    public Dictionary<string, string?> ServiceSettings(string prefix, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>(_s3.BlobSettings(prefix))
        {
            ["REFRAME_DATABASE_URL"] = Postgres.Url(_database),
            ["REFRAME_WEBHOOK_SECRET"] = "outage-stores-webhook-secret-0123",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }
        return settings;
    }

    /// <summary>The object store goes down; its objects stay on disk.</summary>
    public async Task StopBlobStoreAsync()
    {
        _s3Running = false;
        await _s3.DisposeAsync();
    }

    /// <summary>It comes back on the same port with the same objects.</summary>
    public async Task StartBlobStoreAgainAsync()
    {
        _s3 = (await S3rverServer.StartAsync(_bucket, _port, _s3.Directory)).KeepDirectory();
        _s3Running = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_s3Running)
        {
            await _s3.DisposeAsync();
        }
        Directory.Delete(_s3.Directory, recursive: true);
        try
        {
            await Postgres.StopAsync();
        }
        catch (InvalidOperationException)
        {
            // already down (the test failed while it was)
        }
    }
}
