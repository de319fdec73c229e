using System.IO.Compression;
using Microsoft.AspNetCore.Http;

namespace Reframe.Media.Tests.Sources;

/// <summary>A loopback server with the misbehaviours the download limits exist for.</summary>
public sealed class LimitsFixture : IAsyncLifetime
{
    private static readonly byte[] Block = Enumerable.Range(0, 64 * 1024).Select(i => (byte)(i * 31)).ToArray();

    internal LoopbackServer Server { get; private set; } = null!;

    /// <summary>gzip of 8 MiB of zeros: small on the wire, large if something decompressed it.</summary>
    public byte[] GzipBomb { get; } = Gzip(new byte[8 * 1024 * 1024]);

    public async Task InitializeAsync() => Server = await LoopbackServer.StartAsync(HandleAsync);

    public Task DisposeAsync() => Server.DisposeAsync().AsTask();

    /// <summary>The bytes /bytes and /chunked serve: a fixed pattern, so content can be checked.</summary>
    public static byte[] Expected(long count)
    {
        var expected = new byte[count];
        for (long i = 0; i < count; i++)
        {
            expected[i] = Block[i % Block.Length];
        }
        return expected;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        var bytes = long.TryParse(context.Request.Query["bytes"], out var n) ? n : 0;
        switch (context.Request.Path.Value)
        {
            case "/bytes":
                context.Response.ContentLength = bytes;
                await WritePatternAsync(context, bytes, aborted);
                break;
            case "/chunked": // no Content-Length: the limit must hold while streaming
                await context.Response.StartAsync(aborted);
                await WritePatternAsync(context, bytes, aborted);
                break;
            case "/truncated": // claims more than it sends; Kestrel then aborts the connection mid-body
                context.Response.ContentLength = 1000;
                await context.Response.Body.WriteAsync(Block.AsMemory(0, 10), aborted);
                break;
            case "/slow-body":
                await context.Response.StartAsync(aborted);
                for (var i = 0; i < 600 && !aborted.IsCancellationRequested; i++)
                {
                    await context.Response.Body.WriteAsync(Block.AsMemory(0, 1), aborted);
                    await context.Response.Body.FlushAsync(aborted);
                    await Task.Delay(100, aborted);
                }
                break;
            case "/slow-headers":
                await Task.Delay(TimeSpan.FromSeconds(60), aborted);
                break;
            case "/empty":
                context.Response.ContentLength = 0;
                break;
            case "/gzip":
                context.Response.Headers.ContentEncoding = "gzip";
                context.Response.ContentType = "video/mp4";
                context.Response.ContentLength = GzipBomb.Length;
                await context.Response.Body.WriteAsync(GzipBomb, aborted);
                break;
            case "/loop":
                context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
                context.Response.Headers.Location = "/loop";
                break;
            case "/no-location":
                context.Response.StatusCode = StatusCodes.Status302Found;
                break;
            default:
                context.Response.StatusCode = int.TryParse(context.Request.Path.Value?.TrimStart('/'), out var code)
                    ? code
                    : StatusCodes.Status404NotFound;
                break;
        }
    }

    private static async Task WritePatternAsync(HttpContext context, long count, CancellationToken aborted)
    {
        for (long sent = 0; sent < count;)
        {
            var chunk = (int)Math.Min(Block.Length, count - sent);
            await context.Response.Body.WriteAsync(Block.AsMemory(0, chunk), aborted);
            sent += chunk;
        }
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize))
        {
            gzip.Write(data);
        }
        return output.ToArray();
    }
}
