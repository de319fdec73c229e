using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Reframe.Server.Limits;

public static class SubmissionLimitsRegistration
{
    /// <summary>Registers the per-key submission limits (settings, token buckets, active-task counter, filter) and the free-space reserve.</summary>
    public static IServiceCollection AddSubmissionLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(SubmissionLimitSettings.FromConfiguration(configuration));
        services.TryAddSingleton<KeyRateLimiter>();
        services.TryAddSingleton<ActiveTaskCounter>();
        services.TryAddSingleton<SubmissionLimitsFilter>();
        services.TryAddSingleton<StorageGuard>();
        return services;
    }
}
