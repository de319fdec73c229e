using System.Diagnostics;
using Reframe.Core.Engines;
using Reframe.Media.Encoding;
using Reframe.Media.Ffmpeg;
using Reframe.Media.Planning;

namespace Reframe.Media.Graph;

/// <summary>
/// Runs a reframe whose fill is an ffmpeg graph as one ffmpeg process (<see cref="OneProcessArguments"/>): one decode,
/// no frame crosses a pipe, memory is ffmpeg's few frames in flight whatever the clip's length.
/// </summary>
internal static class OneProcessReframe
{
    /// <summary>
    /// Whether ffmpeg itself ran and gave up (it exits 1, or 69 for a failed conversion, among its own codes), as opposed
    /// to never running (126/127: not executable, or the loader could not find its libraries), a signal (128 + n) or no
    /// status at all (killed, never started).
    /// </summary>
    private static bool FfmpegGaveUp(int? exitCode) => exitCode is >= 1 and <= 125;

    public static async Task<EngineReport> RunAsync(FfmpegRunner ffmpeg, ReframeJob job, ReframePlan plan, FillGraph fill, bool pasteKeep,
        string? interpolationFilter, IProgress<TaskProgress> progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var frames = plan.Frames;
        var settings = ffmpeg.Settings;
        var encoder = EncoderSettings.For(job.Options.VideoQuality, job.Options.VideoWriteMode, settings);
        var args = OneProcessArguments.Build(job.SourceVideoPath, plan, fill, pasteKeep, interpolationFilter, encoder, job.OutputPath, settings.FfmpegThreads);
        int written;
        await using (var process = ffmpeg.StartFfmpeg(args, redirectStandardInput: false))
        {
            written = await FfmpegProgressReader.FollowAsync(process.StandardOutput, frames.OutputFrames, progress, cancellationToken);
            progress.Report(new TaskProgress("encoding", 0, 1, 97));
            try
            {
                await process.WaitForSuccessAsync(settings.EncoderFinishTimeout, cancellationToken);
            }
            catch (FfmpegException e) when (written == 0 && FfmpegGaveUp(e.ExitCode))
            {
                // Nothing decoded, so the encoder never opened and ffmpeg reported an error: the source is the reason, as
                // when the streaming decoder yields nothing. Otherwise (127: ffmpeg could not even load, a signal: it
                // crashed) it is this installation's fault and stays an engine failure.
                throw new ReframeFailure(TaskErrorNames.UnsupportedMedia, "no frame of the source video could be decoded; the file may be corrupt", e);
            }
        }
        if (written == 0)
        {
            // The streaming path's HoldLastFrameReader says the same when the decoder yields nothing.
            throw new ReframeFailure(TaskErrorNames.UnsupportedMedia, "no frame of the source video could be decoded; the file may be corrupt");
        }
        if (written != frames.OutputFrames)
        {
            throw new InvalidOperationException($"the ffmpeg graph of engine '{fill.Report.Engine}' wrote {written} frames; {frames.OutputFrames} were planned");
        }
        // Decode, fill and encode run in the same process: "generate" is the whole of it.
        return fill.Report.WithTiming("generate", Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
