using Reframe.Server;

namespace Reframe.Wan.Host;

/// <summary>Composition only: the service of Reframe.Server, with the Wan engine when a model folder is configured.</summary>
public static class WanHostProgram
{
    public static async Task Main(string[] args)
    {
        var builder = ReframeApp.CreateBuilder(args);
        WanHostRegistration.AddWanEngine(builder);
        await ReframeApp.Configure(builder.Build()).RunAsync();
    }
}
