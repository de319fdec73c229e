using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Reframe.TestSupport;

/// <summary>
/// Generates, deterministically, the hostile inputs of issue 6 point 2: truncated and bit-flipped mp4s, zero-length
/// and random files, images and text posing as video, wrong container magic, a huge claimed resolution, a
/// decompression bomb, audio-only files, absurd durations and frame rates, broken box structures, playlists that
/// would make a careless ffmpeg open local files or URLs, and malformed data URIs.
/// Same ffmpeg build and same <see cref="Seed"/>: same bytes.
/// </summary>
public static class HostileCorpus
{
    public const int Seed = 20_261_124;

    /// <summary>Writes the corpus into <paramref name="directory"/> (reusing its ffmpeg sources) and lists it.</summary>
    public static IReadOnlyList<HostileInput> Generate(string directory)
    {
        Directory.CreateDirectory(directory);
        var sources = Path.Combine(directory, "sources");
        Directory.CreateDirectory(sources);
        var corpus = new Builder(directory);

        var faststart = File.ReadAllBytes(HostileSources.Video(sources, faststart: true));
        var moovAtEnd = File.ReadAllBytes(HostileSources.Video(sources, faststart: false));

        EmptyAndRandom(corpus);
        Truncations(corpus, faststart, moovAtEnd);
        BitFlips(corpus, faststart);
        WrongMagic(corpus, faststart);
        TextPosingAsVideo(corpus);
        ImagesPosingAsVideo(corpus, sources);
        HugeClaimedResolution(corpus, sources, faststart);
        Bombs(corpus, sources);
        AudioOnly(corpus, sources);
        AbsurdTiming(corpus, sources, faststart);
        BrokenBoxes(corpus);
        MalformedDataUris(corpus);
        return corpus.Inputs;
    }

    private static void EmptyAndRandom(Builder corpus)
    {
        corpus.File("zero-length", "empty", HostileExpectation.Rejected, "a file of zero bytes", []);
        var random = new Random(Seed);
        int[] sizes = [1, 2, 7, 8, 12, 16, 64, 188, 512, 1000, 4096, 8192, 65_536, 100_000, 262_144, 1_048_576];
        foreach (var size in sizes)
        {
            var bytes = new byte[size];
            random.NextBytes(bytes);
            corpus.File($"random-{size}b", "random", HostileExpectation.Rejected, $"{size} random bytes", bytes);
        }
        foreach (var size in new[] { 16, 4096, 100_000 })
        {
            var bytes = new byte[size];
            Array.Fill(bytes, (byte)0xFF);
            corpus.File($"all-ff-{size}b", "random", HostileExpectation.Rejected, $"{size} bytes of 0xFF", bytes);
            corpus.File($"all-zero-{size}b", "random", HostileExpectation.Rejected, $"{size} zero bytes", new byte[size]);
        }
    }

    private static void Truncations(Builder corpus, byte[] faststart, byte[] moovAtEnd)
    {
        // The index is at the end: any cut loses it, so nothing can be decoded.
        var (moovStart, _) = Mp4Patch.MoovRange(moovAtEnd);
        foreach (var percent in new[] { 0.1, 1, 2, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99 })
        {
            var keep = (int)(moovStart * percent / 100);
            corpus.File($"truncated-moov-at-end-{Pct(percent)}", "truncated", HostileExpectation.Rejected,
                $"an mp4 cut at {percent}% of its data, before its index", moovAtEnd[..keep]);
        }
        corpus.File("truncated-inside-moov", "truncated", HostileExpectation.Rejected,
            "an mp4 cut in the middle of its index", moovAtEnd[..(moovStart + 40)]);
        corpus.File("truncated-inside-ftyp", "truncated", HostileExpectation.Rejected, "the first 10 bytes of an mp4",
            faststart[..10]);

        // The index comes first: a cut keeps it, so the decoder meets missing samples.
        foreach (var percent in new[] { 1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99 })
        {
            var keep = faststart.Length * percent / 100;
            var expectation = keep <= Mp4Patch.MoovRange(faststart).End ? HostileExpectation.Rejected : HostileExpectation.Survives;
            corpus.File($"truncated-faststart-{percent}pct", "truncated", expectation,
                $"a faststart mp4 cut at {percent}% (index intact, samples missing)", faststart[..keep]);
        }
    }

