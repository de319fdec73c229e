using Reframe.Core.Engines;

namespace Reframe.Media.Sources;

/// <summary>The shape rules for an http(s) input URL, applied to the URL given and to every redirect target.</summary>
internal static class SourceUrl
{
    /// <summary>
    /// Parses <paramref name="text"/> as an absolute http(s) URL without credentials, or throws a
    /// <see cref="ReframeFailure"/> named <paramref name="failureName"/>.
    /// </summary>
    public static Uri Parse(string text, string failureName, FetchSettings settings, Uri? relativeTo = null)
    {
        if (text.Length > settings.MaxUrlLength)
        {
            throw new ReframeFailure(failureName,
                $"The URL is {text.Length:N0} characters long; at most {settings.MaxUrlLength:N0} are accepted.");
        }
        Uri? uri;
        var parsed = relativeTo is null
            ? Uri.TryCreate(text, UriKind.Absolute, out uri)
            : Uri.TryCreate(relativeTo, text, out uri);
        if (!parsed || uri is null)
        {
            throw new ReframeFailure(failureName,
                "The input is neither a valid http(s) URL nor a data: URI (e.g. https://example.com/clip.mp4).");
        }
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new ReframeFailure(failureName,
                $"URLs with the scheme '{uri.Scheme}:' are not fetched; use an http(s) URL or a data: URI.");
        }
        if (uri.UserInfo.Length > 0)
        {
            // Credentials in URLs end up in logs and task records, and 'https://trusted@evil/' misleads readers.
            throw new ReframeFailure(failureName,
                "URLs with a user name or password (user:pass@host) are not accepted; use a pre-signed URL instead.");
        }
        if (uri.IdnHost.Length == 0)
        {
            throw new ReframeFailure(failureName, "The URL has no host name.");
        }
        // Dial what the name normalises to: IDNA maps '127。0。0。1' and (with ICU) full-width digits '１２７.０.０.１'
        // to the literal 127.0.0.1, which the connect-time check must judge as the address it is. Without ICU
        // (invariant globalization) the digits are folded here, so the outcome does not depend on the platform.
        if (uri.HostNameType == UriHostNameType.Dns && NumericHost(uri) is { } literal)
        {
            uri = new UriBuilder(uri) { Host = literal }.Uri;
        }
        return uri;
    }

    /// <summary>The IP literal a DNS-typed host really denotes, or null when it is a name.</summary>
    private static string? NumericHost(Uri uri)
    {
        var idnIsPlainAscii = uri.IdnHost.All(char.IsAscii) && !uri.IdnHost.Contains("xn--", StringComparison.Ordinal);
        var candidate = idnIsPlainAscii ? uri.IdnHost : string.Concat(uri.Host.Select(FoldDigit));
        return System.Net.IPAddress.TryParse(candidate, out var address) ? address.ToString() : null;
    }

    private static char FoldDigit(char c)
    {
        if (c is '\u3002' or '\uFF0E' or '\uFF61')
        {
            return '.';
        }
        var digit = System.Globalization.CharUnicodeInfo.GetDecimalDigitValue(c);
        return digit >= 0 ? (char)('0' + digit) : c;
    }

    /// <summary>Scheme, host and port only: query strings often carry signatures that must not reach logs.</summary>
    public static string Describe(Uri uri) =>
        uri.IsDefaultPort ? $"{uri.Scheme}://{uri.Host}" : $"{uri.Scheme}://{uri.Host}:{uri.Port}";
}
