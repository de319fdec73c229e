using System.CommandLine;
using System.Globalization;
using Reframe.Cli.Terminal;
using Reframe.Core.Engines;
using Reframe.Engines.Classic;
using Reframe.Media;
using Reframe.Media.Ffmpeg;

namespace Reframe.Cli.Commands;

/// <summary><c>reframe run</c>: one reframe of a local file with the classic engine, no server.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var input = new Option<FileInfo>("--input", "-i") { Description = "The source video file.", Required = true };
        var output = new Option<FileInfo>("--output", "-o") { Description = "The mp4 to write.", Required = true };
        var firstFrame = new Option<FileInfo?>("--first-frame", "--image") { Description = "An image pinned as the first frame (API: first_frame_url / image_url)." };
        var lastFrame = new Option<FileInfo?>("--last-frame") { Description = "An image pinned as the last frame (API: last_frame_url)." };
        var overwrite = new Option<bool>("--overwrite", "-y") { Description = "Replace --output if it exists." };
        var ffmpeg = new Option<string>("--ffmpeg") { Description = "The ffmpeg executable.", DefaultValueFactory = _ => "ffmpeg" };
        var ffprobe = new Option<string>("--ffprobe") { Description = "The ffprobe executable.", DefaultValueFactory = _ => "ffprobe" };
        var flags = new GenerationFlags();

        var command = new Command("run",
            "Reframe one local video (same options as the API's request body, as --dashed-names) and write an mp4. " +
            "Progress goes to stderr, a summary to stdout. Exit codes: 0 done, 1 bad flags, 3 the task failed " +
            "(the message says what to change), 4 internal error, 130 interrupted.")
        {
            input, output, firstFrame, lastFrame, overwrite, ffmpeg, ffprobe,
        };
        foreach (var option in flags.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            var source = result.GetRequiredValue(input);
            var target = result.GetRequiredValue(output);
            if (!source.Exists)
            {
                return Fail($"--input {source.FullName} does not exist.", ExitCodes.Usage);
            }
            foreach (var image in new[] { result.GetValue(firstFrame), result.GetValue(lastFrame) })
            {
                if (image is { Exists: false })
                {
                    return Fail($"{image.FullName} does not exist.", ExitCodes.Usage);
                }
            }
            if (target.Exists && !result.GetValue(overwrite))
            {
                return Fail($"--output {target.FullName} exists; pass --overwrite to replace it.", ExitCodes.Usage);
            }
            target.Directory?.Create();

            var options = flags.ToOptions(result, source.FullName, result.GetValue(firstFrame)?.FullName, result.GetValue(lastFrame)?.FullName);
            var seed = options.Seed ?? Random.Shared.NextInt64(0, uint.MaxValue);
            var settings = new MediaSettings { FfmpegPath = result.GetValue(ffmpeg)!, FfprobePath = result.GetValue(ffprobe)! };
            var runner = ClassicEngineRegistration.CreateRunner(settings);
            var work = Directory.CreateTempSubdirectory("reframe-");
            var bar = new ProgressBar(Console.Error, interactive: !Console.IsErrorRedirected);
            try
            {
                var job = new ReframeJob(options, source.FullName, options.FirstFrameUrl, options.LastFrameUrl, target.FullName, work.FullName, seed);
                var outcome = await runner.RunAsync(job, bar, cancellationToken);
                bar.Finish();
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{target.FullName}: {outcome.Width}x{outcome.Height}, {outcome.NumFrames} frames at {outcome.FramesPerSecond:0.###} fps ({outcome.DurationSeconds:0.###} s), " +
                    $"engine {outcome.Engine}, tier {outcome.ChargedResolutionTier}, {outcome.GeneratedFrames} generated frames, interpolator {outcome.Interpolator ?? "none"}, seed {seed}"));
                return ExitCodes.Success;
            }
            catch (ReframeFailure failure)
            {
                bar.Finish();
                return Fail($"{failure.Name}: {InFlagNames(failure.Message, flags)}", ExitCodes.TaskFailed);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                bar.Finish();
                return Fail("interrupted.", ExitCodes.Cancelled);
            }
            catch (FfmpegException e)
            {
                bar.Finish();
                return Fail($"ffmpeg failed: {e.Message}", ExitCodes.InternalError);
            }
            catch (InvalidOperationException e)
            {
                bar.Finish();
                return Fail(e.Message, ExitCodes.InternalError);
            }
            finally
            {
                work.Delete(recursive: true);
            }
        });
        return command;
    }

    /// <summary>Task messages name the API's fields (<c>enable_auto_downsample</c>); here the user types flags.</summary>
    private static string InFlagNames(string message, GenerationFlags flags)
    {
        foreach (var option in flags.All)
        {
            var wire = option.Name.TrimStart('-').Replace('-', '_');
            message = System.Text.RegularExpressions.Regex.Replace(message, $@"\b{wire}\b", option.Name);
        }
        return message;
    }

    private static int Fail(string message, int code)
    {
        Console.Error.WriteLine($"reframe: {message}");
        return code;
    }
}
