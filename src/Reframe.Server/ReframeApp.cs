using Reframe.Core.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Reframe.Core.Tasks;
using Reframe.Media.Sources;
using Reframe.Core.Auth;
using Reframe.Server.Auth;
using Reframe.Server.Composition;
using Reframe.Server.Configuration;
using Reframe.Server.Contracts;
using Reframe.Server.Endpoints;
using Reframe.Server.Errors;
using Reframe.Server.Events;
using Reframe.Server.Limits;
using Reframe.Server.Playground;
using Scalar.AspNetCore;

namespace Reframe.Server;

/// <summary>
/// The service's one composition root. <c>Program.cs</c> is <see cref="RunAsync"/>; tests build the same app with
/// <see cref="CreateBuilder"/> and <see cref="Configure"/>, and may register their own <c>IReframeRunner</c> or
/// <c>IVideoEngine</c> on the builder's services before <c>Build()</c>: every registration here is a TryAdd.
/// </summary>
public static class ReframeApp
{
    /// <summary>
    /// Builds, starts and runs the service until it is stopped. A <see cref="SettingException"/> (a wrong setting) or a
    /// <see cref="StartupException"/> (an unusable model folder, a broken optional model) is printed to standard error
    /// and gives exit status 1.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            var app = Configure(CreateBuilder(args).Build());
            await app.RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is StartupException or SettingException)
        {
            await Console.Error.WriteLineAsync($"Reframe cannot start: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        AddReframe(builder);
        return builder;
    }

    /// <summary>Registers settings, storage, auth, workers and JSON for the service.</summary>
    public static ReframeSettings AddReframe(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = ReframeSettings.FromConfiguration(builder.Configuration, builder.Environment.ContentRootPath);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = settings.MaxRequestBytes);

        var services = builder.Services;
        services.TryAddSingleton(settings);
        services.TryAddSingleton(TimeProvider.System);
        StorageComposition.Add(services, settings);
        services.TryAddSingleton(sp => ApiKeyBootstrap.Load(settings, sp.GetRequiredService<IApiKeyStore>(), Console.Out, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ApiKeyFilter>();
        // Input limits and the private-address switch are the fetcher's own settings (REFRAME_MAX_DOWNLOAD_BYTES,
        // REFRAME_ALLOW_PRIVATE_URLS...), read from the same configuration.
        var fetchSettings = FetchSettings.FromEnvironment(key => builder.Configuration[key]);
        services.TryAddSingleton(fetchSettings);
        services.AddSubmissionLimits(builder.Configuration);
        // Every role: the API refuses enable_safety_checker from it (REFRAME_SAFETY_CHECKER_UNAVAILABLE=reject), workers report it.
        services.TryAddSingleton(SafetyCheckerAvailability.FromConfiguration(builder.Configuration));
        RoleComposition.Add(services, builder.Configuration, settings, fetchSettings);
        services.TryAddSingleton(EventStreamSettings.FromConfiguration(builder.Configuration));
        services.TryAddSingleton<Observability.NodeMetrics>();
        services.TryAddSingleton<Observability.ReadinessChecks>();

        services.ConfigureHttpJsonOptions(json =>
        {
            // The same names as ServerJson, so the OpenAPI document shows the wire names.
            json.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ServerJson.Default);
        });
        services.AddOpenApi(openApi => openApi.AddSchemaTransformer<OpenApi.RequestSchemaTransformer>()
            .AddDocumentTransformer((document, _, _) => OpenApi.ReframeOpenApi.TransformAsync(document)));
        return settings;
    }

    /// <summary>Opens storage (recovering tasks a killed process left running), loads the keys and maps the endpoints.</summary>
    public static WebApplication Configure(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var settings = app.Services.GetRequiredService<ReframeSettings>();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Reframe");
        // Settings their consumers read lazily are read now, so that a wrong value stops start-up naming the setting
        // instead of failing a background service (or a task) later.
        _ = app.Services.GetService<Workers.Webhooks.WebhookSettings>();
        _ = app.Services.GetService<Media.MediaSettings>();
        _ = app.Services.GetService<Workers.StorageGuard>();

        // Open the store before the workers start: it takes the data-directory lock and recovers orphans (SQLite), or
        // creates/migrates the shared schema (PostgreSQL). A test may have registered another store.
        _ = app.Services.GetRequiredService<ITaskStore>();
        _ = app.Services.GetRequiredService<ITaskQueue>();
        _ = app.Services.GetRequiredService<Core.Blobs.IBlobStore>();
        if (app.Services.GetRequiredService<OpenedStorage>().Sqlite is { } sqlite)
        {
            log.LogInformation("Tasks in {Database}; {Recovered} task(s) left running by a previous process were recovered",
                sqlite.DatabasePath, sqlite.OrphansRecovered);
            NodeStartup.ClearSingleNodeLeftovers(app.Services, settings, log);
        }
        if (settings.RunsWorkers)
        {
            // The engine loads now (the Wan engine's weights are checked and loaded here), so a wrong model folder stops
            // the process before it accepts a single task. Only a node that runs tasks has one: an API node never loads it.
            _ = app.Services.GetRequiredService<Core.Engines.IReframeRunner>();
            // Likewise the installed safety classifier and interpolation networks (opened and dry-run here).
            OptionalPartsComposition.Load(app.Services, log);
            var engine = app.Services.GetService<Core.Engines.IVideoEngine>()?.Status
                         ?? new Core.Engines.EngineStatus(Engines.Classic.ClassicEngine.EngineName, "cpu");
            log.LogInformation("Engine: {Engine} on {Device}{DType}{Hint}", engine.Engine, engine.Device,
                engine.DType is null ? "" : $" ({engine.DType})",
                engine.Engine == Engines.Classic.ClassicEngine.EngineName ? $" (set {Wan.Engine.WanEngineOptions.ModelDirectoryKey} to a Wan2.2-VACE-Fun-A14B folder for the Wan engine)" : "");
        }
        NodeStartup.Prepare(app.Services, settings, log);

        app.UseExceptionHandler(errors => errors.Run(context =>
            StoreFailures.IsStoreFailure(context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Error)
                ? StoreFailures.WriteAsync(context)
                : ApiErrors.Create(context, StatusCodes.Status500InternalServerError, "Internal server error.").ExecuteAsync(context)));
        app.UseStatusCodePages(context =>
            context.HttpContext.Response.HasStarted
                ? Task.CompletedTask
                : ApiErrors.Create(context.HttpContext, context.HttpContext.Response.StatusCode,
                    context.HttpContext.Response.StatusCode == StatusCodes.Status404NotFound ? "Not found." : "Request failed.")
                    .ExecuteAsync(context.HttpContext));

        app.UseRouting();
        app.UseReframeHttpMetrics();
        app.MapHealth();
        app.MapReframeMetrics();
        if (!settings.RunsApi)
        {
            return app; // a worker node serves health and metrics only
        }
        app.MapGenerations();
        app.MapResultFiles();
        app.MapOpenApi();
        // The docs page asks for the key once and sends it as the bearer header on "Try it".
        app.MapScalarApiReference(scalar => scalar.WithTitle("Reframe API").AddPreferredSecuritySchemes(OpenApi.ReframeOpenApi.SchemeId));
        app.MapGet("/docs", () => Microsoft.AspNetCore.Http.Results.Redirect("/scalar/v1")).ExcludeFromDescription();
        app.MapGenerationEvents();
        app.MapPlayground(); // also sends "/" to the playground
        return app;
    }
}
