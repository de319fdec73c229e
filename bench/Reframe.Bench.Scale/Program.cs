using System.Globalization;
using Microsoft.Data.Sqlite;
using Reframe.Bench.Scale;
using Reframe.Storage.Files;
using Reframe.Storage.S3;
using Reframe.TestSupport;

// Scale-out benchmarks, side by side in one run on one machine (docs/benchmarks.md, "Scale-out"):
//   1. POST and GET throughput and p99 through the HTTP service: SQLite vs PostgreSQL (both durable: SQLite WAL with
//      synchronous=FULL, PostgreSQL with fsync and synchronous_commit on).
//   2. Claim-to-start latency and tasks/s with 1, 2 and 4 workers on short classic tasks: PostgreSQL (separate worker
//      nodes, woken by NOTIFY) vs SQLite (worker loops of one process).
//   3. Blob put/get MB/s: s3rver (S3 protocol over loopback) vs the local folder.
// PostgreSQL and s3rver are private instances started here (scripts/setup.sh installs them).
//   dotnet run -c Release --project bench/Reframe.Bench.Scale -- [seconds-per-phase] [concurrency]
var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 8;
var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 32;
var phase = TimeSpan.FromSeconds(seconds);
Console.WriteLine($"{Environment.ProcessorCount} cores, {seconds} s per HTTP phase, closed-loop concurrency {concurrency}");

var postgres = await PostgresServer.StartDedicatedAsync(durable: true);
async Task<string> NewDatabase(string hint) => postgres.Url(await postgres.CreateDatabaseAsync(hint));

// 1. HTTP
var sqliteHttp = await HttpPhase.RunAsync("http-sqlite", [], concurrency, phase);
var postgresHttp = await HttpPhase.RunAsync("http-pg", new() { ["REFRAME_DATABASE_URL"] = await NewDatabase("http") }, concurrency, phase);
Console.WriteLine();
Console.WriteLine("HTTP, closed loop, API node without workers");
Console.WriteLine($"  POST  SQLite      {sqliteHttp.Post}");
Console.WriteLine($"  POST  PostgreSQL  {postgresHttp.Post}");
Console.WriteLine($"  GET   SQLite      {sqliteHttp.Get}");
Console.WriteLine($"  GET   PostgreSQL  {postgresHttp.Get}");

// 2. Workers
var clipPath = Path.Combine(Path.GetTempPath(), $"reframe-bench-scale-{Guid.NewGuid():N}.mp4");
FfmpegTools.Run(["-f", "lavfi", "-i", "testsrc=size=96x72:rate=8", "-frames:v", "9",
    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", clipPath]);
var clip = "data:video/mp4;base64," + Convert.ToBase64String(await File.ReadAllBytesAsync(clipPath));
const int LatencySamples = 20;
const int Burst = 24;
Console.WriteLine();
Console.WriteLine($"Workers on short classic tasks (9 frames 96x72 -> 16:9 480p): claim-to-start over {LatencySamples} tasks to idle workers, throughput over a burst of {Burst}");
foreach (var workers in new[] { 1, 2, 4 })
{
    var database = await NewDatabase($"workers{workers}");
    var pg = await WorkerPhase.RunAsync($"w{workers}-pg", new() { ["REFRAME_DATABASE_URL"] = database, ["REFRAME_POLL_MS"] = "5000" }, splitRoles: true,
        workers, LatencySamples, Burst, clip, async _ =>
        {
            var text = await postgres.PsqlAsync(database[(database.LastIndexOf('/') + 1)..database.IndexOf('?', StringComparison.Ordinal)],
                "SELECT created_at, started_at FROM reframe_tasks WHERE started_at IS NOT NULL ORDER BY seq");
            return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|'))
                .Select(f => (long.Parse(f[0], CultureInfo.InvariantCulture), long.Parse(f[1], CultureInfo.InvariantCulture))).ToList();
        });
    var sqlite = await WorkerPhase.RunAsync($"w{workers}-sqlite", new() { ["REFRAME_POLL_MS"] = "5000" }, splitRoles: false,
        workers, LatencySamples, Burst, clip, dir =>
        {
            using var connection = new SqliteConnection($"Data Source={Path.Combine(dir, "reframe.db")};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT created_at, started_at FROM tasks WHERE started_at IS NOT NULL ORDER BY seq";
            using var r = cmd.ExecuteReader();
            var rows = new List<(long, long)>();
            while (r.Read())
            {
                rows.Add((r.GetInt64(0), r.GetInt64(1)));
            }
            return Task.FromResult<IReadOnlyList<(long Created, long Started)>>(rows);
        });
    Console.WriteLine($"  {workers} worker(s)  PostgreSQL: claim-to-start p50 {pg.LatencyP50Ms:0} ms, p99 {pg.LatencyP99Ms:0} ms, {pg.TasksPerSecond:0.00} tasks/s" +
                      $"   |   SQLite: p50 {sqlite.LatencyP50Ms:0} ms, p99 {sqlite.LatencyP99Ms:0} ms, {sqlite.TasksPerSecond:0.00} tasks/s");
}

// 3. Blobs
const int BlobCount = 16;
const int BlobSize = 8 * 1024 * 1024;
await using var s3 = await S3rverServer.StartAsync("bench");
using var bucket = new S3BlobStore(new S3BlobStoreOptions
{
    Bucket = s3.Bucket, Endpoint = s3.Endpoint, ForcePathStyle = true,
    AccessKeyId = S3rverServer.AccessKeyId, SecretAccessKey = S3rverServer.SecretAccessKey,
});
var local = new LocalFolderBlobStore(Nodes.TempDirectory("blobs"));
var s3Blobs = await BlobPhase.RunAsync(bucket, BlobCount, BlobSize);
var localBlobs = await BlobPhase.RunAsync(local, BlobCount, BlobSize);
Console.WriteLine();
Console.WriteLine($"Blobs, {BlobCount} x {BlobSize / (1024 * 1024)} MiB, one at a time");
Console.WriteLine($"  put  s3rver {s3Blobs.PutMBps:0} MB/s   local folder {localBlobs.PutMBps:0} MB/s");
Console.WriteLine($"  get  s3rver {s3Blobs.GetMBps:0} MB/s   local folder {localBlobs.GetMBps:0} MB/s");
File.Delete(clipPath);
