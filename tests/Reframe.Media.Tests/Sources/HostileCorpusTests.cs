using System.Globalization;
using System.Security.Cryptography;
using Reframe.Core.Engines;
using Reframe.Media.Sources;
using Reframe.TestSupport;

namespace Reframe.Media.Tests.Sources;

/// <summary>
/// The hostile corpus, generated once for the heavy collection (about 10 s of ffmpeg) into a temporary folder
/// that is removed afterwards.
/// </summary>
public sealed class HostileCorpusFixture : IDisposable
{
    public HostileCorpusFixture()
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "reframe-hostile-" + Guid.NewGuid().ToString("N"));
        Inputs = HostileCorpus.Generate(Directory);
    }

    public string Directory { get; }
    public IReadOnlyList<HostileInput> Inputs { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

/// <summary>
/// The corpus itself (size, determinism, honest labels) and its first consumer: every input passes through the real
/// fetcher as a data URI, which either stores exactly its bytes or fails with invalid_input, leaving nothing behind.
/// </summary>
[Collection(nameof(AllocationSensitive))]
public sealed class HostileCorpusTests(HostileCorpusFixture corpus)
{
    [Fact]
    public void Generate_ProducesAtLeast200UniquelyNamedInputs_AcrossEveryCategory()
    {
        Assert.True(corpus.Inputs.Count >= 200, $"only {corpus.Inputs.Count} inputs");
        Assert.Equal(corpus.Inputs.Count, corpus.Inputs.Select(input => input.Name).Distinct().Count());
        string[] categories =
        [
            "empty", "random", "truncated", "bit-flipped", "wrong-header", "text-as-video", "image-as-video",
            "huge-resolution", "decompression-bomb", "no-video-stream", "absurd-timing", "broken-boxes", "malformed-data-uri",
        ];
        Assert.Equal(categories.Order(), corpus.Inputs.Select(input => input.Category).Distinct().Order());
    }

    [Fact]
    public void Generate_WritesSameBytes_WhenRunTwice()
    {
        // From scratch, ffmpeg sources included: the bit-exact flags make those reproducible too.
        var again = System.IO.Path.Combine(corpus.Directory, "again");

        var second = HostileCorpus.Generate(again);

        Assert.Equal(corpus.Inputs.Select(Fingerprint), second.Select(Fingerprint));
    }

    [Fact]
    public void RejectedFiles_HaveNoDecodableVideo_WhenProbedByFfprobe()
    {
        // Keeps the labels honest: what the corpus says must be rejected has no video a sane pipeline would accept
        // (no stream, fewer than 2 frames, over 16384 px a side or over 241 frames). Local files only, as the
        // media layer must also enforce.
        var wrong = new List<string>();
        foreach (var input in corpus.Inputs.Where(i => i.Expectation == HostileExpectation.Rejected && i.Path is not null))
        {
            if (!IsRejectable(input.Path!, out var probed))
            {
                wrong.Add($"{input.Name}: {probed}");
            }
        }
        Assert.Empty(wrong);
    }

    [Fact]
    public async Task FetchAsync_StoresExactBytesOrFailsWithInvalidInput_ForEveryHostileDataUri()
    {
        using var directory = new TempDirectory();
        using var fetcher = new InputFetcher(new FetchSettings(), TimeProvider.System);
        var failures = new List<string>();
        foreach (var input in corpus.Inputs)
        {
            var destination = directory.File(input.Name);
            try
            {
                var fetched = await fetcher.FetchAsync(input.ToDataUri(), destination, CancellationToken.None);
                if (input.Path is not null && !File.ReadAllBytes(input.Path).AsSpan().SequenceEqual(File.ReadAllBytes(fetched.Path)))
                {
                    failures.Add($"{input.Name}: stored bytes differ");
                }
                File.Delete(fetched.Path);
            }
            catch (ReframeFailure failure) when (failure.Name == TaskErrorNames.InvalidInput)
            {
                if (input.Path is not null && new FileInfo(input.Path).Length > 0)
                {
                    failures.Add($"{input.Name}: a well-formed data URI was refused: {failure.Message}");
                }
            }
        }
        Assert.Empty(failures);
        Assert.Empty(directory.Entries());
    }

    private static bool IsRejectable(string path, out string probed)
    {
        try
        {
            probed = FfmpegTools.Probe(["-protocol_whitelist", "file", "-select_streams", "v", "-count_frames",
                "-show_entries", "stream=width,height,nb_read_frames", "-of", "csv=p=0", path], TimeSpan.FromSeconds(60)).Trim();
        }
        catch (InvalidOperationException error)
        {
            probed = error.Message;
            return true; // ffprobe could not read it at all
        }
        foreach (var line in probed.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(',').Select(f => long.TryParse(f, CultureInfo.InvariantCulture, out var v) ? v : 0).ToArray();
            if (fields.Length == 3 && fields[0] is > 0 and <= 16384 && fields[1] is > 0 and <= 16384 && fields[2] is >= 2 and <= 241)
            {
                return false;
            }
        }
        return true;
    }

    private static string Fingerprint(HostileInput input) =>
        input.Name + ":" + (input.Path is null
            ? Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(input.RawDataUri!)))
            : Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(input.Path))));
}
