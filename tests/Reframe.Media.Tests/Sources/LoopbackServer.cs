using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Reframe.Media.Tests.Sources;

/// <summary>
/// A real Kestrel server on 127.0.0.1 and [::1] (same port), counting every TCP connection it accepts and every
/// request it serves. The SSRF tests use it as the canary: a guarded fetch must leave both counts unchanged.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _connections;
    private int _requests;

    private LoopbackServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }
    public int Connections => Volatile.Read(ref _connections);
    public int Requests => Volatile.Read(ref _requests);
    public string Url(string pathAndQuery = "/") => $"http://127.0.0.1:{Port}{pathAndQuery}";

    public static async Task<LoopbackServer> StartAsync(RequestDelegate handler)
    {
        // Kestrel needs the port up front to bind both loopback families to it; retry if another process takes it.
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            LoopbackServer? server = null;
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                void Counted(ListenOptions listen) =>
                    listen.Use(next => connection =>
                    {
                        Interlocked.Increment(ref server!._connections);
                        return next(connection);
                    });
                kestrel.Listen(IPAddress.Loopback, port, Counted);
                kestrel.Listen(IPAddress.IPv6Loopback, port, Counted);
            });
            var app = builder.Build();
            server = new LoopbackServer(app, port);
            app.Run(context =>
            {
                Interlocked.Increment(ref server._requests);
                return handler(context);
            });
            try
            {
                await app.StartAsync();
                return server;
            }
            catch (Exception error) when (attempt < 5 && error is IOException or InvalidOperationException)
            {
                await app.DisposeAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
