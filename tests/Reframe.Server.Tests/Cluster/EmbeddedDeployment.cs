using Reframe.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Reframe.Server.Tests.Cluster;

/// <summary>
/// The embedded default in the same scenario: one process (REFRAME_ROLE=all, SQLite and files in its data directory,
/// two worker loops). Killing "a worker holding a task" and "an API node" is killing that process; a restart on the
/// same directory recovers its tasks at once.
/// </summary>
public sealed class EmbeddedDeployment : IDeployment
{
    private readonly string _dataDirectory;
    private readonly ChildServer[] _node = new ChildServer[1];
    private readonly List<ChildServer> _retired = [];

    private EmbeddedDeployment(string dataDirectory) => _dataDirectory = dataDirectory;

    public string Name => "embedded default (one process, SQLite + local folder)";

    public IReadOnlyList<ChildServer> ApiNodes => _node;

    public static async Task<EmbeddedDeployment> StartAsync()
    {
        var deployment = new EmbeddedDeployment(Path.Combine(Path.GetTempPath(), "reframe-embedded-" + Guid.NewGuid().ToString("N")[..12]));
        await deployment.RestartApiAsync(0);
        return deployment;
    }

    public Task<string> CreateKeyAsync() => CliKeys.CreateAsync("embedded-test", "--data-dir", _dataDirectory);

    public async Task<Guid> KillAWorkerHoldingOneOfAsync(IReadOnlyCollection<Guid> candidates, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            foreach (var task in candidates)
            {
                if (await LeaseOwnerAsync(task) is not null)
                {
                    await KillApiAsync(0);
                    await RestartApiAsync(0);
                    return task;
                }
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("no worker took one of the tasks in time");
    }

    public async Task KillApiAsync(int index)
    {
        await _node[0].KillAsync();
        _retired.Add(_node[0]);
    }

    public async Task RestartApiAsync(int index) =>
        _node[0] = await ChildServer.StartAsync(_dataDirectory, new Dictionary<string, string?>
        {
            ["REFRAME_WORKERS"] = "2",
            ["REFRAME_MAX_ATTEMPTS"] = "5",
            ["REFRAME_POLL_MS"] = "2000",
        });

    public Task<IReadOnlyList<StoredTask>> ReadTasksAsync() => Query("SELECT id, status, attempts, file_token FROM tasks ORDER BY seq",
        r => new StoredTask(Guid.Parse(r.GetString(0)), r.GetInt32(1), r.GetInt32(2), r.IsDBNull(3) ? null : r.GetString(3)));

    public Task<IReadOnlyList<string>> ResultBlobsAsync() => Task.FromResult<IReadOnlyList<string>>(
        new[] { "results", "inputs" }.Select(d => Path.Combine(_dataDirectory, d)).Where(Directory.Exists)
            .SelectMany(d => Directory.GetFiles(d, "*", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(_dataDirectory, f).Replace(Path.DirectorySeparatorChar, '/')).ToList());

    public IEnumerable<string> WorkerLog() => _retired.Concat(_node).SelectMany(n => n.Output);

    public async Task<string?> LeaseOwnerAsync(Guid task) =>
        (await Query($"SELECT lease_owner FROM tasks WHERE id = '{task}' AND status = 1", r => r.GetString(0))).FirstOrDefault();

    private Task<IReadOnlyList<T>> Query<T>(string sql, Func<SqliteDataReader, T> read)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_dataDirectory, "reframe.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var rows = new List<T>();
        while (r.Read())
        {
            rows.Add(read(r));
        }
        return Task.FromResult<IReadOnlyList<T>>(rows);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _retired.Concat(_node).Distinct())
        {
            await node.DisposeAsync();
        }
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
