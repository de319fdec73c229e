namespace Reframe.Media.Ffmpeg;

/// <summary>
/// Starts ffmpeg and ffprobe with the configured executables and limits. The one place processes come from,
/// so every call gets the same stderr handling, stop policy and error type.
/// </summary>
public sealed class FfmpegRunner(MediaSettings settings)
{
    public MediaSettings Settings => settings;

    /// <summary>Starts a streaming ffmpeg (rawvideo on stdin and/or stdout). Dispose it to stop it.</summary>
    public FfmpegProcess StartFfmpeg(IReadOnlyList<string> arguments, bool redirectStandardInput) =>
        FfmpegProcess.Start(settings.FfmpegPath, arguments, redirectStandardInput, settings.StderrTailChars, settings.GracefulStopTimeout);

    /// <summary>Runs ffprobe to completion and returns its stdout (at most <paramref name="maxStdoutBytes"/>).</summary>
    public Task<byte[]> RunFfprobeAsync(IReadOnlyList<string> arguments, int maxStdoutBytes, CancellationToken cancellationToken) =>
        RunToCompletionAsync(settings.FfprobePath, arguments, maxStdoutBytes, cancellationToken);

    /// <summary>Runs ffmpeg to completion and returns its stdout (at most <paramref name="maxStdoutBytes"/>).</summary>
    public Task<byte[]> RunFfmpegAsync(IReadOnlyList<string> arguments, int maxStdoutBytes, CancellationToken cancellationToken) =>
        RunToCompletionAsync(settings.FfmpegPath, arguments, maxStdoutBytes, cancellationToken);

    private async Task<byte[]> RunToCompletionAsync(string executable, IReadOnlyList<string> arguments, int maxStdoutBytes, CancellationToken cancellationToken)
    {
        await using var process = FfmpegProcess.Start(executable, arguments, redirectStandardInput: false, settings.StderrTailChars, settings.GracefulStopTimeout);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(settings.ProbeTimeout);
        byte[] output;
        try
        {
            output = await ReadBoundedAsync(process.StandardOutput, maxStdoutBytes, limit.Token);
        }
        catch (OperationCanceledException)
        {
            await process.StopAsync();
            cancellationToken.ThrowIfCancellationRequested();
            throw new FfmpegException($"{Path.GetFileName(executable)} timed out after {settings.ProbeTimeout}", process.Argv, null, process.StderrTail);
        }
        catch (InvalidDataException e)
        {
            await process.StopAsync();
            throw new FfmpegException(e.Message, process.Argv, null, process.StderrTail, e);
        }
        await process.WaitForSuccessAsync(settings.ProbeTimeout, cancellationToken);
        return output;
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        using var collected = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (collected.Length + read > maxBytes)
            {
                throw new InvalidDataException($"output larger than {maxBytes} bytes");
            }
            collected.Write(buffer, 0, read);
        }
        return collected.ToArray();
    }
}
