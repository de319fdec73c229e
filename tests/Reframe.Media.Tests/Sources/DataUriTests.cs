using System.Text;
using Reframe.Core.Engines;
using Reframe.Media.Sources;
using Reframe.TestSupport;

namespace Reframe.Media.Tests.Sources;

/// <summary>data: URIs through the real fetcher: decoding, the size limit, and a named error for each malformation.</summary>
public sealed class DataUriTests
{
    private static readonly FetchSettings Settings = new() { MaxDataUriBytes = 64 * 1024 };

    private static readonly byte[] Payload = Enumerable.Range(0, 50_000).Select(i => (byte)((i * 7919) >> 3)).ToArray();

    public static TheoryData<string, string> Encodings => new()
    {
        { "data:video/mp4;base64," + Convert.ToBase64String(Payload), "video/mp4" },
        { "DATA:Video/MP4;BASE64," + Convert.ToBase64String(Payload), "video/mp4" },
        { "data:video/mp4;name=clip.mp4;base64," + Wrap(Convert.ToBase64String(Payload)), "video/mp4" },
        { "data:video/mp4;base64," + Convert.ToBase64String(Payload).TrimEnd('='), "video/mp4" },
        { "data:video/mp4;base64," + Convert.ToBase64String(Payload).Replace('+', '-').Replace('/', '_'), "video/mp4" },
        { "data:video/mp4;base64," + Convert.ToBase64String(Payload).Replace("+", "%2B", StringComparison.Ordinal).Replace("/", "%2f", StringComparison.Ordinal), "video/mp4" },
        { "data:application/octet-stream," + PercentEncode(Payload), "application/octet-stream" },
        { "  data:;base64," + Convert.ToBase64String(Payload) + "\n", "" },
    };

    public static TheoryData<string, string> Malformed => new()
    {
        { "data:video/mp4;base64", "no ','" },
        { "data:video/mp4;base64,", "carries no data" },
        { "data:,", "carries no data" },
        { "data:video/mp4;base64,@@@@", "'@' at position" },
        { "data:video/mp4;base64,AAAA\u0000AAA", "'\\u0000' at position" },
        { "data:video/mp4;base64,AA==AAAA", "continues after '=' padding" },
        { "data:video/mp4;base64,AAAAA", "truncated" },
        { "data:video/mp4;base64,====", "misplaced '=' padding" },
        { "data:video/mp4;base64,AAAA%zz", "not followed by two hex digits" },
        { "data:video/mp4,abc%4", "not followed by two hex digits" },
        { "data:video/mp4,%", "not followed by two hex digits" },
        { "data:video mp4;base64,AAAA", "is not of the form type/subtype" },
        { "data:/mp4;base64,AAAA", "is not of the form type/subtype" },
        { "data:video/;base64,AAAA", "is not of the form type/subtype" },
        { "data:video/mp4/x;base64,AAAA", "is not of the form type/subtype" },
        { "data:" + new string('a', 2000) + "/mp4;base64,AAAA", "header is longer than" },
        { "", "No input URL was given" },
        { "   ", "No input URL was given" },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task FetchAsync_WritesDecodedPayload_WhenDataUriIsWellFormed(string dataUri, string contentType)
    {
        using var directory = new TempDirectory();
        using var fetcher = new InputFetcher(Settings, TimeProvider.System);

        var fetched = await fetcher.FetchAsync(dataUri, directory.File("in.mp4"), CancellationToken.None);

        Assert.Equal(Payload, await File.ReadAllBytesAsync(fetched.Path));
        Assert.Equal(Payload.Length, fetched.Bytes);
        Assert.Equal(contentType, fetched.ContentType ?? "");
        Assert.Single(directory.Entries());
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task FetchAsync_FailsWithInvalidInput_WhenDataUriIsMalformed(string dataUri, string expected)
    {
        var failure = await AssertInvalidAsync(Settings, dataUri);
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecodeAsync_FailsWithInvalidInput_WhenPayloadHasLoneSurrogate()
    {
        // A Fact, not a theory row: xunit's serialisation would replace the lone surrogate with U+FFFD.
        using var sink = new MemoryStream();

        var failure = await Assert.ThrowsAsync<ReframeFailure>(() =>
            DataUriDecoder.DecodeAsync("data:video/mp4,ab\uD800", sink, 100, CancellationToken.None));

        Assert.Equal(TaskErrorNames.InvalidInput, failure.Name);
        Assert.Contains("broken UTF-16 character at position 2", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task FetchAsync_FailsWithInvalidInput_WhenDataUriExceedsSizeLimit(bool base64)
    {
        var tooBig = new byte[Settings.MaxDataUriBytes + 1];
        var uri = base64 ? "data:video/mp4;base64," + Convert.ToBase64String(tooBig) : "data:video/mp4," + PercentEncode(tooBig);

        var failure = await AssertInvalidAsync(Settings, uri);

        Assert.Contains("more than the 65,536 bytes limit for inline data", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_AcceptsDataUri_WhenPayloadIsExactlyAtLimit()
    {
        using var directory = new TempDirectory();
        using var fetcher = new InputFetcher(Settings, TimeProvider.System);
        var exact = new byte[Settings.MaxDataUriBytes];
        exact[^1] = 1;

        var fetched = await fetcher.FetchAsync("data:video/mp4;base64," + Convert.ToBase64String(exact), directory.File("a"), CancellationToken.None);

        Assert.Equal(Settings.MaxDataUriBytes, fetched.Bytes);
    }

    private static async Task<ReframeFailure> AssertInvalidAsync(FetchSettings settings, string dataUri)
    {
        using var directory = new TempDirectory();
        using var fetcher = new InputFetcher(settings, TimeProvider.System);

        var failure = await Assert.ThrowsAsync<ReframeFailure>(() => fetcher.FetchAsync(dataUri, directory.File("in.mp4"), CancellationToken.None));

        Assert.Equal(TaskErrorNames.InvalidInput, failure.Name);
        Assert.Empty(directory.Entries());
        return failure;
    }

    private static string Wrap(string base64) =>
        string.Join("\r\n ", base64.Chunk(76).Select(chunk => new string(chunk)));

    private static string PercentEncode(byte[] bytes)
    {
        var text = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (char.IsAsciiLetterOrDigit((char)b))
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return text.ToString();
    }
}
