using System.Net;

namespace Reframe.Media.Tests.Sources;

/// <summary>
/// Ways to make the fetcher reach this machine or a private/metadata address. <c>{c}</c> is the canary's port.
/// Kept in one place so the "refused when guarded" and "fetched when allowed" tests use the very same strings.
/// </summary>
internal static class SsrfCases
{
    /// <summary>Forms that reach the loopback canary when the guard is off.</summary>
    public static readonly string[] ReachLoopbackCanary =
    [
        "http://127.0.0.1:{c}/",
        "http://127.1:{c}/",                         // short dotted form
        "http://2130706433:{c}/",                    // decimal
        "http://0177.0.0.1:{c}/",                    // octal
        "http://0x7f.0.0.1:{c}/",                    // hex first byte
        "http://0x7f000001:{c}/",                    // hex whole
        "http://017700000001:{c}/",                  // octal whole
        "http://[::1]:{c}/",                         // IPv6 loopback
        "http://[::ffff:127.0.0.1]:{c}/",            // IPv4-mapped
        "http://[::ffff:7f00:1]:{c}/",               // IPv4-mapped, hex
        "http://[0:0:0:0:0:ffff:127.0.0.1]:{c}/",    // IPv4-mapped, long form
        "http://localhost:{c}/",
        "http://\uFF11\uFF12\uFF17.\uFF10.\uFF10.\uFF11:{c}/", // full-width digits, IDN-normalised to 127.0.0.1
        "http://127\u30020\u30020\u30021:{c}/",       // ideographic full stops
        "http://0.0.0.0:{c}/",                       // unspecified: Linux connects it to this machine
        "http://0:{c}/",
        "http://[::]:{c}/",                          // reaches the canary, whose Kestrel answers 400 to Host "[::]"
        "http://127.0.0.1:{c}/path?q=1#frag",
    ];

    /// <summary>Refused forms that cannot reach the canary even unguarded (nothing listens there).</summary>
    public static readonly string[] RefusedElsewhere =
    [
        "http://127.0.0.2:{c}/",
        "http://[::127.0.0.1]:{c}/",                 // IPv4-compatible (deprecated)
        "http://[64:ff9b::7f00:1]:{c}/",             // NAT64 of 127.0.0.1
        "http://[2002:7f00:1::]:{c}/",               // 6to4 of 127.0.0.1
        "http://10.0.0.1/",
        "http://172.16.0.1/",
        "http://172.31.255.254/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",                        // carrier-grade NAT
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/", // AWS/GCP/Azure metadata
        "http://[fd00:ec2::254]/latest/meta-data/",  // AWS metadata over IPv6
        "http://metadata.google.internal/computeMetadata/v1/",
        "http://metadata/computeMetadata/v1/",
        "http://100.100.100.200/latest/meta-data/",  // Alibaba Cloud metadata
        "http://[::ffff:169.254.169.254]/",          // metadata, IPv4-mapped
        "http://[::ffff:10.0.0.1]/",
        "http://169.254.1.1/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://[fd12:3456:789a::1]/",
        "http://224.0.0.1/",
        "http://[ff02::1]/",
        "http://255.255.255.255/",
        "http://240.0.0.1/",
        "http://198.18.0.1/",
        "https://127.0.0.1:{c}/",
        "http://LocalHost.:{c}/",                    // case and trailing dot (glibc does not resolve it here)
        "http://a.localhost:{c}/",                   // RFC 6761: *.localhost is loopback
    ];

    /// <summary>Not http(s), or not a URL the fetcher accepts at all.</summary>
    public static readonly string[] NotHttp =
    [
        "file:///etc/passwd",
        "file://localhost/etc/hosts",
        "ftp://127.0.0.1:{c}/",
        "gopher://127.0.0.1:{c}/_GET%20/%20HTTP/1.0",
        "dict://127.0.0.1:{c}/info",
        "ldap://127.0.0.1:{c}/",
        "ws://127.0.0.1:{c}/",
        "jar:http://127.0.0.1:{c}/a.jar!/b",
        "netdoc:///etc/passwd",
        "javascript:alert(1)",
        "//127.0.0.1:{c}/",                          // scheme-relative
        "127.0.0.1:{c}",                             // no scheme
        "http://user:secret@127.0.0.1:{c}/",         // credentials
        "http://example.com@127.0.0.1:{c}/",         // credentials that mislead a reader
    ];

    /// <summary>Redirect targets an allowed server may send the fetcher to.</summary>
    public static readonly string[] RedirectTargets =
    [
        "http://127.0.0.1:{c}/",
        "http://[::1]:{c}/",
        "http://localhost:{c}/",
        "http://2130706433:{c}/",
        "http://[::ffff:127.0.0.1]:{c}/",
        "//127.0.0.1:{c}/",                          // scheme-relative Location
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "file:///etc/passwd",
        "gopher://127.0.0.1:{c}/_x",
        "http://u:p@127.0.0.1:{c}/",
    ];

    /// <summary>Names other than localhost that /etc/hosts maps to loopback on this machine (checked after resolution).</summary>
    public static string[] HostsFileLoopbackNames()
    {
        if (!File.Exists("/etc/hosts"))
        {
            return [];
        }
        return File.ReadLines("/etc/hosts")
            .Select(line => line.Split('#')[0].Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length > 1 && IPAddress.TryParse(fields[0], out var address) && IPAddress.IsLoopback(address))
            .SelectMany(fields => fields.Skip(1))
            .Where(name => !name.Contains("localhost", StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToArray();
    }

    public static string WithPort(string template, int port) => template.Replace("{c}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    public static TheoryData<string> Data(params string[][] lists)
    {
        var data = new TheoryData<string>();
        foreach (var item in lists.SelectMany(list => list))
        {
            data.Add(item);
        }
        return data;
    }
}
