using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Reframe.Media.Tests.Sources;

/// <summary>
/// The canary (answers "canary" to anything, counting connections) and an allowed "front" server that redirects
/// wherever its query says. Both are on loopback; tests trust the front's exact endpoint through the policy's
/// operator allow-list, which is how it stands in for a public server.
/// </summary>
public sealed class CanaryFixture : IAsyncLifetime
{
    public const string CanaryBody = "canary";

    internal LoopbackServer Canary { get; private set; } = null!;
    internal LoopbackServer Front { get; private set; } = null!;

    public IPEndPoint FrontEndpoint => new(IPAddress.Loopback, Front.Port);

    public async Task InitializeAsync()
    {
        Canary = await LoopbackServer.StartAsync(context =>
        {
            context.Response.ContentType = "video/mp4";
            return context.Response.WriteAsync(CanaryBody);
        });
        Front = await LoopbackServer.StartAsync(context =>
        {
            var path = context.Request.Path.Value;
            if (path == "/redirect")
            {
                var status = int.TryParse(context.Request.Query["status"], out var code) ? code : StatusCodes.Status302Found;
                context.Response.StatusCode = status;
                // Raw header: the Location must reach the client exactly as an attacker would write it.
                context.Response.Headers.Location = context.Request.Query["to"].ToString();
                return Task.CompletedTask;
            }
            if (path == "/loop")
            {
                context.Response.StatusCode = StatusCodes.Status302Found;
                context.Response.Headers.Location = "/loop";
                return Task.CompletedTask;
            }
            context.Response.ContentType = "video/mp4";
            return context.Response.Body.WriteAsync(System.Text.Encoding.ASCII.GetBytes("front")).AsTask();
        });
    }

    public async Task DisposeAsync()
    {
        await Canary.DisposeAsync();
        await Front.DisposeAsync();
    }
}
