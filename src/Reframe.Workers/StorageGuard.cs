using Reframe.Core.Configuration;
using System.Globalization;
using Reframe.Core.Engines;

namespace Reframe.Workers;

/// <summary>
/// Keeps a reserve of free space on the data directory's filesystem (<c>REFRAME_MIN_FREE_MB</c>, default 64; 0 = off).
/// Without it a result can fill the disk to the last byte, and then SQLite cannot even record that the task failed
/// (its WAL must grow to commit), so the task hangs until its lease expires and ends as <c>attempts_exhausted</c>.
/// With it, work stops while the database still has room, the task ends as <c>storage_full</c>, and tasks run
/// again as soon as space returns.
/// </summary>
public sealed class StorageGuard
{
    public const int DefaultMinFreeMegabytes = 64;

    private readonly string _directory;
    private readonly long _minFreeBytes;

    public StorageGuard(WorkerOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        _directory = options.DataDirectory;
        var raw = configuration["REFRAME_MIN_FREE_MB"];
        var megabytes = DefaultMinFreeMegabytes;
        if (!string.IsNullOrWhiteSpace(raw)
            && (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out megabytes) || megabytes > 1_000_000))
        {
            throw new SettingException($"REFRAME_MIN_FREE_MB must be a whole number of megabytes from 0 (off); it is '{raw}'.");
        }
        _minFreeBytes = megabytes * 1024L * 1024;
    }

    /// <summary>True when the data directory's filesystem has less free space than the reserve.</summary>
    public bool IsLow()
    {
        if (_minFreeBytes == 0)
        {
            return false;
        }
        try
        {
            return new DriveInfo(_directory).AvailableFreeSpace < _minFreeBytes;
        }
        catch (IOException)
        {
            return false; // unknown filesystem: the ENOSPC handling still applies
        }
    }

    /// <summary>Throws the named task error <c>storage_full</c> when the reserve is reached.</summary>
    public void ThrowIfLow()
    {
        if (IsLow())
        {
            throw Failure();
        }
    }

    public static ReframeFailure Failure() => new(TaskErrorNames.StorageFull,
        "The server's disk is (nearly) full, so the result could not be stored. Try again later; the operator must free space in the data directory.");
}
