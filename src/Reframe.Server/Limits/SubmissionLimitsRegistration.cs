using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Reframe.Server.Limits;

public static class SubmissionLimitsRegistration
{
    /// <summary>Registers the per-key submission limits (settings, token buckets, filter); the store counts active tasks.</summary>
    public static IServiceCollection AddSubmissionLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(SubmissionLimitSettings.FromConfiguration(configuration));
        services.TryAddSingleton<KeyRateLimiter>();
        services.TryAddSingleton<SubmissionLimitsFilter>();
        return services;
    }
}