    private static void BitFlips(Builder corpus, byte[] faststart)
    {
        var random = new Random(Seed + 1);
        var (moovStart, moovEnd) = Mp4Patch.MoovRange(faststart);
        for (var i = 0; i < 40; i++)
        {
            var flips = 1 << (i % 7); // 1..64 flips
            var bytes = (byte[])faststart.Clone();
            for (var f = 0; f < flips; f++)
            {
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
            }
            corpus.File($"bitflip-anywhere-{i:D2}-{flips}x", "bit-flipped", HostileExpectation.Survives,
                $"{flips} random bit flips anywhere in an mp4", bytes);
        }
        for (var i = 0; i < 30; i++)
        {
            var flips = 1 + i % 8;
            var bytes = (byte[])faststart.Clone();
            for (var f = 0; f < flips; f++)
            {
                bytes[random.Next(moovStart, moovEnd)] ^= (byte)(1 << random.Next(8));
            }
            corpus.File($"bitflip-index-{i:D2}-{flips}x", "bit-flipped", HostileExpectation.Survives,
                $"{flips} bit flips inside the mp4 index (moov)", bytes);
        }
        for (var i = 0; i < 10; i++)
        {
            var bytes = (byte[])faststart.Clone();
            var start = random.Next(moovEnd, bytes.Length - 4096);
            random.NextBytes(bytes.AsSpan(start, 4096));
            corpus.File($"garbled-samples-{i:D2}", "bit-flipped", HostileExpectation.Survives,
                "4 KiB of picture data replaced by random bytes", bytes);
        }
    }

