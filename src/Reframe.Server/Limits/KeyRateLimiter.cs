using System.Threading.RateLimiting;

namespace Reframe.Server.Limits;

/// <summary>
/// A token bucket per key (partitioned by owner id, never by the key itself): the bucket holds a minute's budget
/// and refills one token every 60 s / budget, so a client may burst, then proceeds at the configured rate.
/// </summary>
public sealed class KeyRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _limiter;

    public KeyRateLimiter(SubmissionLimitSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.RatePerMinute <= 0)
        {
            return;
        }
        var perToken = TimeSpan.FromMinutes(1) / settings.RatePerMinute;
        _limiter = PartitionedRateLimiter.Create<string, string>(owner => RateLimitPartition.GetTokenBucketLimiter(owner, _ =>
            new TokenBucketRateLimiterOptions
            {
                TokenLimit = settings.RatePerMinute,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = perToken,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <summary>Null when the submission may go ahead; else how long to wait before the next one would be accepted.</summary>
    public TimeSpan? TryAcquire(string ownerId)
    {
        if (_limiter is null)
        {
            return null;
        }
        using var lease = _limiter.AttemptAcquire(ownerId);
        if (lease.IsAcquired)
        {
            return null;
        }
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
    }

    public void Dispose() => _limiter?.Dispose();
}
