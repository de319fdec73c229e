using System.Net;
using System.Net.Sockets;

namespace Reframe.TestSupport;

public static class LoopbackPorts
{
    /// <summary>A loopback port free right now, for a server a test must restart on the same port.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
