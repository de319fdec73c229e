using System.Net.Sockets;
using System.Text;
using Reframe.Server.Tests.Infrastructure;

namespace Reframe.Server.Tests.Http;

/// <summary>
/// A body over REFRAME_MAX_REQUEST_BYTES gets its 413 on a connection that stays usable, as long as the body ends
/// within the drain allowance (as much again as the limit): the client reads the answer, never a reset, and sends its
/// next request on the same connection. Spoken over a raw socket so that the connection itself is what is checked.
/// </summary>
public sealed class OversizeBodyTests : IClassFixture<ContractServerFixture>
{
    private readonly InProcessServer _server;

    public OversizeBodyTests(ContractServerFixture fixture) => _server = fixture.Server;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OverTheLimit_Answers413_AndTheConnectionServesTheNextRequest(bool chunked)
    {
        var over = ContractServerFixture.MaxRequestBytes + ContractServerFixture.MaxRequestBytes / 2;
        var json = Encoding.UTF8.GetBytes($$"""{"model":"{{ApiClient.Model}}","prompt":"{{new string('x', over)}}"}""");
        using var socket = new TcpClient();
        await socket.ConnectAsync(_server.BaseAddress.Host, _server.BaseAddress.Port);
        var stream = socket.GetStream();
        stream.ReadTimeout = 30_000;

        var head = "POST /v2/video/generations HTTP/1.1\r\n" +
                   $"Host: {_server.BaseAddress.Authority}\r\nAuthorization: Bearer {InProcessServer.KeyA}\r\nContent-Type: application/json\r\n" +
                   (chunked ? "Transfer-Encoding: chunked\r\n\r\n" : $"Content-Length: {json.Length}\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        if (chunked)
        {
            foreach (var piece in json.Chunk(8 * 1024))
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{piece.Length:x}\r\n"));
                await stream.WriteAsync(piece);
                await stream.WriteAsync("\r\n"u8.ToArray());
            }
            await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
        }
        else
        {
            await stream.WriteAsync(json);
        }

        var (status, headers, body) = await ReadResponseAsync(stream);
        Assert.Equal(413, status);
        Assert.Contains("REFRAME_MAX_REQUEST_BYTES", body, StringComparison.Ordinal);
        Assert.DoesNotContain("connection: close", headers, StringComparison.OrdinalIgnoreCase);

        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /healthz HTTP/1.1\r\nHost: {_server.BaseAddress.Authority}\r\n\r\n"));
        Assert.Equal(200, (await ReadResponseAsync(stream)).Status);
    }

    /// <summary>One HTTP/1.1 response, its body sent with a Content-Length or chunked.</summary>
    private static async Task<(int Status, string Headers, string Body)> ReadResponseAsync(NetworkStream stream)
    {
        var headers = new StringBuilder();
        for (var line = await ReadLineAsync(stream); line.Length > 0; line = await ReadLineAsync(stream))
        {
            headers.Append(line).Append('\n');
        }
        var lines = headers.ToString().Split('\n');
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var body = new MemoryStream();
        if (lines.FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) is { } length)
        {
            var bytes = new byte[int.Parse(length["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)];
            await stream.ReadExactlyAsync(bytes);
            body.Write(bytes);
        }
        else
        {
            Assert.Contains(lines, l => l.Equals("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase));
            for (var size = Convert.ToInt32(await ReadLineAsync(stream), 16); size > 0; size = Convert.ToInt32(await ReadLineAsync(stream), 16))
            {
                var bytes = new byte[size];
                await stream.ReadExactlyAsync(bytes);
                body.Write(bytes);
                Assert.Equal("", await ReadLineAsync(stream));
            }
            Assert.Equal("", await ReadLineAsync(stream)); // no trailers
        }
        return (status, headers.ToString(), Encoding.UTF8.GetString(body.ToArray()));
    }

    private static async Task<string> ReadLineAsync(NetworkStream stream)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one) == 0)
            {
                throw new IOException("the server closed the connection before its answer ended");
            }
            if (one[0] == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }
            line.Append((char)one[0]);
        }
    }
}
