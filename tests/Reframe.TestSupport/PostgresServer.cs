using System.Diagnostics;
using System.Globalization;

namespace Reframe.TestSupport;

/// <summary>
/// A real PostgreSQL from Debian's packages, started for the test run: <c>initdb</c> + <c>pg_ctl</c> in a temporary
/// folder, listening only on a Unix socket in that folder (no TCP port to collide with), trust authentication for its
/// one superuser. PostgreSQL refuses to run as root, so when the tests run as root the server runs as the
/// <c>postgres</c> user the Debian package creates (through <c>runuser</c>). One server per test process, stopped
/// when the process exits; each test takes a fresh database of its own with <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed class PostgresServer
{
    private const string Superuser = "reframe";
    private static readonly Lazy<Task<PostgresServer>> Shared = new(() => StartDedicatedAsync(durable: false));
    private static int _databases;

    private readonly string _root;
    private readonly string? _runAs;
    private string _bin = "";
    private string _options = "";

    private PostgresServer(string root, string? runAs)
    {
        _root = root;
        _runAs = runAs;
    }

    /// <summary>Stops the server as an outage would (connections cut); <see cref="StartAgainAsync"/> brings it back.</summary>
    public Task StopAsync() =>
        RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_root, "data"), "-m", "immediate", "-w", "stop"], asServer: true);

    public Task StartAgainAsync() =>
        RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_root, "data"), "-l", Path.Combine(_root, "server.log"), "-o", _options, "-w", "-t", "60", "start"], asServer: true);

    /// <summary>The socket folder: what Npgsql's Host names.</summary>
    public string SocketDirectory => Path.Combine(_root, "socket");

    public static Task<PostgresServer> GetAsync() => Shared.Value;

    /// <summary>An Npgsql connection string for <paramref name="database"/>.</summary>
    public string ConnectionString(string database) =>
        $"Host={SocketDirectory};Username={Superuser};Database={database};Pooling=true;Maximum Pool Size=20;Timeout=30";

    /// <summary>The same as a URL, the form operators usually give REFRAME_DATABASE_URL.</summary>
    public string Url(string database) => $"postgresql://{Superuser}@/{database}?host={Uri.EscapeDataString(SocketDirectory)}";

    /// <summary>Creates an empty database and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(string hint)
    {
        var name = string.Create(CultureInfo.InvariantCulture,
            $"{new string(hint.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(20).ToArray())}_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}");
        await PsqlAsync("postgres", $"CREATE DATABASE {name}").ConfigureAwait(false);
        return name;
    }

    /// <summary>Runs SQL with psql and returns its unaligned output (for checks that look at the tables directly).</summary>
    public Task<string> PsqlAsync(string database, string sql) =>
        RunAsync("psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", SocketDirectory, "-U", Superuser, "-d", database, "-c", sql], asServer: false);

    /// <summary>
    /// A server of its own. <paramref name="durable"/> keeps PostgreSQL's defaults (fsync, synchronous commit), for
    /// benchmarks that compare it with SQLite's synchronous=FULL; the tests' shared server turns them off.
    /// </summary>
    public static async Task<PostgresServer> StartDedicatedAsync(bool durable)
    {
        var bin = FindBinaries();
        var root = Path.Combine(Path.GetTempPath(), "reframe-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(root, "socket"));
        var runAs = Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root" ? "postgres" : null;
        var server = new PostgresServer(root, runAs);
        if (runAs is not null)
        {
            await RunProcessAsync("chown", ["-R", runAs, root]).ConfigureAwait(false);
        }
        await server.RunAsync(Path.Combine(bin, "initdb"), ["-D", Path.Combine(root, "data"), "-U", Superuser, "--auth=trust", "-E", "UTF8", .. (durable ? (string[])[] : ["--no-sync"])], asServer: true)
            .ConfigureAwait(false);
        // fsync off for tests: a test server's durability is not what is tested, and it halves the run time on a small disk.
        var durability = durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        var options = $"-k {Path.Combine(root, "socket")} -c listen_addresses='' -c max_connections=300 -c shared_buffers=64MB{durability}";
        server._bin = bin;
        server._options = options;
        await server.StartAgainAsync().ConfigureAwait(false);
        try
        {
            await server.CleanUpAfterAsync(Environment.ProcessId).ConfigureAwait(false);
        }
        catch
        {
            await server.StopAsync().ConfigureAwait(false); // no watchdog: no server left running either
            throw;
        }
        return server;
    }

    /// <summary>
    /// Leaves a watchdog, in a session of its own, that stops the server and deletes its folder (hundreds of MB)
    /// once process <paramref name="owner"/> has gone. A ProcessExit handler is not enough: the test platform kills
    /// its test host soon after the last result, before <c>pg_ctl stop</c> and the delete have finished, and every
    /// run left a data folder behind (CI's disk is finite).
    /// </summary>
    private Task CleanUpAfterAsync(int owner)
    {
        // Paths travel as arguments ($1..$4), never as script text, so no quote or $ in them can change the script.
        // It first lets go of the pipes it inherited, so that the call below returns at once.
        const string watchdog = "exec </dev/null >/dev/null 2>&1; while kill -0 \"$1\" 2>/dev/null; do sleep 1; done; "
            + "$STOP \"$2\" -D \"$3\" -m immediate -w stop; rm -rf -- \"$4\"";
        var stop = _runAs is null ? "" : $"runuser -u {_runAs} --";
        // setsid -f forks the watchdog into a session of its own, which outlives the test host.
        return RunProcessAsync("env", [$"STOP={stop}", "setsid", "-f", "sh", "-c", watchdog, "watchdog",
            owner.ToString(CultureInfo.InvariantCulture), Path.Combine(_bin, "pg_ctl"), Path.Combine(_root, "data"), _root]);
    }

    private static string FindBinaries()
    {
        if (Environment.GetEnvironmentVariable("REFRAME_PG_BIN") is { Length: > 0 } configured)
        {
            return configured;
        }
        var versions = Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [];
        var bin = versions.Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb")))
            .OrderByDescending(b => b, StringComparer.Ordinal).FirstOrDefault();
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run scripts/setup.sh, or set REFRAME_PG_BIN.");
    }

    private Task<string> RunAsync(string file, IReadOnlyList<string> args, bool asServer) =>
        asServer && _runAs is not null
            ? RunAsync("runuser", ["-u", _runAs, "--", file, .. args], asServer: false)
            : RunProcessAsync(file, args);

    private static async Task<string> RunProcessAsync(string file, IReadOnlyList<string> args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/" };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {p.ExitCode}: {await stderr.ConfigureAwait(false)}");
        }
        return await stdout.ConfigureAwait(false);
    }
}
