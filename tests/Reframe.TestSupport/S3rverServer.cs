using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Reframe.TestSupport;

/// <summary>
/// A real S3-speaking server for the tests: <c>s3rver</c> from npm (scripts/setup.sh installs it), on loopback with a
/// port the OS picks, storing objects in a temporary folder. It answers the S3 REST protocol with signature checks,
/// which is what the blob store and the cluster need; production uses AWS S3, MinIO, Ceph or R2. Credentials are
/// s3rver's fixed ones.
/// </summary>
public sealed partial class S3rverServer : IAsyncDisposable
{
    public const string AccessKeyId = "S3RVER";
    public const string SecretAccessKey = "S3RVER";

    private readonly Process _process;
    private readonly string _directory;
    private readonly ConcurrentQueue<string> _output = new();

    private S3rverServer(Process process, string directory, string bucket)
    {
        _process = process;
        _directory = directory;
        Bucket = bucket;
    }

    public Uri Endpoint { get; private set; } = null!;

    private bool _keepDirectory;

    /// <summary>Disposing leaves the objects for a server started again over the same directory.</summary>
    public S3rverServer KeepDirectory()
    {
        _keepDirectory = true;
        return this;
    }

    /// <summary>A bucket made at start-up.</summary>
    public string Bucket { get; }

    /// <summary>The service's settings that store results in this server's bucket under <paramref name="prefix"/>.</summary>
    public Dictionary<string, string?> BlobSettings(string prefix) => new()
    {
        ["REFRAME_BLOB_URL"] = $"s3://{Bucket}/{prefix}",
        ["REFRAME_S3_ENDPOINT"] = Endpoint.AbsoluteUri,
        ["REFRAME_S3_FORCE_PATH_STYLE"] = "true",
        ["AWS_ACCESS_KEY_ID"] = AccessKeyId,
        ["AWS_SECRET_ACCESS_KEY"] = SecretAccessKey,
    };

    /// <summary>Where the objects are stored (s3rver keeps one folder per object key).</summary>
    public string Directory => _directory;

    /// <summary>
    /// Starts s3rver on <paramref name="port"/> (0: one the OS picks) over <paramref name="directory"/> (null: a new
    /// temporary one); the same port and directory bring a stopped server back with its objects, as after an outage.
    /// </summary>
    public static async Task<S3rverServer> StartAsync(string bucket = "reframe-test", int port = 0, string? directory = null)
    {
        var executable = FindExecutable();
        directory ??= Path.Combine(Path.GetTempPath(), "reframe-s3-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var psi = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-d", directory, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--configure-bucket", bucket })
        {
            psi.ArgumentList.Add(a);
        }
        var server = new S3rverServer(Process.Start(psi)!, directory, bucket);
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }
            server._output.Enqueue(line);
            if (ListeningLine().Match(line) is { Success: true } m)
            {
                listening.TrySetResult(new Uri($"http://{m.Groups[1].Value}"));
            }
        }
        server._process.OutputDataReceived += (_, e) => OnLine(e.Data);
        server._process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var exited = server._process.WaitForExitAsync(timeout.Token);
        if (await Task.WhenAny(listening.Task, exited).ConfigureAwait(false) != listening.Task)
        {
            throw new InvalidOperationException("s3rver did not start:\n" + string.Join('\n', server._output));
        }
        server.Endpoint = await listening.Task.ConfigureAwait(false);
        return server;
    }

    private static string FindExecutable()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "s3rver");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("s3rver is not installed: run scripts/setup.sh (it installs s3rver from npm).");
    }

    /// <summary>Kills the server and keeps its objects (an outage); start it again with the same port and directory.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _process.Dispose();
        if (_keepDirectory)
        {
            return;
        }
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    [GeneratedRegex(@"listening on (\S+:\d+)")]
    private static partial Regex ListeningLine();
}
