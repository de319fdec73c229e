using System.CommandLine;
using System.Text.Json;
using Reframe.Cli.Remote;
using Reframe.Client;

namespace Reframe.Cli.Commands;

/// <summary><c>reframe submit VIDEO [options]</c>: sends a task to a running service; with <c>--wait</c>, follows it and downloads the result.</summary>
public static class SubmitCommand
{
    public static Command Create()
    {
        var video = new Argument<string>("video") { Description = "the source clip: a local file (sent inline) or an http(s) URL" };
        var wait = new Option<bool>("--wait", "-w") { Description = "follow the task with a progress bar and download the result" };
        var output = new Option<string?>("--output", "-o") { Description = "where --wait saves the result (default: <video name>.reframed.mp4)" };
        var json = new Option<bool>("--json") { Description = "print the response object as JSON on standard output" };
        var connection = new ConnectionOptions();
        var request = new RequestOptions();

        var command = new Command("submit", "Send a video to a Reframe server (or the hosted API) and optionally wait for the result. " +
            "Exit codes: 0 done, 1 bad flags or request, 3 the generation failed, 5 key refused, 6 server unreachable or failing, " +
            "7 refused (unknown id, limits), 130 interrupted.")
        {
            video, wait, output, json,
        };
        connection.AddTo(command);
        request.AddTo(command);

        command.SetAction(async (parse, cancellationToken) =>
        {
            var source = parse.GetValue(video)!;
            using var client = connection.CreateClient(parse);
            var videoUrl = await InputReference.ResolveAsync(source, "video", cancellationToken).ConfigureAwait(false);
            var body = await request.BuildAsync(parse, videoUrl!, cancellationToken).ConfigureAwait(false);
            Generation state;
            try
            {
                state = await client.SubmitAsync(body, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ReframeApiException or HttpRequestException)
            {
                throw RemoteErrors.Explain(e, client.BaseUri);
            }
            if (!parse.GetValue(wait))
            {
                Console.Out.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(state, CliJson.Default.Generation) : state.Id);
                return ExitCodes.Success;
            }

            Console.Error.WriteLine($"submitted {state.Id}");
            var display = ProgressDisplay.ForConsole();
            try
            {
                state = await client.WaitAsync(state.Id, display, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                display.Finish();
                Console.Error.WriteLine($"Stopped waiting; the task keeps running on the server. Cancel it with: reframe cancel '{state.Id}'");
                return ExitCodes.Cancelled;
            }
            catch (Exception e) when (e is ReframeApiException or HttpRequestException)
            {
                display.Finish();
                throw RemoteErrors.Explain(e, client.BaseUri);
            }
            display.Finish();
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(state, CliJson.Default.Generation));
            }
            if (state.Status != GenerationStatus.Completed)
            {
                Console.Error.WriteLine($"The generation failed: {state.Error?.Name}: {state.Error?.Message}");
                return ExitCodes.TaskFailed;
            }
            var target = parse.GetValue(output) ?? DefaultOutputPath(source);
            try
            {
                await client.DownloadToFileAsync(state, target, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ReframeApiException or HttpRequestException)
            {
                throw RemoteErrors.Explain(e, client.BaseUri);
            }
            var v = state.Video;
            Console.Error.WriteLine($"saved {target} ({v?.Width}x{v?.Height}, {v?.NumFrames} frames, {v?.Duration:0.##} s)");
            if (!parse.GetValue(json))
            {
                Console.Out.WriteLine(target);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary><c>clip.mp4</c> becomes <c>clip.reframed.mp4</c> beside the working directory; a URL uses its last segment.</summary>
    public static string DefaultOutputPath(string source)
    {
        var name = Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme.StartsWith("http", StringComparison.Ordinal)
            ? Path.GetFileNameWithoutExtension(uri.AbsolutePath)
            : Path.GetFileNameWithoutExtension(source);
        return (string.IsNullOrEmpty(name) ? "result" : name) + ".reframed.mp4";
    }
}