    private static void WrongMagic(Builder corpus, byte[] faststart)
    {
        (string Name, byte[] Magic)[] magics =
        [
            ("png", [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]),
            ("jpeg", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F']),
            ("gif", "GIF89a"u8.ToArray()),
            ("riff-avi", "RIFF\0\0\0\0AVI "u8.ToArray()),
            ("ebml-mkv", [0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81]),
            ("flv", "FLV\u0001\u0005\0\0\0"u8.ToArray()),
            ("ogg", "OggS\0\u0002\0\0"u8.ToArray()),
            ("id3", "ID3\u0004\0\0\0\0"u8.ToArray()),
            ("pdf", "%PDF-1.7"u8.ToArray()),
            ("zip", "PK\u0003\u0004\u0014\0\0\0"u8.ToArray()),
            ("elf", [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0]),
            ("mpeg-ts", [0x47, 0x40, 0x00, 0x10, 0x00, 0x00, 0xB0, 0x0D]),
            ("gzip", [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0]),
        ];
        foreach (var (name, magic) in magics)
        {
            var bytes = (byte[])faststart.Clone();
            magic.CopyTo(bytes, 0);
            corpus.File($"magic-{name}-over-mp4", "wrong-header", HostileExpectation.Survives,
                $"an mp4 whose first bytes are a {name} signature", bytes);
            corpus.File($"magic-{name}-then-random", "wrong-header", HostileExpectation.Rejected,
                $"a {name} signature followed by random bytes", [.. magic, .. RandomBytes(Seed + magic[0], 4096)]);
        }
        var brand = (byte[])faststart.Clone();
        "qt  "u8.CopyTo(brand.AsSpan(8));
        corpus.File("ftyp-brand-quicktime", "wrong-header", HostileExpectation.Survives, "an mp4 claiming a QuickTime brand", brand);
    }

    private static void TextPosingAsVideo(Builder corpus)
    {
        (string Name, string Text, string Why)[] texts =
        [
            ("hello", "hello world\n", "plain text"),
            ("json", "{\"video\":\"clip.mp4\",\"frames\":81}\n", "JSON"),
            ("html", "<!doctype html><html><body><video src=x.mp4></video></body></html>", "an HTML page"),
            ("svg", "<svg xmlns='http://www.w3.org/2000/svg' width='9999999' height='9999999'/>", "an SVG image"),
            ("shell", "#!/bin/sh\nrm -rf /\n", "a shell script"),
            ("hls-local-file", "#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:10.0,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n",
                "an HLS playlist pointing at a local file (ffmpeg must not open it)"),
            ("hls-metadata-url", "#EXTM3U\n#EXTINF:10.0,\nhttp://169.254.169.254/latest/meta-data/\n#EXT-X-ENDLIST\n",
                "an HLS playlist pointing at the cloud metadata service"),
            ("hls-loopback-url", "#EXTM3U\n#EXTINF:10.0,\nhttp://127.0.0.1:1/secret.ts\n#EXT-X-ENDLIST\n",
                "an HLS playlist pointing at this machine"),
            ("ffconcat-local-file", "ffconcat version 1.0\nfile '/etc/passwd'\n", "an ffconcat script reading a local file"),
            ("sdp-rtp", "v=0\no=- 0 0 IN IP4 127.0.0.1\ns=x\nc=IN IP4 127.0.0.1\nt=0 0\nm=video 5004 RTP/AVP 96\n",
                "an SDP description opening a local RTP socket"),
            ("subrip", "1\n00:00:00,000 --> 00:00:01,000\nnot a video\n", "a subtitle file"),
            ("csv", string.Join('\n', Enumerable.Range(0, 500).Select(i => $"{i},{i * i}")), "a CSV table"),
        ];
        foreach (var (name, text, why) in texts)
        {
            corpus.File($"text-{name}", "text-as-video", HostileExpectation.Rejected, $"{why}, sent as video/mp4",
                Encoding.UTF8.GetBytes(text));
        }
    }

    private static void ImagesPosingAsVideo(Builder corpus, string sources)
    {
        foreach (var extension in new[] { "png", "jpg", "bmp", "tiff", "webp" })
        {
            corpus.File($"image-{extension}", "image-as-video", HostileExpectation.Rejected,
                $"a single {extension} still image sent as a video", File.ReadAllBytes(HostileSources.Image(sources, extension)));
        }
        // GIF is also an animation container: a one-frame GIF is a (very short) video, which a pipeline may accept.
        corpus.File("image-gif", "image-as-video", HostileExpectation.Survives,
            "a single-frame GIF sent as a video", File.ReadAllBytes(HostileSources.Image(sources, "gif")));
        corpus.File("image-animated-gif", "image-as-video", HostileExpectation.Survives,
            "an 8-frame animated GIF sent as a video", File.ReadAllBytes(HostileSources.AnimatedGif(sources)));
    }

    private static void HugeClaimedResolution(Builder corpus, string sources, byte[] faststart)
    {
        // H.264 mp4 whose container (tkhd, avc1) claims 65535x65535 while the stream is 160x120.
        var claimed = (byte[])faststart.Clone();
        var tkhd = Mp4Patch.Find(claimed, "tkhd");
        Mp4Patch.WriteUInt32(claimed, tkhd + 80, 0xFFFF_0000);
        Mp4Patch.WriteUInt32(claimed, tkhd + 84, 0xFFFF_0000);
        var avc1 = Mp4Patch.Find(claimed, "avc1");
        Mp4Patch.WriteUInt16(claimed, avc1 + 28, 0xFFFF);
        Mp4Patch.WriteUInt16(claimed, avc1 + 30, 0xFFFF);
        corpus.File("huge-claimed-resolution-container", "huge-resolution", HostileExpectation.Survives,
            "an mp4 whose container claims 65535x65535 (the stream itself is small)", claimed);

        // Motion JPEG whose every frame header (SOF0) claims 65500x65500: the decoder would need 12 GiB per frame.
        var mjpeg = File.ReadAllBytes(HostileSources.MotionJpeg(sources));
        for (var i = 0; i + 9 < mjpeg.Length; i++)
        {
            if (mjpeg[i] == 0xFF && mjpeg[i + 1] == 0xC0)
            {
                BinaryPrimitives.WriteUInt16BigEndian(mjpeg.AsSpan(i + 5), 65500);
                BinaryPrimitives.WriteUInt16BigEndian(mjpeg.AsSpan(i + 7), 65500);
            }
        }
        var moov = Mp4Patch.MoovRange(mjpeg);
        foreach (var entry in new[] { "jpeg", "mp4v" })
        {
            var at = Mp4Patch.IndexOf(mjpeg, entry, moov.Start);
            if (at > 0 && at < moov.End)
            {
                // The visual sample entry's width and height, so container and frames tell the same lie.
                Mp4Patch.WriteUInt16(mjpeg, at + 28, 65500);
                Mp4Patch.WriteUInt16(mjpeg, at + 30, 65500);
            }
        }
        corpus.File("huge-resolution-mjpeg", "huge-resolution", HostileExpectation.Rejected,
            "motion JPEG frames claiming 65500x65500 pixels", mjpeg);

        corpus.File("huge-resolution-y4m", "huge-resolution", HostileExpectation.Rejected,
            "a YUV4MPEG2 header claiming 100000x100000 with 1 KiB of data",
            [.. "YUV4MPEG2 W100000 H100000 F30:1 Ip A1:1 C420jpeg\nFRAME\n"u8, .. new byte[1024]]);

        corpus.File("huge-resolution-png", "huge-resolution", HostileExpectation.Rejected,
            "a PNG header claiming 1000000x1000000 with almost no data", Png(1_000_000, 1_000_000, rows: 1));
    }

    private static void Bombs(Builder corpus, string sources)
    {
        corpus.File("bomb-png-10000x10000", "decompression-bomb", HostileExpectation.Rejected,
            "a 100 KB PNG that inflates to a 10000x10000 image (100 MB)", Png(10_000, 10_000, rows: 10_000));
        corpus.File("bomb-3000-black-frames", "decompression-bomb", HostileExpectation.Rejected,
            "3000 black 640x360 frames in a few KB that decode to 1 GB (over the 241-frame limit)",
            File.ReadAllBytes(HostileSources.FrameBomb(sources)));
    }

    private static void AudioOnly(Builder corpus, string sources)
    {
        (string File, string Codec)[] audio =
        [
            ("audio.m4a", "aac"), ("audio.mp3", "libmp3lame"), ("audio.wav", "pcm_s16le"), ("audio.flac", "flac"),
            ("audio.ogg", "libvorbis"), ("audio.opus", "libopus"),
        ];
        foreach (var (file, codec) in audio)
        {
            corpus.File($"audio-only-{Path.GetExtension(file).TrimStart('.')}", "no-video-stream", HostileExpectation.Rejected,
                $"{codec} audio with no video stream", File.ReadAllBytes(HostileSources.AudioOnly(sources, file, codec)));
        }
    }

    private static void AbsurdTiming(Builder corpus, string sources, byte[] faststart)
    {
        corpus.File("fps-1000", "absurd-timing", HostileExpectation.Survives, "10 frames at 1000 fps",
            File.ReadAllBytes(HostileSources.AtFrameRate(sources, "fps-1000", "1000", 10)));
        corpus.File("fps-one-per-1000s", "absurd-timing", HostileExpectation.Survives,
            "3 frames at one frame per 1000 s (a 50-minute, 3-frame video)",
            File.ReadAllBytes(HostileSources.AtFrameRate(sources, "fps-0.001", "1/1000", 3)));

        (string Name, string Box, int Offset, uint Value, string Why)[] patches =
        [
            ("mvhd-timescale-zero", "mvhd", 16, 0, "movie timescale 0 (a division by zero)"),
            ("mvhd-duration-max", "mvhd", 20, uint.MaxValue, "movie duration of 2^32-1 ticks"),
            ("mdhd-timescale-zero", "mdhd", 16, 0, "track timescale 0"),
            ("mdhd-timescale-one", "mdhd", 16, 1, "track timescale 1 (every frame lasts hundreds of seconds)"),
            ("mdhd-duration-max", "mdhd", 20, uint.MaxValue, "track duration of 2^32-1 ticks"),
            ("stts-delta-zero", "stts", 16, 0, "every frame lasting 0 ticks (infinite frame rate)"),
            ("stts-delta-max", "stts", 16, uint.MaxValue, "every frame lasting 2^32-1 ticks"),
            ("stts-count-max", "stts", 12, uint.MaxValue, "4 billion frames claimed by the timing table"),
            ("stsz-count-max", "stsz", 16, uint.MaxValue, "4 billion samples claimed by the size table"),
            ("stco-count-max", "stco", 8, uint.MaxValue, "4 billion chunks claimed by the offset table"),
        ];
        foreach (var (name, box, offset, value, why) in patches)
        {
            var bytes = (byte[])faststart.Clone();
            Mp4Patch.WriteUInt32(bytes, Mp4Patch.Find(bytes, box) + offset, value);
            corpus.File(name, "absurd-timing", HostileExpectation.Survives, why, bytes);
        }
    }

    private static void BrokenBoxes(Builder corpus)
    {
        var ftyp = Mp4Patch.Box("ftyp", "isom"u8.ToArray(), [0, 0, 2, 0], "isomiso2avc1mp41"u8.ToArray());
        byte[] hugeSize = [0xFF, 0xFF, 0xFF, 0xFF, .. "moov"u8, .. new byte[64]];
        byte[] largeSize = [0, 0, 0, 1, .. "moov"u8, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, .. new byte[64]];
        byte[] tinySize = [0, 0, 0, 3, .. "moov"u8, .. new byte[64]];
        byte[] zeroSize = [0, 0, 0, 0, .. "mdat"u8];
        var deep = Mp4Patch.Box("free");
        for (var i = 0; i < 5000; i++)
        {
            deep = Mp4Patch.Box(i % 2 == 0 ? "moov" : "trak", deep);
        }
        var noTracks = Mp4Patch.Box("moov", Mp4Patch.Box("mvhd", new byte[100]));
        var endless = Enumerable.Range(0, 20_000).SelectMany(_ => Mp4Patch.Box("free")).ToArray();

        corpus.File("box-size-4gib", "broken-boxes", HostileExpectation.Rejected, "a moov box claiming 4 GiB", [.. ftyp, .. hugeSize]);
        corpus.File("box-largesize-8eib", "broken-boxes", HostileExpectation.Rejected, "a 64-bit box size of 8 EiB", [.. ftyp, .. largeSize]);
        corpus.File("box-size-below-header", "broken-boxes", HostileExpectation.Rejected, "a box smaller than its own header", [.. ftyp, .. tinySize]);
        corpus.File("box-mdat-to-eof-empty", "broken-boxes", HostileExpectation.Rejected, "ftyp and an empty mdat only", [.. ftyp, .. zeroSize]);
        corpus.File("box-nesting-5000-deep", "broken-boxes", HostileExpectation.Rejected, "5000 nested moov/trak boxes", [.. ftyp, .. deep]);
        corpus.File("box-moov-without-tracks", "broken-boxes", HostileExpectation.Rejected, "an index with no tracks", [.. ftyp, .. noTracks]);
        corpus.File("box-20000-free-boxes", "broken-boxes", HostileExpectation.Rejected, "20000 empty free boxes and nothing else", [.. ftyp, .. endless]);
        corpus.File("box-ftyp-only", "broken-boxes", HostileExpectation.Rejected, "an ftyp box and nothing else", ftyp);
    }

    private static void MalformedDataUris(Builder corpus)
    {
        (string Name, string Uri, string Why)[] uris =
        [
            ("no-comma", "data:video/mp4;base64", "no ',' before the data"),
            ("empty-base64", "data:video/mp4;base64,", "no data"),
            ("empty-plain", "data:,", "no data and no type"),
            ("bad-base64-char", "data:video/mp4;base64,AAAA$$$$", "'$' in base64"),
            ("base64-after-padding", "data:video/mp4;base64,AA==AAAA", "data after '=' padding"),
            ("base64-one-char-left", "data:video/mp4;base64,AAAAA", "a dangling base64 character"),
            ("only-padding", "data:video/mp4;base64,====", "padding and nothing else"),
            ("bad-percent", "data:video/mp4,%G0", "an invalid percent escape"),
            ("percent-at-end", "data:video/mp4,abc%", "a '%' at the end"),
            ("bad-media-type", "data:video mp4;base64,AAAA", "a media type with a space"),
            ("media-type-no-subtype", "data:video/;base64,AAAA", "a media type with no subtype"),
            ("media-type-two-slashes", "data:a/b/c;base64,AAAA", "a media type with two slashes"),
            ("huge-header", "data:video/mp4;" + new string('x', 4096) + ";base64,AAAA", "a 4 KiB header"),
            ("nul-in-base64", "data:video/mp4;base64,AA\0A", "a NUL byte in base64"),
            ("unicode-in-base64", "data:video/mp4;base64,AAA\u00e9", "a non-ASCII character in base64"),
            ("text-plain-random", "data:text/plain,hello%20world", "plain text as inline data"),
            ("html-inline", "data:text/html;base64," + Convert.ToBase64String("<script>alert(1)</script>"u8), "inline HTML"),
            ("mp4-type-random-base64", "data:video/mp4;base64," + Convert.ToBase64String(RandomBytes(Seed + 7, 3000)), "random bytes labelled video/mp4"),
            ("javascript-scheme", "javascript:alert(1)", "not a data URI nor a URL"),
            ("data-uri-in-data-uri", "data:text/uri-list,data:video/mp4;base64,AAAA", "a data URI wrapping another"),
        ];
        foreach (var (name, uri, why) in uris)
        {
            corpus.DataUri($"data-uri-{name}", "malformed-data-uri", why, uri);
        }
    }

    /// <summary>An 8-bit greyscale PNG of the given size whose first <paramref name="rows"/> rows are zeros.</summary>
    private static byte[] Png(int width, int height, int rows)
    {
        using var idat = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[width + 1]; // filter byte + pixels
            for (var y = 0; y < rows; y++)
            {
                zlib.Write(row);
            }
        }
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth; colour type 0 (grey), compression, filter, interlace all 0
        return [0x89, .. "PNG\r\n\u001a\n"u8, .. PngChunk("IHDR", header), .. PngChunk("IDAT", idat.ToArray()), .. PngChunk("IEND", [])];
    }

