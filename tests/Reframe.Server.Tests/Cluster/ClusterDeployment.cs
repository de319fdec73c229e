using System.Globalization;
using Reframe.Server.Tests.Infrastructure;
using Reframe.Storage.S3;
using Reframe.TestSupport;

namespace Reframe.Server.Tests.Cluster;

/// <summary>
/// The scale-out topology on this machine: a private PostgreSQL (initdb + pg_ctl) and s3rver, 2 API processes
/// (REFRAME_ROLE=api) and 3 worker processes (REFRAME_ROLE=worker), each the built Reframe.Server.dll with its own data
/// directory, all sharing the database and the bucket.
/// </summary>
public sealed class ClusterDeployment : IDeployment
{
    private readonly PostgresServer _postgres;
    private readonly string _database;
    private readonly S3rverServer _s3;
    private readonly S3BlobStore _bucket;
    private readonly string _root;
    private readonly ChildServer[] _api = new ChildServer[2];
    private readonly List<ChildServer> _workers = [];
    private readonly List<ChildServer> _retired = [];

    private ClusterDeployment(PostgresServer postgres, string database, S3rverServer s3, string root)
    {
        _postgres = postgres;
        _database = database;
        _s3 = s3;
        _root = root;
        _bucket = new S3BlobStore(new S3BlobStoreOptions
        {
            Bucket = s3.Bucket, Prefix = "cluster/", Endpoint = s3.Endpoint, ForcePathStyle = true,
            AccessKeyId = S3rverServer.AccessKeyId, SecretAccessKey = S3rverServer.SecretAccessKey,
        });
    }

    public string Name => "cluster (2 API + 3 workers, PostgreSQL + s3rver)";

    public IReadOnlyList<ChildServer> ApiNodes => _api;

    public string DatabaseUrl => _postgres.Url(_database);

    public static async Task<ClusterDeployment> StartAsync(int workers = 3)
    {
        var postgres = await PostgresServer.GetAsync();
        var database = await postgres.CreateDatabaseAsync("cluster");
        var s3 = await S3rverServer.StartAsync("reframe-cluster");
        var root = Path.Combine(Path.GetTempPath(), "reframe-cluster-" + Guid.NewGuid().ToString("N")[..12]);
        var cluster = new ClusterDeployment(postgres, database, s3, root);
        // Nodes start at once, as after a deploy: the schema migration must cope (advisory lock).
        var api = Enumerable.Range(0, 2).Select(i => cluster.StartNodeAsync("api", $"api{i}")).ToArray();
        var work = Enumerable.Range(0, workers).Select(i => cluster.StartNodeAsync("worker", $"worker{i}")).ToArray();
        var started = await Task.WhenAll(api.Concat(work));
        started[..2].CopyTo(cluster._api, 0);
        cluster._workers.AddRange(started[2..]);
        return cluster;
    }

    private Task<ChildServer> StartNodeAsync(string role, string name, Dictionary<string, string?>? extra = null) =>
        ChildServer.StartAsync(Path.Combine(_root, name), new Dictionary<string, string?>(extra ?? [])
        {
            ["REFRAME_ROLE"] = role,
            ["REFRAME_DATABASE_URL"] = DatabaseUrl,
            ["REFRAME_BLOB_URL"] = $"s3://{_s3.Bucket}/cluster",
            ["REFRAME_S3_ENDPOINT"] = _s3.Endpoint.AbsoluteUri,
            ["REFRAME_S3_REGION"] = "us-east-1",
            ["REFRAME_S3_FORCE_PATH_STYLE"] = "true",
            ["AWS_ACCESS_KEY_ID"] = S3rverServer.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = S3rverServer.SecretAccessKey,
            ["REFRAME_WEBHOOK_SECRET"] = "cluster-test-webhook-secret-0123456789",
            ["REFRAME_WORKERS"] = "1",
            // A killed worker's task comes back after at most 1.5 leases.
            ["REFRAME_LEASE_SECONDS"] = "3",
            ["REFRAME_MAX_ATTEMPTS"] = "5",
            ["REFRAME_POLL_MS"] = "2000", // idle workers wait on NOTIFY; this is only the fallback
        });

