using Microsoft.Extensions.DependencyInjection.Extensions;
using Reframe.Media.Sources;
using Reframe.Server.Configuration;

namespace Reframe.Server.Webhooks;

/// <summary>Adds webhook delivery to the service (one call from the composition).</summary>
public static class WebhookRegistration
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration, ReframeSettings settings, FetchSettings fetchSettings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(fetchSettings);
        services.TryAddSingleton(_ => WebhookSettings.FromConfiguration(configuration, settings.DataDirectory));
        services.TryAddSingleton(sp => new WebhookOutbox(settings.DataDirectory, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new WebhookHttpClient(
            fetchSettings.AllowPrivateUrls ? NetworkAddressPolicy.AllowAll : NetworkAddressPolicy.PublicOnly,
            TimeSpan.FromSeconds(10)));
        services.AddHostedService<WebhookDispatcher>();
        return services;
    }
}