    private static byte[] PngChunk(string type, byte[] data)
    {
        var typeBytes = Encoding.ASCII.GetBytes(type);
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        typeBytes.CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32([.. typeBytes, .. data]));
        return chunk;
    }

    /// <summary>The CRC-32 PNG chunks carry (ISO 3309 polynomial), so decoders do not reject the bomb early.</summary>
    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFF_FFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320u : crc >> 1;
            }
        }
        return ~crc;
    }

    private static byte[] RandomBytes(int seed, int count)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string Pct(double percent) =>
        percent.ToString("0.#", CultureInfo.InvariantCulture).Replace('.', '_') + "pct";

    private sealed class Builder(string directory)
    {
        private readonly HashSet<string> _names = new(StringComparer.Ordinal);

        public List<HostileInput> Inputs { get; } = [];

        public void File(string name, string category, HostileExpectation expectation, string why, byte[] bytes)
        {
            Claim(name);
            var path = Path.Combine(directory, name + ".mp4");
            System.IO.File.WriteAllBytes(path, bytes);
            Inputs.Add(new HostileInput(name, category, expectation, why, path, null));
        }

        public void DataUri(string name, string category, string why, string uri)
        {
            Claim(name);
            Inputs.Add(new HostileInput(name, category, HostileExpectation.Rejected, why, null, uri));
        }

        private void Claim(string name)
        {
            if (!_names.Add(name))
            {
                throw new InvalidOperationException($"Duplicate corpus name {name}.");
            }
        }
    }
}