    public Task<string> CreateKeyAsync() => CliKeys.CreateAsync("cluster-test", "--database-url", DatabaseUrl);

    public async Task<Guid> KillAWorkerHoldingOneOfAsync(IReadOnlyCollection<Guid> candidates, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            foreach (var task in candidates)
            {
                if (await LeaseOwnerAsync(task) is { } owner
                    && _workers.FirstOrDefault(w => owner.Contains($"/{w.ProcessId}/", StringComparison.Ordinal)) is { } holder)
                {
                    await holder.KillAsync();
                    _workers.Remove(holder);
                    _retired.Add(holder);
                    return task;
                }
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("no worker took one of the tasks in time");
    }

    public async Task KillApiAsync(int index)
    {
        await _api[index].KillAsync();
        _retired.Add(_api[index]);
    }

    /// <summary>The restarted node serves results as redirects to presigned URLs (the other keeps streaming them).</summary>
    public async Task RestartApiAsync(int index) =>
        _api[index] = await StartNodeAsync("api", $"api{index}", new() { ["REFRAME_BLOB_PUBLIC_URLS"] = "presigned" });

    /// <summary>
    /// What each role serves: a worker node only health and metrics (no public API), an API node runs no worker loop,
    /// and the presigned node answers a result with a redirect to the bucket.
    /// </summary>
    public async Task CheckRolesAsync(string resultPath, string key)
    {
        using var worker = _workers[0].Client(key);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await worker.Http.GetAsync("/v2/video/generations?generation_id=x")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await worker.Http.GetAsync(resultPath)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await worker.Http.GetAsync("/healthz")).StatusCode);
        Assert.Contains("reframe_worker_loops{role=\"worker\"} 1", await worker.Http.GetStringAsync("/metrics"), StringComparison.Ordinal);
        using var api = _api[0].Client(key);
        Assert.Contains("reframe_worker_loops{role=\"api\"} 0", await api.Http.GetStringAsync("/metrics"), StringComparison.Ordinal);
        Assert.Contains(_api[0].Output, l => l.Contains("Role api", StringComparison.Ordinal));
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _api[1].BaseAddress };
        using var redirect = await noRedirect.GetAsync(resultPath);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.StartsWith(_s3.Endpoint.AbsoluteUri, redirect.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Signature", redirect.Headers.Location.Query, StringComparison.Ordinal);
    }

    public async Task<IReadOnlyList<StoredTask>> ReadTasksAsync()
    {
        var text = await _postgres.PsqlAsync(_database, "SELECT id, status, attempts, COALESCE(file_token, '') FROM reframe_tasks ORDER BY seq");
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('|'))
            .Select(f => new StoredTask(Guid.Parse(f[0]), int.Parse(f[1], CultureInfo.InvariantCulture), int.Parse(f[2], CultureInfo.InvariantCulture),
                f[3].Length == 0 ? null : f[3]))
            .ToList();
    }

    public async Task<IReadOnlyList<string>> ResultBlobsAsync()
    {
        var keys = new List<string>();
        await foreach (var blob in _bucket.ListAsync("", CancellationToken.None))
        {
            keys.Add(blob.Key);
        }
        return keys;
    }

    public IEnumerable<string> WorkerLog() => _workers.Concat(_retired).SelectMany(w => w.Output);

    public async Task<string?> LeaseOwnerAsync(Guid task)
    {
        var owner = (await _postgres.PsqlAsync(_database, $"SELECT lease_owner FROM reframe_tasks WHERE id = '{task}' AND status = 1")).Trim();
        return owner.Length == 0 ? null : owner;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _api.Concat(_workers).Concat(_retired).Where(n => n is not null).Distinct())
        {
            await node.DisposeAsync();
        }
        _bucket.Dispose();
        await _s3.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
