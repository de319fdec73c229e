using System.Text.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Reframe.Core.Tasks;
using Reframe.Media.Sources;
using Reframe.Server.Configuration;
using Reframe.Server.Contracts;
using Reframe.Server.Tasks;
using Reframe.Server.Validation;
using Reframe.Workers;
using Reframe.Workers.Webhooks;

namespace Reframe.Server.Composition;

/// <summary>
/// What runs behind the API, by role (REFRAME_ROLE): the generation workers and the engine only where workers run
/// (all, worker), webhook dispatch where the API runs (all, api), queue upkeep everywhere. An API node therefore never
/// resolves an engine, and a worker node composes no public endpoint.
/// </summary>
internal static class RoleComposition
{
    public static void Add(IServiceCollection services, IConfiguration configuration, ReframeSettings settings, FetchSettings fetchSettings)
    {
        services.TryAddSingleton(WorkerOptionsOf(settings));
        services.TryAddSingleton(sp => new QueueSignal(sp.GetRequiredService<ITaskSignals>()));
        services.TryAddSingleton(sp => new RunningTasks(sp.GetRequiredService<ITaskSignals>()));
        services.TryAddSingleton<OrphanBlobSweep>();
        services.AddHostedService<QueueMaintenance>();
        if (settings.RunsWorkers)
        {
            // The one place the engine is chosen (ReframeEngineRegistration); only a node that runs tasks calls it. The
            // optional parts first: the runner takes the interpolation networks.
            OptionalPartsComposition.AddWorkerParts(services, configuration);
            ReframeEngineRegistration.AddDefaults(services, configuration);
            services.TryAddSingleton<StorageGuard>();
            services.TryAddSingleton<TaskExecutor>();
            services.AddHostedService<GenerationWorkers>();
        }
        if (settings.RunsApi)
        {
            AddWebhookDispatch(services, configuration, settings, fetchSettings);
        }
    }

    private static void AddWebhookDispatch(IServiceCollection services, IConfiguration configuration, ReframeSettings settings, FetchSettings fetchSettings)
    {
        if (settings.DatabaseUrl is not null && string.IsNullOrWhiteSpace(configuration["REFRAME_WEBHOOK_SECRET"]))
        {
            // Each node would otherwise create its own secret in its own data directory, and receivers could not
            // verify deliveries sent by the other nodes.
            throw new StartupException("REFRAME_WEBHOOK_SECRET must be set on every API node when REFRAME_DATABASE_URL is (they all sign webhooks).");
        }
        services.TryAddSingleton(_ => WebhookSettings.FromConfiguration(configuration, settings.DataDirectory));
        services.TryAddSingleton<WebhookBodyWriter>((task, baseUrl) =>
            JsonSerializer.Serialize(ResponseMapper.ToResponse(task, baseUrl), ServerJson.Default.GenerationResponse));
        services.TryAddSingleton(_ => new WebhookHttpClient(
            fetchSettings.AllowPrivateUrls ? NetworkAddressPolicy.AllowAll : NetworkAddressPolicy.PublicOnly,
            TimeSpan.FromSeconds(10)));
        services.AddHostedService<WebhookDispatcher>();
    }

    public static WorkerOptions WorkerOptionsOf(ReframeSettings settings) => new()
    {
        Workers = settings.RunsWorkers ? settings.Workers : 0,
        WorkDirectory = settings.WorkDirectory,
        DataDirectory = settings.DataDirectory,
        TaskTimeout = settings.TaskTimeout,
        PollInterval = settings.PollInterval,
        Queue = settings.Queue,
    };
}
